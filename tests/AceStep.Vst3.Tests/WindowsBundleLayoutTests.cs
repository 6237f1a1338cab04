using System.Runtime.InteropServices;
using AceStep.Vst3.Hosting;

namespace AceStep.Vst3.Tests;

/// <summary>
/// Our hosting code's Windows rules for a bundle (Contents/x86_64-win/Name.vst3, the DLL named like the bundle),
/// checked on Linux through <see cref="Vst3BundleLayout.Validate(string, string?, bool)"/> on folders these tests make.
/// </summary>
public sealed class WindowsBundleLayoutTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("acestep-winbundle-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Fact]
    public void Windows_architecture_folders_are_named_as_the_VST3_SDK_names_them()
    {
        Assert.Equal("x86_64-win", Vst3Platform.GetArchitectureFolder(Architecture.X64, windows: true));
        Assert.Equal("arm64-win", Vst3Platform.GetArchitectureFolder(Architecture.Arm64, windows: true));
        Assert.Equal("x86-win", Vst3Platform.GetArchitectureFolder(Architecture.X86, windows: true));
        Assert.Equal("x86_64-linux", Vst3Platform.GetArchitectureFolder(Architecture.X64, windows: false));
        Assert.Equal("AceStep.vst3", Vst3Platform.GetLibraryFileName("AceStep", windows: true));
        Assert.Equal("AceStep.so", Vst3Platform.GetLibraryFileName("AceStep", windows: false));
    }

    [Fact]
    public void A_Windows_bundle_resolves_to_Contents_x86_64_win_Name_vst3()
    {
        // Input: AceStep.vst3/Contents/x86_64-win/AceStep.vst3 (a file), as Bundle.targets lays out a win-x64 publish.
        var bundle = Bundle("AceStep.vst3", "x86_64-win", "AceStep.vst3");

        var layout = Vst3BundleLayout.Validate(bundle, architectureFolder: null, windows: true);

        Assert.Equal("AceStep", layout.Name);
        Assert.Equal("x86_64-win", layout.ArchitectureFolder);
        Assert.Equal(Path.Combine(bundle, "Contents", "x86_64-win", "AceStep.vst3"), layout.LibraryPath);
    }

    [Fact]
    public void A_Linux_only_bundle_is_refused_under_Windows_rules_naming_the_folder_it_needs()
    {
        // Input: a bundle with only Contents/x86_64-linux/AceStep.so, checked with the Windows rules.
        var bundle = Bundle("AceStep.vst3", "x86_64-linux", "AceStep.so");

        var error = Assert.Throws<Vst3BundleStructureException>(() => Vst3BundleLayout.Validate(bundle, null, windows: true));

        Assert.Contains("Contents/x86_64-win", error.Message, StringComparison.Ordinal);
        Assert.Contains("x86_64-linux", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_Windows_bundle_with_a_dll_instead_of_Name_vst3_is_refused()
    {
        // Input: Contents/x86_64-win/AceStep.dll (the NativeAOT output copied under its own name).
        var bundle = Bundle("AceStep.vst3", "x86_64-win", "AceStep.dll");

        var error = Assert.Throws<Vst3BundleStructureException>(() => Vst3BundleLayout.Validate(bundle, null, windows: true));

        Assert.Contains("x86_64-win/AceStep.vst3", error.Message, StringComparison.Ordinal);
    }

    private string Bundle(string name, string architecture, string library)
    {
        var bundle = Path.Combine(_scratch, name);
        var folder = Directory.CreateDirectory(Path.Combine(bundle, "Contents", architecture)).FullName;
        File.WriteAllBytes(Path.Combine(folder, library), [0x4D, 0x5A]);
        return bundle;
    }
}
