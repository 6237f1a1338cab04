using System.Text.Json;
using AceStep.Vst3.Hosting;

namespace AceStep.Plugin.Tests;

public class ModuleInfoTests
{
    [Fact]
    public void Moduleinfo_json_agrees_with_what_the_factory_reports()
    {
        using var module = TestBundle.Load();
        var fromFactory = ModuleInfo.FromModule(module);
        var fromFile = ModuleInfo.Read(module.Layout.ModuleInfoPath);

        Assert.Equal(fromFactory.Name, fromFile.Name);
        Assert.Equal(fromFactory.Version, fromFile.Version);
        Assert.Equal(fromFactory.FactoryInfo, fromFile.FactoryInfo);
        Assert.Equal(fromFactory.Classes, fromFile.Classes);
    }

    [Fact]
    public void Moduleinfo_json_has_the_keys_hosts_read()
    {
        // Checked on the raw JSON, independently of the reader above.
        using var document = JsonDocument.Parse(File.ReadAllText(Vst3BundleLayout.Validate(TestBundle.Path).ModuleInfoPath));
        var root = document.RootElement;
        Assert.Equal("AceStep", root.GetProperty("Name").GetString());
        Assert.Matches(@"^\d+\.\d+\.\d+$", root.GetProperty("Version").GetString());
        var factory = root.GetProperty("Factory Info");
        Assert.Equal("AceStep", factory.GetProperty("Vendor").GetString());
        Assert.True(factory.GetProperty("Flags").GetProperty("Unicode").GetBoolean());

        var classes = root.GetProperty("Classes").EnumerateArray().ToList();
        Assert.Equal(2, classes.Count);
        Assert.Equal(TestBundle.ProcessorCid, classes[0].GetProperty("CID").GetString());
        Assert.Equal("Audio Module Class", classes[0].GetProperty("Category").GetString());
        Assert.Equal(["Fx"], classes[0].GetProperty("Sub Categories").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(1, classes[0].GetProperty("Class Flags").GetInt32());
        Assert.Equal(int.MaxValue, classes[0].GetProperty("Cardinality").GetInt32());
        Assert.Equal(TestBundle.ControllerCid, classes[1].GetProperty("CID").GetString());
        Assert.Equal("Component Controller Class", classes[1].GetProperty("Category").GetString());
        Assert.Equal("AceStep Controller", classes[1].GetProperty("Name").GetString());
        foreach (var cls in classes)
        {
            Assert.Matches("^[0-9A-F]{32}$", cls.GetProperty("CID").GetString());
            Assert.StartsWith("VST 3.", cls.GetProperty("SDKVersion").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Reading_a_moduleinfo_without_classes_fails_with_the_missing_key()
    {
        // Input: a JSON5-style file (comment, trailing comma) that lacks "Classes".
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, """
                // partial
                { "Name": "X", "Version": "1.0.0",
                  "Factory Info": { "Vendor": "v", "URL": "u", "E-Mail": "e",
                    "Flags": { "Unicode": true, "Classes Discardable": false, "Component Non Discardable": false, }, }, }
                """);
            var e = Assert.Throws<FormatException>(() => ModuleInfo.Read(path));
            Assert.Contains("Classes", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
