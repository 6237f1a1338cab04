using System.Diagnostics;
using System.Text;

namespace AceStep.Ardour.Tests;

/// <summary>
/// A program that runs while the test talks to it: its output (stdout and stderr interleaved) is collected line by
/// line, and the test can wait for a line before it acts (e.g. the Lua script saying the control page is open).
/// </summary>
internal sealed class LiveProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly List<string> _lines = [];
    private readonly SemaphoreSlim _lineArrived = new(0, int.MaxValue);

    private LiveProcess(Process process, string command)
    {
        _process = process;
        Command = command;
    }

    /// <summary>The command line, for messages.</summary>
    public string Command { get; }

    /// <summary>Everything printed so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
                return _output.ToString();
        }
    }

    /// <summary>Starts <paramref name="file"/> with extra environment variables.</summary>
    public static LiveProcess Start(string file, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment)
            start.Environment[key] = value;

        var process = new Process { StartInfo = start };
        var live = new LiveProcess(process, file + " " + string.Join(' ', start.ArgumentList));
        process.OutputDataReceived += (_, e) => live.Append(e.Data);
        process.ErrorDataReceived += (_, e) => live.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return live;
    }

    /// <summary>Waits for a line that satisfies <paramref name="match"/>; null when the program ended or time ran out first.</summary>
    public async Task<string?> WaitForLineAsync(Func<string, bool> match, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        int seen = 0;
        while (true)
        {
            lock (_output)
            {
                for (; seen < _lines.Count; seen++)
                {
                    if (match(_lines[seen]))
                        return _lines[seen];
                }
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || (_process.HasExited && !await _lineArrived.WaitAsync(TimeSpan.FromMilliseconds(200))))
                return null;
            await _lineArrived.WaitAsync(left < TimeSpan.FromMilliseconds(250) ? left : TimeSpan.FromMilliseconds(250));
        }
    }

    /// <summary>Waits for the end (killing the program at the limit) and returns the run.</summary>
    public async Task<ProcessRun> FinishAsync(TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        bool timedOut = false;
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            timedOut = true;
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        // WaitForExit without a timeout also waits for the redirected streams to reach their end.
        _process.WaitForExit();
        return new ProcessRun(Command, timedOut ? -1 : _process.ExitCode, Output, timedOut);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
        _lineArrived.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_output)
        {
            _output.AppendLine(line);
            _lines.Add(line);
        }

        _lineArrived.Release();
    }
}
