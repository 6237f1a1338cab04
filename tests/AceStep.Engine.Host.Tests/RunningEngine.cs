using AceStep.Engine.Generation;
using AceStep.Engine.Host;
using AceStep.Engine.Host.Queue;
using Microsoft.Extensions.DependencyInjection;

namespace AceStep.Engine.Host.Tests;

/// <summary>An engine started in-process on a free port, a private pipe name and a temporary data directory.</summary>
public sealed class RunningEngine : IAsyncLifetime
{
    public EngineHost Host { get; private set; } = null!;

    public string PipeName { get; } = "acestep-test-" + Guid.NewGuid().ToString("N")[..10];

    public string Home { get; init; } = Path.Combine(Path.GetTempPath(), "acestep-test-" + Guid.NewGuid().ToString("N")[..10]);

    public HttpClient Http { get; private set; } = null!;

    /// <summary>Null keeps the engine's own generator (no model installed).</summary>
    public TestGenerator? Generator { get; init; } = new();

    public string? ApiKey { get; init; }

    public QueueOptions Queue { get; init; } = new();

    public long MaxRequestBytes { get; init; } = 64 * 1024;

    /// <summary>Last-word service registrations (retry timings, …).</summary>
    public Action<IServiceCollection>? ExtraServices { get; init; }

    /// <summary>Replaces the engine's clock (expiry tests).</summary>
    public TimeProvider? Clock { get; init; }

    /// <summary>Set by tests that restart an engine on the same data directory and delete it themselves.</summary>
    public bool KeepHome { get; init; }

    /// <summary>Changes the options further (quota, price, …).</summary>
    public Func<EngineOptions, EngineOptions> Tweak { get; init; } = o => o;

    public EngineOptions Options => Tweak(new()
    {
        DataDirectory = Home,
        HttpUrl = "http://127.0.0.1:0",
        PipeName = PipeName,
        MaxRequestBytes = MaxRequestBytes,
        ApiKey = ApiKey,
        Queue = Queue,
    });

    public async Task InitializeAsync()
    {
        Host = await EngineHost.StartAsync(Options, logging: _ => { },
            services: s =>
            {
                if (Generator is not null)
                {
                    s.AddSingleton<IAudioGenerator>(Generator);
                }
                if (Clock is not null)
                {
                    s.AddSingleton(Clock);
                }
                ExtraServices?.Invoke(s);
            });
        Http = new HttpClient { BaseAddress = Host.HttpAddress };
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (!KeepHome)
        {
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
}
