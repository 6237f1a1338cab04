using AceStep.Build.NativeFix.Elf;

namespace AceStep.Build.NativeFix;

/// <summary>The tool's commands: <c>fix</c> (what the build runs) and <c>inspect</c> (for people and tests).</summary>
internal static class FixCommand
{
    /// <summary>Name of the one-line file telling MSBuild the outcome: "patched" or "untouched".</summary>
    public const string ResultFileName = "nativefix.result";

    /// <summary>
    /// Decides and, if needed, writes the patched copy and the shim into the output directory, then writes the
    /// result file last (MSBuild uses it as the target's output, so a failed run is retried next build).
    /// The input is only ever read.
    /// </summary>
    public static int Run(IReadOnlyList<string> args)
    {
        var options = ParseOptions(args);
        var input = Required(options, "--input");
        var outputDir = Required(options, "--output-dir");
        var mode = Enum.TryParse<FixMode>(options.GetValueOrDefault("--mode", "auto"), ignoreCase: true, out var m)
            ? m
            : throw new NativeFixException($"--mode must be auto, always or never, not '{options["--mode"]}'.");
        Directory.CreateDirectory(outputDir);
        var patchedPath = Path.Combine(outputDir, Path.GetFileName(input));
        var shimPath = Path.Combine(outputDir, LibStdCxxFix.ShimFileName);
        var resultPath = Path.Combine(outputDir, ResultFileName);
        File.Delete(resultPath);

        var library = ElfImage.Load(input);
        IReadOnlySet<string>? systemVersions = null;
        if (mode == FixMode.Auto)
        {
            var libstdcxx = options.GetValueOrDefault("--libstdcxx") ?? LibStdCxxFix.FindSystemLibStdCxx();
            if (libstdcxx is null || !File.Exists(libstdcxx))
            {
                throw new NativeFixException(
                    $"cannot find the system {LibStdCxxFix.LibStdCxx} (looked in {string.Join(", ", LibStdCxxFix.LibStdCxxCandidates)}); " +
                    "set -p:AceStepSystemLibStdCxx=<path>, or -p:AceStepTorchNativeFix=always|never.");
            }

            systemVersions = ElfImage.Load(libstdcxx).ReadVersionDefinitions();
        }

        var plan = LibStdCxxFix.Plan(library, mode, systemVersions);
        if (!plan.IsNeeded)
        {
            // Leave no stale patched files that a later build might pick up by mistake.
            File.Delete(patchedPath);
            File.Delete(shimPath);
            Console.WriteLine($"AceStep.Build.NativeFix: {Path.GetFileName(input)} used as is: {plan.Reason}.");
            File.WriteAllText(resultPath, "untouched\n");
            return 0;
        }

        var compiler = LibStdCxxFix.FindOnPath(options.GetValueOrDefault("--cc", "gcc"))
            ?? throw new NativeFixException($"gcc was not found on PATH; it builds the small {LibStdCxxFix.ShimFileName} this fix needs. {Capitalised(LibStdCxxFix.SetupHint)}.");
        var patchelf = LibStdCxxFix.FindOnPath(options.GetValueOrDefault("--patchelf", "patchelf"));
        var bytes = LibStdCxxFix.Apply(library, plan, patchelf);
        ElfImage.Parse(bytes, patchedPath + " (patched)");   // re-read: never hand the loader something we cannot parse

        var builtShim = LibStdCxxFix.BuildShim(outputDir, plan.VersionsToWeaken, compiler);
        if (!string.Equals(Path.GetFullPath(builtShim), Path.GetFullPath(shimPath), StringComparison.Ordinal))
            File.Move(builtShim, shimPath, overwrite: true);
        var temp = patchedPath + ".tmp";
        File.WriteAllBytes(temp, bytes);
        File.Move(temp, patchedPath, overwrite: true);
        Console.WriteLine($"AceStep.Build.NativeFix: {plan.Reason} -> {patchedPath}");
        File.WriteAllText(resultPath, "patched\n");
        return 0;
    }

    /// <summary>Prints DT_NEEDED, the run path and the version needs of an ELF shared object.</summary>
    public static int Inspect(string path)
    {
        var image = ElfImage.Load(path);
        Console.WriteLine($"needed: {string.Join(' ', image.Needed)}");
        Console.WriteLine($"runpath: {image.RunPath}");
        foreach (var need in image.ReadVersionNeeds())
        {
            Console.WriteLine($"verneed {need.File}: " +
                string.Join(' ', need.Versions.Select(v => v.IsWeak ? v.Name + "(weak)" : v.Name)));
        }

        return 0;
    }

    private static string Capitalised(string text) => char.ToUpperInvariant(text[0]) + text[1..];

    private static string Required(Dictionary<string, string> options, string name) =>
        options.TryGetValue(name, out var value) && value.Length > 0
            ? value
            : throw new NativeFixException($"missing required option {name}.");

    private static Dictionary<string, string> ParseOptions(IReadOnlyList<string> args)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
                throw new NativeFixException($"unexpected argument '{args[i]}'.");
            result[args[i]] = args[++i];
        }

        return result;
    }
}
