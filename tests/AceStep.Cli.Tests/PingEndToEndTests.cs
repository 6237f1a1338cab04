using System.Text.Json.Nodes;

namespace AceStep.Cli.Tests;

/// <summary>The engine and the CLI as a user runs them: two separate processes.</summary>
public class PingEndToEndTests : IClassFixture<EngineProcess>
{
    private readonly EngineProcess _engine;

    public PingEndToEndTests(EngineProcess engine) => _engine = engine;

    [Fact]
    public async Task The_cli_pings_the_engine_over_the_named_pipe()
    {
        var (exit, stdout, stderr) = await ProcessRunner.RunAsync("acestep.dll", "ping", "--engine", _engine.PipeName);
        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        Assert.Contains("pong", stdout, StringComparison.Ordinal);
        Assert.Contains("over pipe", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_cli_pings_the_engine_over_http_with_json_output()
    {
        var (exit, stdout, stderr) = await ProcessRunner.RunAsync("acestep.dll", "ping", "--http", "--engine", _engine.HttpUrl, "--json");
        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        var result = JsonNode.Parse(stdout)!;
        Assert.True((bool)result["pong"]!);
        Assert.Equal("http", (string)result["transport"]!);
    }

    [Fact]
    public async Task The_engine_created_its_data_directory_on_first_start()
    {
        await Task.Yield();
        Assert.True(File.Exists(Path.Combine(_engine.Home, "jobs.db")), _engine.Log);
        Assert.True(Directory.Exists(Path.Combine(_engine.Home, "models")));
    }

    [Fact]
    public async Task A_second_engine_process_on_the_same_pipe_exits_with_a_clear_message()
    {
        var (exit, _, stderr) = await ProcessRunner.RunAsync("acestep-engine.dll",
            "--pipe", _engine.PipeName, "--http-url", $"http://127.0.0.1:{ProcessRunner.FreeTcpPort()}",
            "--home", Path.Combine(_engine.Home, "second"));
        Assert.Equal(2, exit);
        Assert.Contains("already serves pipe", stderr, StringComparison.Ordinal);
    }
}
