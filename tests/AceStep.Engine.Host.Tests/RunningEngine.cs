using AceStep.Engine.Host;

namespace AceStep.Engine.Host.Tests;

/// <summary>An engine started in-process on a free port, a private pipe name and a temporary data directory.</summary>
public sealed class RunningEngine : IAsyncLifetime
{
    public EngineHost Host { get; private set; } = null!;

    public string PipeName { get; } = "acestep-test-" + Guid.NewGuid().ToString("N")[..10];

    public string Home { get; } = Path.Combine(Path.GetTempPath(), "acestep-test-" + Guid.NewGuid().ToString("N")[..10]);

    public HttpClient Http { get; private set; } = null!;

    public EngineOptions Options => new()
    {
        DataDirectory = Home,
        HttpUrl = "http://127.0.0.1:0",
        PipeName = PipeName,
        MaxRequestBytes = 64 * 1024,
    };

    public async Task InitializeAsync()
    {
        Host = await EngineHost.StartAsync(Options, logging: _ => { });
        Http = new HttpClient { BaseAddress = Host.HttpAddress };
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
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
