using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AceStep.Plugin.Tests;
using AceStep.Vst3;
using AceStep.Vst3.Hosting;

namespace AceStep.Plugin.RoundTrip.Tests;

/// <summary>
/// The control page as a producer uses it, through the engine's HTTP routes: Open Control Page makes the instance
/// publish its view (context, range, capture overview) and show the page address as the parameter's text; a generate
/// command from the page makes a take with the page's settings, which also reach the host's parameters through
/// IComponentHandler; the take is auditionable from the page; selecting no take and deleting one act on playback.
/// </summary>
[Collection(SharedEngine.Name)]
public sealed class ControlPageTests : IDisposable
{
    private const uint OpenPage = 11;
    private readonly EngineProcess _engine;
    private readonly PluginHarness _plugin = new();
    private readonly HttpClient _http = new();
    private readonly string _takes = Path.Combine(Path.GetTempPath(), "acestep-page-takes-" + Guid.NewGuid().ToString("N")[..10]);

    public ControlPageTests(EngineProcess engine)
    {
        _engine = engine;
        Directory.CreateDirectory(_takes);
        _plugin.ConfigureLink(engine.PipeName, _takes);
    }

    public void Dispose()
    {
        _http.Dispose();
        _plugin.Dispose();
        Directory.Delete(_takes, recursive: true);
    }

