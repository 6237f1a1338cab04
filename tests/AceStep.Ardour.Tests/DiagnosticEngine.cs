using System.Reflection;
using System.Text.RegularExpressions;

namespace AceStep.Ardour.Tests;

/// <summary>
/// A real engine process answering with its diagnostic tone (no model weights), on a private pipe, home and HTTP
/// port: the plugin inside Ardour finds it through ACESTEP_PIPE, and the test drives its control page over HTTP.
/// </summary>
internal sealed partial class DiagnosticEngine : IAsyncDisposable
{
    private readonly LiveProcess _process;

    private DiagnosticEngine(LiveProcess process, string home, string pipeName, Uri http)
    {
        _process = process;
        Home = home;
        PipeName = pipeName;
        HttpAddress = http;
    }

    /// <summary>The engine's data folder (its job database and the kept input audio of each task).</summary>
    public string Home { get; }

    /// <summary>The pipe the plugin is pointed at.</summary>
    public string PipeName { get; }

    /// <summary>Where the control pages are served.</summary>
    public Uri HttpAddress { get; }

    /// <summary>What the engine printed.</summary>
    public string Log => _process.Output;

    /// <summary>Starts the engine and waits for its "ready" line.</summary>
    public static async Task<DiagnosticEngine> StartAsync(string home)
    {
        string dll = typeof(DiagnosticEngine).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "AceStepEngine").Value!;
        string pipe = "acestep-ardour-" + Guid.NewGuid().ToString("N")[..10];
        var process = LiveProcess.Start("dotnet",
            [dll, "--home", home, "--http-url", "http://127.0.0.1:0", "--pipe", pipe, "--diagnostic-tone", "10"],
            new Dictionary<string, string>());
        string? ready = await process.WaitForLineAsync(l => l.Contains("ready: http ", StringComparison.Ordinal), TimeSpan.FromSeconds(120));
        if (ready is null)
        {
            string output = process.Output;
            process.Dispose();
            throw new ArdourRunException("the diagnostic engine did not start:\n" + output);
        }

        return new DiagnosticEngine(process, home, pipe, new Uri(ReadyLine().Match(ready).Groups[1].Value));
    }

    public ValueTask DisposeAsync()
    {
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    [GeneratedRegex(@"ready: http (\S+),")]
    private static partial Regex ReadyLine();
}
