using System.Text;
using System.Text.Json.Nodes;
using AceStep.Plugin.Tests;
using AceStep.Vst3;

namespace AceStep.Plugin.RoundTrip.Tests;

/// <summary>
/// The engine dies (killed, as in a crash) while an instance's control page is open, and comes back: the instance
/// re-opens its session on the new engine by itself, and the page's buttons work again without touching the plugin.
/// Its own engine process, so the shared one is not disturbed; in the shared collection because the plugin's link
/// settings are global to the loaded module.
/// </summary>
[Collection(SharedEngine.Name)]
public sealed class EngineRestartTests : IAsyncLifetime
{
    private const uint OpenPage = 11;
    private const uint Listen = 9;
    private readonly EngineProcess _engine = new();
    private readonly PluginHarness _plugin = new();
    private readonly HttpClient _http = new();
    private readonly string _takes = Path.Combine(Path.GetTempPath(), "acestep-restart-takes-" + Guid.NewGuid().ToString("N")[..10]);

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_takes);
        await _engine.InitializeAsync();
        _plugin.ConfigureLink(_engine.PipeName, _takes);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        _plugin.Dispose();
        await _engine.DisposeAsync();
        Directory.Delete(_takes, recursive: true);
    }

    [Theory]
    [InlineData(true)]   // stopped with Ctrl+C (SIGTERM) and started again
    [InlineData(false)]  // killed, as in a crash
    public async Task After_an_engine_restart_the_page_reaches_the_plugin_again(bool graceful)
    {
        using var instance = _plugin.CreateInstance();
        using var driver = new TimelineDriver(instance) { Cycle = (4, 8) };
        driver.Play(0, TimelineDriver.SamplesPerBar);
        driver.SetParameter(TimelineDriver.SamplesPerBar, OpenPage, 1);
        string? url = null;
        PluginHarness.WaitFor(() =>
            instance.Controller.GetParamStringByValue(OpenPage, 1, out url) == Vst3Result.Ok && url!.StartsWith("http", StringComparison.Ordinal),
            "the control page address");
        string instancePath = new Uri(url!).AbsolutePath;

        await _engine.RestartAsync(graceful);

        // Same instance, new engine (new port): the plugin re-opens its session there without being asked.
        string restarted = new Uri(_engine.HttpAddress, instancePath).ToString();
        await WaitForPageAsync(restarted);
        Assert.Equal(1.0, instance.Controller.GetParamNormalized(Listen));
        using (var response = await _http.PostAsync(restarted.TrimEnd('/') + "/commands",
            new StringContent(new JsonObject { ["command"] = "listen", ["listen"] = "original" }.ToJsonString(), Encoding.UTF8, "application/json")))
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        PluginHarness.WaitFor(() => instance.Controller.GetParamNormalized(Listen) == 0, "the page's A/B command to reach the plugin after the restart");
    }

    // The restarted engine answers 404 for the instance until the plugin has re-opened its session (a failure guard).
    private async Task WaitForPageAsync(string url)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            using var response = await _http.GetAsync(url.TrimEnd('/') + "/view?after=-1");
            if (response.IsSuccessStatusCode)
                return;
            Assert.True(DateTime.UtcNow < deadline, $"The plugin never re-opened its page on the restarted engine ({(int)response.StatusCode}): {_engine.Log}");
            await Task.Delay(100);
        }
    }
}
