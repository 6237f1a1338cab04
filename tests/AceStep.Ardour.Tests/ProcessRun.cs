using System.Diagnostics;
using System.Text;

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
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        string command = file + " " + string.Join(' ', start.ArgumentList);
        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(limit);
        bool timedOut = false;
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            timedOut = true;
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        // WaitForExit without a timeout also waits for the redirected streams to reach their end.
        process.WaitForExit();
        lock (output)
        {
            return new ProcessRun(command, timedOut ? -1 : process.ExitCode, output.ToString(), timedOut);
        }
    }

    /// <summary>The run for a failure message.</summary>
    public override string ToString() =>
        $"$ {Command}\n[exit {(TimedOut ? "killed: time limit" : ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture))}]\n{Output}";

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }
}
