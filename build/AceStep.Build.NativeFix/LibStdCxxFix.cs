using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using AceStep.Build.NativeFix.Elf;

namespace AceStep.Build.NativeFix;

/// <summary>When to patch: auto (only if the system libstdc++ lacks a needed version), always, or never.</summary>
internal enum FixMode
{
    Auto,
    Always,
    Never,
}

/// <summary>A clear, user-facing failure of the fix (missing tool, unfixable library, ...).</summary>
internal sealed class NativeFixException(string message) : Exception(message);

/// <summary>What the fix decided for one library.</summary>
/// <param name="VersionsToWeaken">libstdc++ versions to mark weak and provide from the shim; empty = nothing to do.</param>
/// <param name="Reason">One line for the build log.</param>
internal sealed record FixPlan(IReadOnlyList<string> VersionsToWeaken, string Reason)
{
    /// <summary>True when the library must be patched.</summary>
    public bool IsNeeded => VersionsToWeaken.Count > 0;
}

/// <summary>
/// The libstdc++ compatibility fix for TorchSharp's libLibTorchSharp.so. TorchSharp 0.107 was built with GCC 13,
/// whose &lt;iostream&gt; references std::ios_base_library_init() (GLIBCXX_3.4.32) only to force linking against a
/// libstdc++ that initialises the standard streams itself. Nothing calls it (no relocation refers to it), so on an
/// older libstdc++ (Debian 12 has GCC 12, up to GLIBCXX_3.4.30) it is enough to (1) make that version need weak
/// and (2) provide the symbol at that version from a tiny no-op library added as DT_NEEDED and found through the
/// library's existing $ORIGIN run path. Any other missing version means real code would be missing: we refuse.
/// </summary>
internal static class LibStdCxxFix
{
    /// <summary>The library whose version needs we fix.</summary>
    public const string LibStdCxx = "libstdc++.so.6";

    /// <summary>File name of the shim library placed next to the patched libLibTorchSharp.so.</summary>
    public const string ShimFileName = "libAceStepCxxShim.so";

    /// <summary>What to tell a developer whose machine lacks a tool the fix needs.</summary>
    public const string SetupHint = "run scripts/setup.sh (it installs gcc and patchelf), or apt-get install gcc patchelf";

    /// <summary>
    /// libstdc++ versions we can stand in for, with every symbol a library may bind to them. Only symbols that are
    /// referenced but never called may be listed here: the shim defines them as no-ops.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> ShimmableVersions =
        new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
        {
            ["GLIBCXX_3.4.32"] = ["_ZSt21ios_base_library_initv"],
        };

    /// <summary>Default places of the libstdc++ that ld.so loads (Debian/Ubuntu multiarch first).</summary>
    public static readonly IReadOnlyList<string> LibStdCxxCandidates =
    [
        "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
        "/usr/lib64/libstdc++.so.6",
        "/usr/lib/libstdc++.so.6",
    ];

    /// <summary>Finds the system libstdc++, or null when none of the usual places has one.</summary>
    public static string? FindSystemLibStdCxx() => LibStdCxxCandidates.FirstOrDefault(File.Exists);

    /// <summary>Decides what to patch in <paramref name="library"/> given the versions the system libstdc++ defines.</summary>
    /// <param name="library">The unpatched libLibTorchSharp.so.</param>
    /// <param name="mode">Auto compares with <paramref name="systemVersions"/>; Always weakens every shimmable need.</param>
    /// <param name="systemVersions">Version definitions of the system libstdc++ (ignored unless Auto).</param>
    /// <exception cref="NativeFixException">The system lacks a version the shim cannot provide.</exception>
    public static FixPlan Plan(ElfImage library, FixMode mode, IReadOnlySet<string>? systemVersions)
    {
        if (mode == FixMode.Never)
            return new FixPlan([], "fix disabled (mode never)");
        var needs = library.ReadVersionNeeds().Where(n => n.File == LibStdCxx).SelectMany(n => n.Versions).ToList();
        List<VersionNeedAux> missing = mode == FixMode.Always
            ? needs.Where(v => ShimmableVersions.ContainsKey(v.Name)).ToList()
            : needs.Where(v => !(systemVersions ?? throw new ArgumentNullException(nameof(systemVersions))).Contains(v.Name)).ToList();
        if (missing.Count == 0)
        {
            return new FixPlan([], mode == FixMode.Always
                ? $"{Path.GetFileName(library.Description)} needs no shimmable {LibStdCxx} version"
                : $"the system {LibStdCxx} defines every version {Path.GetFileName(library.Description)} needs");
        }

        var unfixable = missing.Where(v => !ShimmableVersions.ContainsKey(v.Name)).Select(v => v.Name).ToList();
        if (unfixable.Count > 0)
        {
            throw new NativeFixException(
                $"{library.Description} needs {string.Join(", ", unfixable)} from {LibStdCxx}, which this system's libstdc++ lacks " +
                $"and which cannot be shimmed (real code would be missing). Install a newer libstdc++6 (GCC 13 or later).");
        }

        var symbols = library.ReadDynamicSymbols();
        foreach (var version in missing)
        {
            var bound = symbols.Where(s => s.VersionIndex == version.Index).Select(s => s.Name).ToList();
            var unknown = bound.Except(ShimmableVersions[version.Name], StringComparer.Ordinal).ToList();
            if (unknown.Count > 0)
            {
                throw new NativeFixException(
                    $"{library.Description} binds {string.Join(", ", unknown)} to {version.Name}; the shim only knows " +
                    $"{string.Join(", ", ShimmableVersions[version.Name])}. Install a newer libstdc++6 (GCC 13 or later).");
            }
        }

        var names = missing.Select(v => v.Name).ToList();
        return new FixPlan(names, $"patching: {LibStdCxx} version(s) {string.Join(", ", names)} made weak and provided by {ShimFileName}");
    }

