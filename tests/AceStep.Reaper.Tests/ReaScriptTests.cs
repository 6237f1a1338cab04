using System.Diagnostics;

namespace AceStep.Reaper.Tests;

/// <summary>
/// The REAPER actions (plugin/reaper/*.lua) are tested in Lua against a recorded fake of the ReaScript API
/// (plugin/reaper/tests). This runs that suite with lua5.4 — the Lua REAPER embeds — and fails with its output.
/// </summary>
public sealed class ReaScriptTests
{
    [Fact]
    public async Task Lua_suite_passes()
    {
        var root = FindRepoRoot();
        var runner = Path.Combine(root, "plugin", "reaper", "tests", "run.lua");
        Assert.True(File.Exists(runner), $"missing {runner}");

        var lua = FindOnPath("lua5.4");
        Assert.True(lua is not null,
            "lua5.4 is not installed; run scripts/setup.sh (it installs lua5.4 with apt) and test again.");

        var start = new ProcessStartInfo(lua!)
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(runner);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("the Lua tests did not finish within 2 minutes:\n" + await stdout);
        }
        var output = await stdout + await stderr;

        Assert.True(process.ExitCode == 0, $"lua5.4 {runner} exited with {process.ExitCode}:\n{output}");
        Assert.Contains(" passed, 0 failed", output, StringComparison.Ordinal);
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AceStep.Vst.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("AceStep.Vst.sln not found above " + AppContext.BaseDirectory);
    }

    private static string? FindOnPath(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }
}
