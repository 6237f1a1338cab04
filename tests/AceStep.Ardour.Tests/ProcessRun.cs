namespace AceStep.Ardour.Tests;

/// <summary>What one program run printed, and how it ended.</summary>
/// <param name="Command">The command line, for messages.</param>
/// <param name="ExitCode">The exit status (−1 when it was killed for running too long).</param>
/// <param name="Output">Standard output and standard error, interleaved as they arrived.</param>
/// <param name="TimedOut">Whether it was killed at the time limit.</param>
internal sealed record ProcessRun(string Command, int ExitCode, string Output, bool TimedOut)
{
    /// <summary>Runs a program to its end or the time limit, with extra environment variables.</summary>
    public static async Task<ProcessRun> RunAsync(string file, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, TimeSpan limit)
    {
        using var live = LiveProcess.Start(file, arguments, environment);
        return await live.FinishAsync(limit);
    }

    /// <summary>The run for a failure message.</summary>
    public override string ToString() =>
        $"$ {Command}\n[exit {(TimedOut ? "killed: time limit" : ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture))}]\n{Output}";
}
