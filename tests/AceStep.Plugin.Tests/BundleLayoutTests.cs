using AceStep.Vst3;
using AceStep.Vst3.Hosting;

namespace AceStep.Plugin.Tests;

public sealed class BundleLayoutTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("acestep-bundle-tests-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Fact]
    public void Published_bundle_has_the_linux_layout()
    {
        string arch = Vst3Platform.CurrentArchitectureFolder!;
        Assert.EndsWith("AceStep.vst3", TestBundle.Path, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(TestBundle.Path, "Contents", arch, "AceStep.so")), $"no Contents/{arch}/AceStep.so");
        Assert.True(File.Exists(Path.Combine(TestBundle.Path, "Contents", "Resources", "moduleinfo.json")), "no moduleinfo.json");

        var layout = Vst3BundleLayout.Validate(TestBundle.Path);
        Assert.Equal("AceStep", layout.Name);
        Assert.Equal(arch, layout.ArchitectureFolder);
        Assert.Equal(Path.Combine(TestBundle.Path, "Contents", arch, "AceStep.so"), layout.LibraryPath);
    }

    [Fact]
    public void Architecture_folder_is_named_like_uname_m()
    {
        Assert.Equal("x86_64-linux", Vst3Platform.GetArchitectureFolder(System.Runtime.InteropServices.Architecture.X64));
        Assert.Equal("aarch64-linux", Vst3Platform.GetArchitectureFolder(System.Runtime.InteropServices.Architecture.Arm64));
    }

    [Fact]
    public void Missing_bundle_is_reported_as_not_found()
    {
        // Input: a path that does not exist.
        string missing = Path.Combine(_scratch, "Nope.vst3");
        var e = Assert.Throws<Vst3BundleNotFoundException>(() => Vst3Module.Load(missing));
        Assert.Contains("Nope.vst3", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_instead_of_a_folder_is_reported_as_not_found()
    {
        // Input: a regular file named like a bundle (the Windows single-file form, not valid on Linux).
        string file = Path.Combine(_scratch, "File.vst3");
        File.WriteAllText(file, "not a bundle");
        Assert.Throws<Vst3BundleNotFoundException>(() => Vst3BundleLayout.Validate(file));
    }

    [Fact]
    public void Folder_without_vst3_extension_is_rejected()
    {
        // Input: an existing folder named "NotABundle".
        string dir = Directory.CreateDirectory(Path.Combine(_scratch, "NotABundle")).FullName;
        Assert.Throws<Vst3BundleStructureException>(() => Vst3BundleLayout.Validate(dir));
    }

    [Fact]
    public void Bundle_without_contents_is_rejected()
    {
        // Input: an empty "Empty.vst3" folder.
        string dir = Directory.CreateDirectory(Path.Combine(_scratch, "Empty.vst3")).FullName;
        var e = Assert.Throws<Vst3BundleStructureException>(() => Vst3BundleLayout.Validate(dir));
        Assert.Contains("Contents", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bundle_without_the_architecture_folder_is_rejected()
    {
        // Input: "Other.vst3/Contents/Resources" only, no "<arch>-linux" folder.
        string dir = Path.Combine(_scratch, "Other.vst3");
        Directory.CreateDirectory(Path.Combine(dir, "Contents", "Resources"));
        var e = Assert.Throws<Vst3BundleStructureException>(() => Vst3BundleLayout.Validate(dir));
        Assert.Contains(Vst3Platform.CurrentArchitectureFolder!, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Library_named_differently_from_the_bundle_is_rejected()
    {
        // Input: the real AceStep.so copied into "Renamed.vst3", where hosts look for Renamed.so.
        string arch = Vst3Platform.CurrentArchitectureFolder!;
        string dir = Path.Combine(_scratch, "Renamed.vst3");
        Directory.CreateDirectory(Path.Combine(dir, "Contents", arch));
        File.Copy(Vst3BundleLayout.Validate(TestBundle.Path).LibraryPath, Path.Combine(dir, "Contents", arch, "AceStep.so"));
        var e = Assert.Throws<Vst3BundleStructureException>(() => Vst3BundleLayout.Validate(dir));
        Assert.Contains("Renamed.so", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Library_for_another_architecture_only_is_rejected()
    {
        // Input: AceStep.so placed under a folder for an architecture this process is not.
        string dir = Path.Combine(_scratch, "Foreign.vst3");
        string foreign = Vst3Platform.CurrentArchitectureFolder == "aarch64-linux" ? "x86_64-linux" : "aarch64-linux";
        Directory.CreateDirectory(Path.Combine(dir, "Contents", foreign));
        File.WriteAllText(Path.Combine(dir, "Contents", foreign, "Foreign.so"), "");
        var e = Assert.Throws<Vst3BundleStructureException>(() => Vst3BundleLayout.Validate(dir));
        Assert.Contains(foreign, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Non_elf_library_fails_to_load_with_a_module_error()
    {
        // Input: "Text.vst3/Contents/<arch>/Text.so" that holds text, not an ELF file.
        string arch = Vst3Platform.CurrentArchitectureFolder!;
        string dir = Path.Combine(_scratch, "Text.vst3");
        Directory.CreateDirectory(Path.Combine(dir, "Contents", arch));
        File.WriteAllText(Path.Combine(dir, "Contents", arch, "Text.so"), "this is not a shared library");
        Assert.Throws<Vst3ModuleException>(() => Vst3Module.Load(dir));
    }

    [Fact]
    public void Library_without_vst3_exports_is_reported_by_export_name()
    {
        // Input: a copy of the C math library (a real ELF .so with none of the three exports) as "Math.vst3".
        string libm = FindLoadedLibrary("libm.so");
        string arch = Vst3Platform.CurrentArchitectureFolder!;
        string dir = Path.Combine(_scratch, "Math.vst3");
        Directory.CreateDirectory(Path.Combine(dir, "Contents", arch));
        File.Copy(libm, Path.Combine(dir, "Contents", arch, "Math.so"));

        var e = Assert.Throws<Vst3MissingExportException>(() => Vst3Module.Load(dir));
        Assert.Equal("ModuleEntry", e.ExportName);
    }

    private static string FindLoadedLibrary(string prefix)
    {
        // The runtime maps libm; reading the maps finds its real path on any distribution layout.
        return File.ReadLines("/proc/self/maps")
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(parts => parts.Length >= 6 && Path.GetFileName(parts[5]).StartsWith(prefix, StringComparison.Ordinal))
            .Select(parts => parts[5])
            .First();
    }
}
