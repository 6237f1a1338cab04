using AceStep.Vst3;
using AceStep.Vst3.Hosting;

namespace AceStep.Plugin.Tests;

public class ModuleTests
{
    [Theory]
    [InlineData("ModuleEntry")]
    [InlineData("ModuleExit")]
    [InlineData("GetPluginFactory")]
    public void Library_exports_the_linux_entry_points(string export)
    {
        Assert.True(Vst3Module.HasExport(Vst3BundleLayout.Validate(TestBundle.Path), export));
    }

    [Fact]
    public void Library_does_not_export_windows_entry_points_instead()
    {
        // Input: the export names Windows modules use; a Linux host would not call them.
        var layout = Vst3BundleLayout.Validate(TestBundle.Path);
        Assert.False(Vst3Module.HasExport(layout, "InitDll"));
        Assert.False(Vst3Module.HasExport(layout, "ExitDll"));
    }

    [Fact]
    public void ModuleEntry_and_ModuleExit_are_reference_counted()
    {
        using (var module = TestBundle.Load())
        {
            Assert.True(module.CallModuleEntry());
            Assert.True(module.CallModuleEntry());
            Assert.True(module.CallModuleExit());
            Assert.True(module.CallModuleExit());
        }

        // Input: one ModuleExit more than there were ModuleEntry calls (the module above balanced its own on Dispose).
        using var probe = TestBundle.Load();
        Assert.True(probe.CallModuleExit());
        Assert.False(probe.CallModuleExit());
        Assert.True(probe.CallModuleEntry());
    }

    [Fact]
    public void Module_can_be_loaded_and_unloaded_repeatedly()
    {
        // The library stays mapped (nodelete; the host never frees it), so each cycle must start cleanly.
        for (int i = 0; i < 5; i++)
        {
            using var module = TestBundle.Load();
            Assert.Equal(2, module.Factory.CountClasses());
        }
    }

    [Fact]
    public void GetPluginFactory_returns_the_same_object_while_it_is_alive()
    {
        using var module = TestBundle.Load();
        nint first = module.CallGetPluginFactory();
        nint second = module.CallGetPluginFactory();
        try
        {
            Assert.NotEqual(0, first);
            Assert.Equal(first, second);
            Assert.Equal(module.Factory.NativeFactory, first);
        }
        finally
        {
            Vst3Unknown.Release(second);
            Vst3Unknown.Release(first);
        }
    }

    [Fact]
    public void Factory_reference_count_goes_up_and_down()
    {
        using var module = TestBundle.Load();
        nint factory = module.CallGetPluginFactory();
        uint afterAddRef = Vst3Unknown.AddRef(factory);
        Assert.Equal(afterAddRef - 1, Vst3Unknown.Release(factory));
        Vst3Unknown.Release(factory);
    }

    [Fact]
    public void A_new_factory_is_made_after_the_last_reference_is_released()
    {
        using var module = TestBundle.Load();
        module.Factory.Dispose();

        nint fresh = module.CallGetPluginFactory();
        Assert.NotEqual(0, fresh);
        using var factory = new PluginFactoryRef(fresh);
        Assert.Equal("AceStep", factory.GetFactoryInfo().Vendor);
    }
}
