using AceStep.Engine.Host;
using Microsoft.Playwright;

namespace AceStep.ControlPage.Tests;

/// <summary>
/// A real engine in this process (diagnostic tones, private pipe and data directory, a free loopback port) and a
/// headless Chromium: the Debian <c>chromium</c> package, driven by Playwright through its executable path.
/// </summary>
public sealed class BrowserEngine : IAsyncLifetime
{
    /// <summary>Where Debian installs Chromium; ACESTEP_CHROMIUM overrides it.</summary>
    public static string ChromiumPath { get; } =
        Environment.GetEnvironmentVariable("ACESTEP_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    private readonly string _home = Path.Combine(Path.GetTempPath(), "acestep-page-" + Guid.NewGuid().ToString("N")[..10]);
    private IPlaywright? _playwright;

    public EngineHost Engine { get; private set; } = null!;

    public string PipeName { get; } = "acestep-page-" + Guid.NewGuid().ToString("N")[..10];

    public IBrowser Browser { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            // Fail, not skip: CI installs the browser, and a silently skipped browser test proves nothing.
            throw new InvalidOperationException(
                $"Chromium is not installed at {ChromiumPath}. Install the Debian package 'chromium' (sudo apt-get install chromium), " +
                "or point ACESTEP_CHROMIUM at a Chromium executable.");
        }
        Engine = await EngineHost.StartAsync(new EngineOptions
        {
            DataDirectory = _home,
            HttpUrl = "http://127.0.0.1:0",
            PipeName = PipeName,
            DiagnosticTone = TimeSpan.FromMilliseconds(5),
        }, logging: _ => { });
        Http = new HttpClient { BaseAddress = Engine.HttpAddress };
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // Containers run tests as root, where Chromium's sandbox cannot start.
            Args = ["--no-sandbox", "--autoplay-policy=no-user-gesture-required"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
        Http?.Dispose();
        if (Engine is not null)
        {
            await Engine.DisposeAsync();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_home, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
