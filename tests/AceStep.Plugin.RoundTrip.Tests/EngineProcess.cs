using System.Diagnostics;
using System.Reflection;
using System.Text;
using AceStep.Engine.Pipelines.Tests;
using AceStep.Pipes;

namespace AceStep.Plugin.RoundTrip.Tests;

/// <summary>
/// A real engine process (<c>dotnet acestep-engine.dll</c>) on a private pipe, home and free HTTP port, with the tiny
/// official-layout models installed in its home: what a producer's machine runs, only with weights small enough for
/// a test to generate in seconds. Shared by every test of the project (<see cref="SharedEngine"/>).
/// </summary>
public sealed class EngineProcess : IAsyncLifetime
{
    private readonly StringBuilder _log = new();
    private Process? _process;

    public string Home { get; } = Path.Combine(Path.GetTempPath(), "acestep-roundtrip-" + Guid.NewGuid().ToString("N")[..10]);

    public string PipeName { get; } = "acestep-rt-" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>What the engine printed (for failure messages).</summary>
    public string Log
    {
        get
        {
            lock (_log)
                return _log.ToString();
        }
    }

    /// <summary>The engine's HTTP address (the port it picked), from its "ready" line.</summary>
    public Uri HttpAddress
    {
        get
        {
            var match = System.Text.RegularExpressions.Regex.Match(Log, @"ready: http (\S+),");
            Assert.True(match.Success, "The engine did not say where it listens: " + Log);
            return new Uri(match.Groups[1].Value);
        }
    }

    private static string EngineDll =>
        typeof(EngineProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "AceStepEngine").Value!;

    public async Task InitializeAsync()
    {
        TinyModels.WriteTo(Path.Combine(Home, "models"));
        await StartAsync();
    }

    /// <summary>
    /// Stops the engine — with SIGTERM as Ctrl+C in its terminal does (it says goodbye on its connections), or killed
    /// as in a crash — and starts it again on the same pipe and home; it gets a new HTTP port.
    /// </summary>
    public async Task RestartAsync(bool graceful)
    {
        if (_process is { HasExited: false } running)
        {
            if (graceful)
                using (var term = Process.Start("kill", ["-TERM", running.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                    await term!.WaitForExitAsync();
            else
                running.Kill(entireProcessTree: true);
            await running.WaitForExitAsync();
        }

        _process?.Dispose();
        lock (_log)
            _log.Clear();
        await StartAsync();
    }

    private async Task StartAsync()
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { EngineDll, "--home", Home, "--http-url", "http://127.0.0.1:0", "--pipe", PipeName, "--device", "cpu" })
            info.ArgumentList.Add(argument);
        _process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start.");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        // Ready when the pipe answers (a failure guard, not a timing: the engine may take a while to start).
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            Assert.False(_process.HasExited, "The engine exited: " + Log);
            try
            {
                await using var client = await EnginePipeClient.ConnectAsync(PipeName, TimeSpan.FromSeconds(1));
                if (Log.Contains("ready: http ", StringComparison.Ordinal))
                    return;
                await Task.Delay(100);
            }
            catch (EngineUnavailableException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    public async Task DisposeAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        _process?.Dispose();
        try
        {
            Directory.Delete(Home, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_log)
            _log.AppendLine(line);
    }
}

/// <summary>One engine process for all the tests of this project (it takes most of their time to start).</summary>
[CollectionDefinition(Name)]
public sealed class SharedEngine : ICollectionFixture<EngineProcess>
{
    public const string Name = "engine process";
}