    /// <summary>Applies <paramref name="plan"/> to the in-memory image. Idempotent.</summary>
    /// <param name="library">The image to patch (a copy; never the NuGet cache file).</param>
    /// <param name="plan">A plan from <see cref="Plan"/>.</param>
    /// <param name="patchelf">Path of patchelf for the rare library with no room in place; null = none available.</param>
    /// <returns>The patched bytes (a new array when patchelf had to run).</returns>
    public static byte[] Apply(ElfImage library, FixPlan plan, string? patchelf)
    {
        foreach (var version in plan.VersionsToWeaken)
            ElfPatcher.MarkVersionNeedWeak(library, LibStdCxx, version);
        try
        {
            ElfPatcher.AddNeeded(library, ShimFileName);
            return library.Bytes;
        }
        catch (ElfPatchException inPlace)
        {
            if (patchelf is null)
            {
                throw new NativeFixException(
                    $"{inPlace.Message} Adding it needs patchelf, which was not found: {SetupHint}.");
            }

            return AddNeededWithPatchelf(library.Bytes, patchelf);
        }
    }

    /// <summary>Writes the shim's C source and version script to <paramref name="directory"/> and compiles it.</summary>
    /// <param name="directory">Output directory (the project's obj dir).</param>
    /// <param name="versions">Versions to define (from the plan).</param>
    /// <param name="compiler">C compiler (gcc).</param>
    /// <returns>Path of the built shim.</returns>
    public static string BuildShim(string directory, IReadOnlyList<string> versions, string compiler)
    {
        var source = new StringBuilder()
            .AppendLine("/* Generated by build/AceStep.Build.NativeFix; see docs/torch-backend.md.")
            .AppendLine(" * Stands in for libstdc++ symbols that libLibTorchSharp.so references but never calls, at the")
            .AppendLine(" * version it asks for, so the library loads on an older libstdc++. */");
        var script = new StringBuilder();
        foreach (var version in versions)
        {
            script.Append(version).AppendLine(" {").AppendLine("  global:");
            foreach (var symbol in ShimmableVersions[version])
            {
                source.Append("void ").Append(symbol).AppendLine("(void) {}");
                script.Append("    ").Append(symbol).AppendLine(";");
            }

            script.AppendLine("  local: *;").AppendLine("};");
        }

        var sourcePath = Path.Combine(directory, "acestep_cxx_shim.c");
        var scriptPath = Path.Combine(directory, "acestep_cxx_shim.map");
        var output = Path.Combine(directory, ShimFileName);
        File.WriteAllText(sourcePath, source.ToString());
        File.WriteAllText(scriptPath, script.ToString());

        // -nostdlib: the shim calls nothing, so it needs neither crt files nor libc (no libc6-dev needed).
        // --build-id=none and -ffile-prefix-map keep the output byte-identical across machines and checkouts.
        Run(compiler,
        [
            "-shared", "-fPIC", "-O2", "-nostdlib", "-ffile-prefix-map=" + directory + "=.",
            "-Wl,--version-script=" + scriptPath, "-Wl,-soname," + ShimFileName, "-Wl,--build-id=none",
            "-o", output, sourcePath,
        ], $"{compiler} was not found; {SetupHint}.");
        return output;
    }

    /// <summary>Finds an executable on PATH (or takes an explicit path as is).</summary>
    public static string? FindOnPath(string name)
    {
        if (name.Contains('/', StringComparison.Ordinal))
            return File.Exists(name) ? name : null;
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
                return candidate;
        }

        return null;
    }

    private static byte[] AddNeededWithPatchelf(byte[] bytes, string patchelf)
    {
        var temp = Path.Combine(Path.GetTempPath(), $"acestep-nativefix-{Environment.ProcessId}-{Guid.NewGuid():N}.so");
        try
        {
            File.WriteAllBytes(temp, bytes);
            Run(patchelf, ["--add-needed", ShimFileName, temp], $"patchelf was not found; {SetupHint}.");
            return File.ReadAllBytes(temp);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private static void Run(string fileName, IReadOnlyList<string> arguments, string missingMessage)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new NativeFixException(missingMessage);
        }
        catch (Win32Exception)
        {
            throw new NativeFixException(missingMessage);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new NativeFixException(string.Create(CultureInfo.InvariantCulture,
                    $"{fileName} {string.Join(' ', arguments)} failed with exit code {process.ExitCode}: {stderr.Trim()} {stdout.Result.Trim()}"));
            }
        }
    }
}
