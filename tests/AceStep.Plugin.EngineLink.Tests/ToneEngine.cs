using AceStep.Engine.Host;

namespace AceStep.Plugin.EngineLink.Tests;

/// <summary>A real engine in this process answering with diagnostic tones (no model), on a private pipe and home.</summary>
internal sealed class ToneEngine : IAsyncDisposable
{
    private ToneEngine(string pipe, string home, EngineHost host)
    {
        PipeName = pipe;
        Home = home;
        Host = host;
    }

    public string PipeName { get; }

    public string Home { get; }

    public EngineHost Host { get; }

    public static string NewPipeName() => "acestep-link-" + Guid.NewGuid().ToString("N")[..10];

    public static async Task<ToneEngine> StartAsync(string? pipe = null, string? home = null, int msPerStep = 5)
    {
        pipe ??= NewPipeName();
        home ??= Path.Combine(Path.GetTempPath(), "acestep-link-" + Guid.NewGuid().ToString("N")[..10]);
        var host = await EngineHost.StartAsync(new EngineOptions
        {
            DataDirectory = home,
            HttpUrl = "http://127.0.0.1:0",
            PipeName = pipe,
            DiagnosticTone = TimeSpan.FromMilliseconds(msPerStep),
        }, logging: _ => { });
        return new ToneEngine(pipe, home, host);
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    public void DeleteHome()
    {
        try
        {
            Directory.Delete(Home, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