    [Fact]
    public async Task The_page_shows_the_range_generates_with_its_settings_and_drives_the_takes()
    {
        // The handler outlives the instance: the controller releases it at terminate.
        using var handler = new ComponentHandler();
        using var instance = _plugin.CreateInstance();
        Assert.Equal(Vst3Result.Ok, instance.Controller.SetComponentHandler(handler.NativePointer));
        using var driver = new TimelineDriver(instance) { Cycle = (4, 8) };
        driver.Play(0, 3 * TimelineDriver.SamplesPerBar);
        driver.SetParameter(3 * TimelineDriver.SamplesPerBar, OpenPage, 1);

        // The address appears as the parameter's text, under the engine's HTTP address.
        string? url = null;
        PluginHarness.WaitFor(() =>
            instance.Controller.GetParamStringByValue(OpenPage, 1, out url) == Vst3Result.Ok && url!.StartsWith("http", StringComparison.Ordinal),
            "the control page address");
        Assert.StartsWith(new Uri(_engine.HttpAddress, "/control/").ToString(), url, StringComparison.Ordinal);

        // The page sees the DAW's context: 48 kHz, 120 BPM 4/4, the cycle as the range (2–4 s), bar lines and the capture.
        var view = await WaitForViewAsync(url!, v => v["sampleRate"]?.GetValue<double>() == TimelineDriver.Rate);
        var context = view["context"]!;
        Assert.Equal("cycle", context["rangeSource"]!.GetValue<string>());
        Assert.Equal(2.0, context["rangeStart"]!.GetValue<double>(), 9);
        Assert.Equal(4.0, context["rangeEnd"]!.GetValue<double>(), 9);
        Assert.Equal(120.0, context["tempo"]!.GetValue<double>());
        Assert.Contains(context["barLines"]!.AsArray(), x => Math.Abs(x!.GetValue<double>() - 2.0) < 1e-9);
        Assert.True(view["capture"]!["peaks"]!.AsArray().Count > 0);

        // Generate from the page with its own settings.
        await PostAsync(url!, new JsonObject
        {
            ["command"] = "generate",
            ["settings"] = new JsonObject
            {
                ["mode"] = "repaint", ["prompt"] = "dusty jazz drums", ["lyrics"] = "", ["keyScale"] = "A minor",
                ["strength"] = 0.7, ["coverScale"] = 1.0, ["steps"] = 4, ["seed"] = 1234, ["language"] = "en",
            },
        });
        view = await WaitForViewAsync(url!, v => v["job"]!["state"]!.GetValue<string>() is "done" or "failed"
            && v["takes"]!.AsArray().Count == 1 && v["takes"]![0]!["audioUrl"] is not null);
        Assert.Equal("done", view["job"]!["state"]!.GetValue<string>());
        var take = view["takes"]![0]!;
        Assert.Equal(1234, take["seed"]!.GetValue<long>());
        Assert.Equal("dusty jazz drums", take["settings"]!["prompt"]!.GetValue<string>());
        Assert.True(File.Exists(take["file"]!.GetValue<string>()));

        // The page can audition the take.
        var wav = await _http.GetByteArrayAsync(new Uri(new Uri(url!), take["audioUrl"]!.GetValue<string>()));
        Assert.Equal("RIFF", Encoding.ASCII.GetString(wav, 0, 4));

        // The page's settings became the host's parameters, told to the host from a controller call (the host's main
        // thread in a real host), as one begin/perform/end gesture per parameter.
        Assert.Equal(3 / 99.0, instance.Controller.GetParamNormalized(4), 9);
        Assert.Equal(0.7, instance.Controller.GetParamNormalized(2), 9);
        Assert.Contains(handler.Calls, c => c.Call == "performEdit(4," + (3 / 99.0).ToString("R", System.Globalization.CultureInfo.InvariantCulture) + ")");

        // The take plays over the range; "no take" from the page makes the range the input again.
        var withTake = driver.Play(0, 3 * TimelineDriver.SamplesPerBar);
        Assert.NotEqual(TimelineDriver.Input(0, 150_000), withTake[0][150_000]);
        await PostAsync(url!, new JsonObject { ["command"] = "selectTake", ["takeId"] = null });
        await WaitForViewAsync(url!, v => v["takes"]![0]!["active"]!.GetValue<bool>() == false);
        var without = driver.Play(0, 3 * TimelineDriver.SamplesPerBar);
        Assert.Equal(TimelineDriver.Input(0, 150_000), without[0][150_000]);

        // A/B from the page: the Listen parameter follows (and the host hears of it).
        await PostAsync(url!, new JsonObject { ["command"] = "listen", ["listen"] = "original" });
        await WaitForViewAsync(url!, v => v["listen"]!.GetValue<string>() == "original");
        Assert.Equal(0.0, instance.Controller.GetParamNormalized(9));

        // Deleting forgets it (the file stays), and the project saves the page's prompt.
        await PostAsync(url!, new JsonObject { ["command"] = "deleteTake", ["takeId"] = take["id"]!.GetValue<string>() });
        await WaitForViewAsync(url!, v => v["takes"]!.AsArray().Count == 0);
        Assert.True(File.Exists(take["file"]!.GetValue<string>()));
        using var state = new MemoryBStream();
        Assert.Equal(Vst3Result.Ok, instance.Component.GetState(state));
        Assert.Contains("dusty jazz drums", Encoding.UTF8.GetString(state.ToArray()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_take_restored_with_the_project_can_be_auditioned_on_the_page()
    {
        // "An earlier session" saved a take: 0.5 s of a ramp at 1.0–1.5 s, stereo, 48 kHz, and its file is on disk.
        const int frames = 24_000;
        var samples = new float[frames * 2];
        for (int i = 0; i < frames; i++)
            samples[2 * i] = samples[(2 * i) + 1] = i / (float)frames;
        string file = Path.Combine(_takes, "AceStep 0001.3.1 take 1.wav");
        TestWav.Write(file, samples, TimelineDriver.Rate, 2);
        var saved = StateBytes.Build(StateBytes.Defaults(), "restored prompt", "", extension: new(Guid.NewGuid(),
            Takes: [new("t1", file, 48_000, TimelineDriver.Rate, 2, frames, 5)], Active: "t1"));

        using var instance = _plugin.CreateInstance();
        using (var stream = new MemoryBStream(saved))
            Assert.Equal(Vst3Result.Ok, instance.Component.SetState(stream));
        using var driver = new TimelineDriver(instance);
        driver.Play(0, TimelineDriver.SamplesPerBar);
        driver.SetParameter(TimelineDriver.SamplesPerBar, OpenPage, 1);
        string? url = null;
        PluginHarness.WaitFor(() =>
            instance.Controller.GetParamStringByValue(OpenPage, 1, out url) == Vst3Result.Ok && url!.StartsWith("http", StringComparison.Ordinal),
            "the control page address");

        // The plugin sends the restored take's audio from its file, so the page offers Audition for it.
        var view = await WaitForViewAsync(url!, v => v["takes"]!.AsArray().Count == 1 && v["takes"]![0]!["audioUrl"] is not null);
        var wav = await _http.GetByteArrayAsync(new Uri(new Uri(url!), view["takes"]![0]!["audioUrl"]!.GetValue<string>()));
        Assert.Equal("RIFF", Encoding.ASCII.GetString(wav, 0, 4));
        Assert.False(view["takes"]![0]!["missing"]!.GetValue<bool>());
    }

    private async Task PostAsync(string url, JsonObject command)
    {
        using var response = await _http.PostAsync(url.TrimEnd('/') + "/commands",
            new StringContent(command.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    // Polls the page's view route (a failure guard, not a timing: the plugin publishes at most four times a second).
    private async Task<JsonNode> WaitForViewAsync(string url, Func<JsonNode, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(300);
        while (true)
        {
            var view = JsonNode.Parse(await _http.GetStringAsync(url.TrimEnd('/') + "/view?after=-1"))!;
            if (view["job"] is not null && condition(view))
                return view;
            Assert.True(DateTime.UtcNow < deadline, "The view never showed what was expected: " + view.ToJsonString());
            await Task.Delay(50);
        }
    }
}
