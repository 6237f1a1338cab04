using System.Diagnostics;

namespace AceStep.Vst3.Tests;

/// <summary>
/// The Wine check's cross build of the plugin (linked on Linux without MSVC's stack cookie and CFG) must never land in
/// the product bundle: plugin/AceStep.Plugin/Bundle.targets refuses to pack it into artifacts/plugin.
/// </summary>
public class CheckOnlyBundleGuardTests
{
    private static readonly string Root = FindRepoRoot();
    private static readonly string Project = Path.Combine(Root, "plugin", "AceStep.Plugin", "AceStep.Plugin.csproj");

    [Theory]
    [InlineData("-p:AceStepCheckOnlyBuild=true")]
    [InlineData("-p:CppLinker={root}/scripts/wine/lld-link-check.sh")]
    public void A_check_only_Windows_build_is_refused_for_the_product_bundle(string marker)
    {
        // Input: the bundle step of a win-x64 publish marked check-only (by the property the Wine check sets, or by
        // its linker alone), with the default bundle folder artifacts/plugin/AceStep.vst3.
        var (exitCode, output) = DotnetMsbuild("-t:AceStepCreateBundle", "-p:RuntimeIdentifier=win-x64", "-p:Configuration=Release",
            marker.Replace("{root}", Root, StringComparison.Ordinal));
        Assert.NotEqual(0, exitCode);
        Assert.Contains("error ASVB002", output, StringComparison.Ordinal);
        Assert.Contains("may not be packed into", output, StringComparison.Ordinal);
    }

    private static (int ExitCode, string Output) DotnetMsbuild(params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "msbuild", Project, "-nologo", "-nodeReuse:false" }.Concat(args))
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr);
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Directory.Packages.props")) && Directory.Exists(Path.Combine(dir.FullName, "plugin")))
                return dir.FullName;
        }

        throw new InvalidOperationException($"no repository root above {AppContext.BaseDirectory}");
    }
}
