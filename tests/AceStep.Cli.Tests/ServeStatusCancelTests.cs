using System.Diagnostics;
using System.Text.Json.Nodes;

namespace AceStep.Cli.Tests;

/// <summary><c>acestep serve</c>, <c>acestep status</c>, and Ctrl+C during a generation.</summary>
public class ServeStatusCancelTests
{
    [Fact]
    public async Task Serve_runs_an_engine_that_status_reports_until_ctrl_c()
    {
        var models = Path.Combine(Path.GetTempPath(), "acestep-cli-status-" + Guid.NewGuid().ToString("N")[..8]);
        var serve = new EngineProcess { Assembly = "acestep.dll", Arguments = ["serve", "--diagnostic-tone", "1"] };
        await serve.InitializeAsync();
        try
        {
            var (exit, stdout, stderr) = await ProcessRunner.RunAsync("acestep.dll", "status", "--engine", serve.PipeName, "--models-dir", models, "--json");

            Assert.True(exit == 0, $"exit {exit}: {stderr}");
            var status = JsonNode.Parse(stdout)!;
            Assert.True((bool)status["running"]!);
            Assert.False(string.IsNullOrEmpty((string?)status["version"]));
            Assert.True((int)status["pid"]! > 0);
            Assert.Equal(Path.GetFullPath(models), (string)status["modelsDirectory"]!);
            Assert.Contains(status["models"]!.AsArray(), m => (string)m!["id"]! == "vae" && (string)m["state"]! == "missing");
            // How the engine computes on this CPU (issue #20): its features and the plan chosen from them.
            var compute = status["compute"]!;
            Assert.False(string.IsNullOrEmpty((string?)compute["cpu"]));
            Assert.False(string.IsNullOrEmpty((string?)compute["lm"]));
            var (_, text, _) = await ProcessRunner.RunAsync("acestep.dll", "status", "--engine", serve.PipeName, "--models-dir", models);
            Assert.Contains("LM planner:", text, StringComparison.Ordinal);
            Assert.Contains("DiT and text encoder:", text, StringComparison.Ordinal);

            Assert.Equal(0, await serve.InterruptAsync());
        }
        finally
        {
            await serve.DisposeAsync();
        }
    }

    [Fact]
    public async Task Status_without_an_engine_exits_3_and_still_lists_the_models()
    {
        var (exit, stdout, _) = await ProcessRunner.RunAsync("acestep.dll", "status", "--engine", "acestep-nobody-" + Guid.NewGuid().ToString("N")[..6],
            "--timeout", "0.5", "--json");

        Assert.Equal(ExitCodes.EngineUnavailable, exit);
        var status = JsonNode.Parse(stdout)!;
        Assert.False((bool)status["running"]!);
        Assert.Contains("No AceStep engine", (string)status["problem"]!, StringComparison.Ordinal);
        Assert.NotEmpty(status["models"]!.AsArray());
    }

    [Fact]
    public async Task Ctrl_c_cancels_the_engine_task_and_exits_130_without_an_output_file()
    {
        // 50 ms per step × 200 steps: ten seconds of "generation" to interrupt.
        var engine = new ToneEngine { PerStep = TimeSpan.FromMilliseconds(50) };
        await engine.InitializeAsync();
        var output = Path.Combine(engine.Home, "never.wav");
        try
        {
            using var process = Process.Start(ProcessRunner.Dotnet("acestep.dll",
                ["generate", "--prompt", "a long test tone", "--steps", "200", "--out", output, "--engine", engine.PipeName, "--no-start"]))!;
            var stderr = process.StandardError.ReadToEndAsync();
            string? uuid = null;
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                // "generate: task <uuid> sent to the engine …", then a line per tenth of the progress.
                if (line.StartsWith("generate: task ", StringComparison.Ordinal))
                {
                    uuid = line.Split(' ')[2];
                }
                if (line.Contains("diffusion", StringComparison.Ordinal))
                {
                    break;
                }
            }
            Assert.NotNull(uuid);

            await ProcessRunner.InterruptAsync(process);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(timeout.Token);

            Assert.Equal(ExitCodes.Cancelled, process.ExitCode);
            Assert.Contains($"the engine stopped task {uuid}", await stderr, StringComparison.Ordinal);
            Assert.False(File.Exists(output));
        }
        finally
        {
            await engine.DisposeAsync();
        }
    }
}
