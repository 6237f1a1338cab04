using System.Diagnostics;
using System.Text.Json;

namespace AceStep.Engine.Torch.Tests;

/// <summary>
/// The engine project's backend switch, evaluated by MSBuild (no restore, so the CUDA package need not be
/// reachable): one property, two packages, anything else a clear error.
/// </summary>
public class BackendSelectionTests
{
    private static readonly string Project = Path.Combine(FindRepoRoot(), "engine", "AceStep.Engine.Torch", "AceStep.Engine.Torch.csproj");

    [Theory]
    [InlineData("cpu", "TorchSharp-cpu")]
    [InlineData("cuda", "TorchSharp-cuda-linux")]
    public void Backend_property_selects_exactly_one_TorchSharp_package(string backend, string package)
    {
        // Input: `dotnet msbuild -getItem:PackageReference -p:AceStepTorchBackend=<backend>` on the engine project.
        var (exitCode, output) = DotnetMsbuild("-getItem:PackageReference", $"-p:AceStepTorchBackend={backend}");
        Assert.True(exitCode == 0, output);
        var references = JsonDocument.Parse(output).RootElement.GetProperty("Items").GetProperty("PackageReference")
            .EnumerateArray().Select(e => e.GetProperty("Identity").GetString()).ToList();
        Assert.Equal([package], references);
    }

    [Theory]
    [InlineData("-p:RuntimeIdentifier=win-x64", "TorchSharp-cuda-windows")]
    [InlineData("-p:RuntimeIdentifier=linux-x64", "TorchSharp-cuda-linux")]
    [InlineData("-p:AceStepTorchCudaPlatform=windows", "TorchSharp-cuda-windows")]
    public void Cuda_backend_picks_the_package_of_the_target_OS(string target, string package)
    {
        // Input: -p:AceStepTorchBackend=cuda with a Windows or Linux runtime identifier (as `dotnet publish -r`
        // gives), or with the target OS named as a building Windows machine would default it.
        var (exitCode, output) = DotnetMsbuild("-getItem:PackageReference", "-p:AceStepTorchBackend=cuda", target);
        Assert.True(exitCode == 0, output);
        var references = JsonDocument.Parse(output).RootElement.GetProperty("Items").GetProperty("PackageReference")
            .EnumerateArray().Select(e => e.GetProperty("Identity").GetString()).ToList();
        Assert.Equal([package], references);
    }

    [Fact]
    public void Unknown_backend_is_a_clear_build_error()
    {
        // Input: the validation target (which restore and build run first) with AceStepTorchBackend=rocm.
        var (exitCode, output) = DotnetMsbuild("-t:AceStepValidateTorchBackend", "-p:AceStepTorchBackend=rocm");
        Assert.NotEqual(0, exitCode);
        Assert.Contains("error ASTB001", output, StringComparison.Ordinal);
        Assert.Contains("use cpu (default) or cuda", output, StringComparison.Ordinal);
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
            if (File.Exists(Path.Combine(dir.FullName, "Directory.Packages.props")) && Directory.Exists(Path.Combine(dir.FullName, "engine")))
                return dir.FullName;
        }

        throw new InvalidOperationException($"no repository root above {AppContext.BaseDirectory}");
    }
}
