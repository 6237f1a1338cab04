using System.Diagnostics;
using System.Text;

namespace AceStep.Cli.Tests;

/// <summary>A real <c>acestep-engine</c> process on a free port, a private pipe and a temporary home.</summary>
public sealed class EngineProcess : IAsyncLifetime
{
    private readonly StringBuilder _log = new();
    private Process _process = null!;

    public string PipeName { get; } = "acestep-e2e-" + Guid.NewGuid().ToString("N")[..10];

    public string Home { get; init; } = Path.Combine(Path.GetTempPath(), "acestep-e2e-" + Guid.NewGuid().ToString("N")[..10]);

    public string HttpUrl { get; init; } = $"http://127.0.0.1:{ProcessRunner.FreeTcpPort()}";

    /// <summary>The program: the engine executable, or <c>acestep.dll</c> with <c>serve</c> first in <see cref="Arguments"/>.</summary>
    public string Assembly { get; init; } = "acestep-engine.dll";

    /// <summary>Extra engine flags, e.g. <c>--diagnostic-tone 50</c>.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>Set by tests that restart an engine on the same data directory and delete it themselves.</summary>
    public bool KeepHome { get; init; }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public async Task InitializeAsync()
    {
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _process = new Process
        {
            StartInfo = ProcessRunner.Dotnet(Assembly, Arguments, new Dictionary<string, string>
            {
                ["ACESTEP_HOME"] = Home,
                ["ACESTEP_HTTP_URL"] = HttpUrl,
                ["ACESTEP_PIPE"] = PipeName,
            }),
        };
        void Collect(object? sender, DataReceivedEventArgs e)
        {
            if (e.Data is null)
            {
                return;
            }
            lock (_log)
            {
                _log.AppendLine(e.Data);
            }
            if (e.Data.Contains("ready:", StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        }
        _process.OutputDataReceived += Collect;
        _process.ErrorDataReceived += Collect;
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var exited = _process.WaitForExitAsync();
        var first = await Task.WhenAny(ready.Task, exited, Task.Delay(TimeSpan.FromSeconds(60)));
        if (first != ready.Task)
        {
            throw new InvalidOperationException("The engine process did not become ready. Its output:\n" + Log);
        }
    }

    /// <summary>The engine's process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>Sends Ctrl+C (SIGINT) and returns the exit code.</summary>
    public async Task<int> InterruptAsync()
    {
        await ProcessRunner.InterruptAsync(_process);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    /// <summary>Ends the process the way a crash or <c>kill -9</c> does: no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);   // SIGKILL on Unix
        await _process.WaitForExitAsync();
    }

    public async Task DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        if (KeepHome)
        {
            return;
        }
        try
        {
            Directory.Delete(Home, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }
}
