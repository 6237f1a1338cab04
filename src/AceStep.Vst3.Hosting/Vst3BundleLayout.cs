namespace AceStep.Vst3.Hosting;

/// <summary>The paths inside a Linux or Windows <c>Name.vst3</c> bundle, checked the way Steinberg's hosting code checks them.</summary>
/// <param name="BundlePath">The <c>Name.vst3</c> folder (full path, no trailing separator).</param>
/// <param name="Name">The bundle stem, <c>Name</c>.</param>
/// <param name="ArchitectureFolder">For example <c>x86_64-linux</c> or <c>x86_64-win</c>.</param>
/// <param name="LibraryPath"><c>Contents/&lt;arch&gt;/Name.so</c> on Linux, <c>Contents/&lt;arch&gt;/Name.vst3</c> (a DLL) on Windows.</param>
public sealed record Vst3BundleLayout(string BundlePath, string Name, string ArchitectureFolder, string LibraryPath)
{
    /// <summary>The bundle file-name extension.</summary>
    public const string Extension = ".vst3";

    /// <summary><c>Contents/</c>.</summary>
    public string ContentsPath => Path.Combine(BundlePath, "Contents");

    /// <summary><c>Contents/Resources/moduleinfo.json</c> (it may not exist; it is optional).</summary>
    public string ModuleInfoPath => Path.Combine(ContentsPath, "Resources", "moduleinfo.json");

    /// <summary>Checks the bundle structure and finds the library for an architecture.</summary>
    /// <param name="bundlePath">The <c>Name.vst3</c> folder.</param>
    /// <param name="architectureFolder">The folder to use; by default the current process's (<c>uname -m</c>-linux,
    /// <c>x86_64-win</c>).</param>
    /// <returns>The layout.</returns>
    /// <exception cref="Vst3BundleNotFoundException">The folder does not exist.</exception>
    /// <exception cref="Vst3BundleStructureException">The folder is not a valid bundle for the architecture.</exception>
    public static Vst3BundleLayout Validate(string bundlePath, string? architectureFolder = null) =>
        Validate(bundlePath, architectureFolder, OperatingSystem.IsWindows());

    /// <summary><see cref="Validate(string, string?)"/> under Windows (<paramref name="windows"/>) or Linux rules:
    /// the platform seam that lets a Windows bundle's layout be checked on Linux.</summary>
    /// <param name="bundlePath">The <c>Name.vst3</c> folder.</param>
    /// <param name="architectureFolder">The folder to use; by default the current architecture's for that platform.</param>
    /// <param name="windows">Windows rules (<c>Contents/x86_64-win/Name.vst3</c>) rather than Linux ones.</param>
    /// <returns>The layout.</returns>
    public static Vst3BundleLayout Validate(string bundlePath, string? architectureFolder, bool windows)
    {
        ArgumentException.ThrowIfNullOrEmpty(bundlePath);
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(bundlePath));
        if (!Directory.Exists(full))
        {
            throw new Vst3BundleNotFoundException(File.Exists(full)
                ? $"'{full}' is a file; a VST3 bundle is a folder (single-file Windows .vst3 modules are not supported here)."
                : $"VST3 bundle '{full}' does not exist.");
        }

        if (!full.EndsWith(Extension, StringComparison.OrdinalIgnoreCase))
        {
            throw new Vst3BundleStructureException($"'{full}' is not a VST3 bundle: its name must end with '{Extension}'.");
        }

        string arch = architectureFolder
            ?? Vst3Platform.GetArchitectureFolder(System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture, windows)
            ?? throw new Vst3BundleStructureException("No VST3 architecture folder is known for this process architecture.");
        string name = Path.GetFileNameWithoutExtension(full);
        string contents = Path.Combine(full, "Contents");
        if (!Directory.Exists(contents))
        {
            throw new Vst3BundleStructureException($"Bundle '{full}' has no 'Contents' folder.");
        }

        string archPath = Path.Combine(contents, arch);
        if (!Directory.Exists(archPath))
        {
            string found = string.Join(", ", Directory.EnumerateDirectories(contents).Select(Path.GetFileName));
            throw new Vst3BundleStructureException(
                $"Bundle '{full}' has no 'Contents/{arch}' folder for this machine (found: {(found.Length == 0 ? "none" : found)}).");
        }

        string fileName = Vst3Platform.GetLibraryFileName(name, windows);
        string library = Path.Combine(archPath, fileName);
        if (!File.Exists(library))
        {
            throw new Vst3BundleStructureException(
                $"Bundle '{full}' has no 'Contents/{arch}/{fileName}'; the library must be named after the bundle.");
        }

        return new Vst3BundleLayout(full, name, arch, library);
    }
}
