namespace AceStep.Cli.Tests;

/// <summary>What a script sees when things are wrong: exit codes and one readable line.</summary>
public class CliErrorTests
{
    [Fact]
    public async Task No_engine_on_the_pipe_exits_3_and_says_how_to_start_one()
    {
        // Input: a pipe name nobody listens on.
        var (exit, _, stderr) = await ProcessRunner.RunAsync("acestep.dll", "ping", "--engine", "acestep-nobody-" + Guid.NewGuid().ToString("N")[..6], "--timeout", "0.5");
        Assert.Equal(ExitCodes.EngineUnavailable, exit);
        Assert.Contains("scripts/engine.sh", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_engine_over_http_exits_3()
    {
        // Input: a loopback port with no listener.
        var (exit, _, stderr) = await ProcessRunner.RunAsync("acestep.dll", "ping", "--http", "--engine", $"http://127.0.0.1:{ProcessRunner.FreeTcpPort()}", "--timeout", "2");
        Assert.Equal(ExitCodes.EngineUnavailable, exit);
        Assert.Contains("No AceStep engine answered", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_command_exits_2_and_points_at_help()
    {
        // Input: the command "pong".
        var (exit, _, stderr) = await ProcessRunner.RunAsync("acestep.dll", "pong");
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("acestep --help", stderr, StringComparison.Ordinal);
    }
}
