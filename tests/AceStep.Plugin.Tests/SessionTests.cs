using System.Text.Json;
using AceStep.Vst3;
using AceStep.Vst3.Hosting;

namespace AceStep.Plugin.Tests;

/// <summary>
/// The instance's worker side without an engine: the Generate trigger's failures in words, takes restored from a
/// project (their WAV files read back into playback, a missing file listed as missing), and REAPER's time selection.
/// The engine round trip itself is in tests/AceStep.Plugin.RoundTrip.Tests.
/// </summary>
public sealed class SessionTests : IDisposable
{
    private const uint Generate = 10;
    private readonly PluginHarness _plugin = new();
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "acestep-session-" + Guid.NewGuid().ToString("N")[..10]);

    public SessionTests()
    {
        Directory.CreateDirectory(_folder);
        // No engine listens on this pipe, and the plugin may not start one.
        _plugin.ConfigureLink("acestep-none-" + Guid.NewGuid().ToString("N")[..10], _folder);
    }

    public void Dispose()
    {
        _plugin.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private static JsonElement Job(string view) => JsonDocument.Parse(view).RootElement.GetProperty("job");

    private static void SetPrompt(PluginInstance instance, string prompt = "warm synth-pop")
    {
        using var stream = new MemoryBStream(StateBytes.Build(StateBytes.Defaults(), prompt, "", extension: new(Guid.NewGuid())));
        Assert.Equal(Vst3Result.Ok, instance.Component.SetState(stream));
    }

    [Fact]
    public void The_Model_parameter_is_the_pages_model_setting()
    {
        // What the page shows (and what a take asks the engine for) follows the host's Model switch: Base, then Turbo.
        using var instance = _plugin.CreateInstance();
        using var driver = new TimelineDriver(instance);
        driver.Play(0, TimelineDriver.Rate);
        string Model() => JsonDocument.Parse(_plugin.SessionView(instance)).RootElement.GetProperty("settings").GetProperty("model").GetString()!;
        Assert.Equal("base", Model());
        driver.SetParameter(TimelineDriver.Rate, 12, 1);
        driver.Play(TimelineDriver.Rate, 2 * TimelineDriver.Rate);
        Assert.Equal("turbo", Model());
    }

    [Fact]
    public void Generate_without_a_prompt_says_where_to_write_one()
    {
        // Input tried: a fresh instance (empty prompt); the engine would refuse it, so the plugin says why first.
        using var instance = _plugin.CreateInstance();
        using var driver = new TimelineDriver(instance) { Cycle = (4, 8) };
        driver.Play(0, 5 * TimelineDriver.Rate);
        driver.SetParameter(5 * TimelineDriver.Rate, Generate, 1);
        PluginHarness.WaitFor(() => Job(_plugin.SessionView(instance)).GetProperty("state").GetString() == "failed", "the job to fail");
        Assert.Contains("Open Control Page", Job(_plugin.SessionView(instance)).GetProperty("message").GetString(), StringComparison.Ordinal);

        // A host's generic UI shows it as the Generate parameter's text.
        Assert.Equal(Vst3Result.Ok, instance.Controller.GetParamStringByValue(Generate, 1, out string? text));
        Assert.StartsWith("Failed: Write a prompt first", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(3)] // Add a Part
    [InlineData(4)] // Extract a Stem
    [InlineData(5)] // Complete
    public void A_stem_mode_generates_without_a_prompt(int mode)
    {
        // Input tried: a fresh instance (empty prompt), Mode set by the host to a stem mode, Generate pressed. The
        // stem jobs' instruction names the part, so the take goes on to the engine (none answers here) instead of
        // stopping at "Write a prompt first".
        using var instance = _plugin.CreateInstance();
        using var driver = new TimelineDriver(instance) { Cycle = (4, 8) };
        driver.SetParameter(0, 1, mode / 5.0);
        driver.Play(0, 5 * TimelineDriver.Rate);
        driver.SetParameter(5 * TimelineDriver.Rate, Generate, 1);
        PluginHarness.WaitFor(() => Job(_plugin.SessionView(instance)).GetProperty("state").GetString() == "failed", "the job to fail");
        string message = Job(_plugin.SessionView(instance)).GetProperty("message").GetString()!;
        Assert.DoesNotContain("prompt", message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("engine", message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_one_letter_prompt_in_a_stem_mode_is_refused_in_words()
    {
        // Input tried: prompt "x" with Mode = Add a Part (a caption, when given, is 2–3000 characters).
        using var instance = _plugin.CreateInstance();
        SetPrompt(instance, "x");
        using var driver = new TimelineDriver(instance) { Cycle = (4, 8) };
        driver.SetParameter(0, 1, 3 / 5.0);
        driver.Play(0, 5 * TimelineDriver.Rate);
        driver.SetParameter(5 * TimelineDriver.Rate, Generate, 1);
        PluginHarness.WaitFor(() => Job(_plugin.SessionView(instance)).GetProperty("state").GetString() == "failed", "the job to fail");
        Assert.StartsWith("The prompt \"x\" is too short", Job(_plugin.SessionView(instance)).GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Generate_without_an_engine_fails_with_a_reason_and_the_audio_passes_through()
    {
        using var instance = _plugin.CreateInstance();
        SetPrompt(instance);
        using var driver = new TimelineDriver(instance) { Cycle = (4, 8) };
        driver.Play(0, 5 * TimelineDriver.Rate);
        driver.SetParameter(5 * TimelineDriver.Rate, Generate, 1);

        PluginHarness.WaitFor(() => Job(_plugin.SessionView(instance)).GetProperty("state").GetString() == "failed", "the job to fail");
        string message = Job(_plugin.SessionView(instance)).GetProperty("message").GetString()!;
        Assert.Contains("engine", message, StringComparison.OrdinalIgnoreCase);

        // Nothing plays over the range: the output is the input.
        var output = driver.Play(0, 5 * TimelineDriver.Rate);
        for (int i = 0; i < output[0].Length; i += 97)
            Assert.Equal(TimelineDriver.Input(0, i), output[0][i]);
    }

    [Fact]
    public void Generate_over_a_range_that_was_never_played_says_to_play_it_first()
    {
        // Input tried: Start Bar 1, Length 4 (0–8 s), but only the first 2 s went through the plugin.
        using var instance = _plugin.CreateInstance();
        SetPrompt(instance);
        using var driver = new TimelineDriver(instance);
        driver.Play(0, 2 * TimelineDriver.Rate);
        driver.SetParameter(2 * TimelineDriver.Rate, Generate, 1);
        PluginHarness.WaitFor(() => Job(_plugin.SessionView(instance)).GetProperty("state").GetString() == "failed", "the job to fail");
        Assert.Contains("has not been played", Job(_plugin.SessionView(instance)).GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Only_a_rising_edge_of_Generate_starts_a_take()
    {
        using var instance = _plugin.CreateInstance();
        using var driver = new TimelineDriver(instance) { Cycle = (4, 8) };
        driver.Play(0, 5 * TimelineDriver.Rate);
        // Off → Off is no edge: the job stays idle.
        driver.SetParameter(5 * TimelineDriver.Rate, Generate, 0);
        driver.Play(5 * TimelineDriver.Rate, 6 * TimelineDriver.Rate);
        Assert.Equal("idle", Job(_plugin.SessionView(instance)).GetProperty("state").GetString());

        driver.SetParameter(6 * TimelineDriver.Rate, Generate, 1);
        PluginHarness.WaitFor(() => Job(_plugin.SessionView(instance)).GetProperty("state").GetString() != "idle", "the job to start");
        // The switch goes back to Off once the take has started, so the next click is the next take.
        PluginHarness.WaitFor(() => instance.Controller.GetParamNormalized(Generate) == 0, "Generate to be reset to Off");
    }

    [Fact]
    public void A_restored_take_is_read_from_its_file_and_plays_at_its_position()
    {
        // A take written by "an earlier session": 0.5 s of a ramp at 1.0–1.5 s, stereo, 48 kHz.
        const int frames = 24_000;
        const long position = 48_000;
        var samples = new float[frames * 2];
        for (int i = 0; i < frames; i++)
        {
            samples[2 * i] = i / (float)frames;
            samples[(2 * i) + 1] = -i / (float)frames;
        }

        string file = Path.Combine(_folder, "AceStep 0001.3.1 take 1.wav");
        TestWav.Write(file, samples, TimelineDriver.Rate, 2);
        var state = StateBytes.Build(StateBytes.Defaults(), "p", "", extension: new(Guid.NewGuid(),
            Takes: [new("t1", file, position, TimelineDriver.Rate, 2, frames, 5)], Active: "t1"));

        using var instance = _plugin.CreateInstance();
        using (var stream = new MemoryBStream(state))
            Assert.Equal(Vst3Result.Ok, instance.Component.SetState(stream));
        using var driver = new TimelineDriver(instance);
        PluginHarness.WaitFor(() => _plugin.LoadedTakes(instance) == 1, "the take to load");
        Assert.Equal(0, _plugin.MissingTakes(instance));

        var output = driver.Play(0, 2 * TimelineDriver.Rate);
        int fade = 240;
        for (int i = 0; i < output[0].Length; i++)
        {
            bool inside = i >= position + fade && i < position + frames - fade;
            bool outside = i < position || i >= position + frames;
            if (inside)
            {
                Assert.Equal(samples[2 * (i - position)], output[0][i]);
                Assert.Equal(samples[(2 * (i - position)) + 1], output[1][i]);
            }
            else if (outside)
            {
                Assert.Equal(TimelineDriver.Input(0, i), output[0][i]);
            }
        }
    }

    [Fact]
    public void A_restored_take_whose_file_is_gone_is_listed_as_missing_and_nothing_plays()
    {
        // Input tried: a project listing a take file that was deleted.
        string file = Path.Combine(_folder, "deleted take.wav");
        var state = StateBytes.Build(StateBytes.Defaults(), "", "", extension: new(Guid.NewGuid(),
            Takes: [new("gone", file, 0, TimelineDriver.Rate, 2, 48_000, 1)], Active: "gone"));
        using var instance = _plugin.CreateInstance();
        using (var stream = new MemoryBStream(state))
            Assert.Equal(Vst3Result.Ok, instance.Component.SetState(stream));
        using var driver = new TimelineDriver(instance);
        PluginHarness.WaitFor(() => _plugin.MissingTakes(instance) == 1, "the take to be marked missing");

        var output = driver.Play(0, TimelineDriver.Rate);
        for (int i = 0; i < output[0].Length; i += 13)
            Assert.Equal(TimelineDriver.Input(0, i), output[0][i]);

        // The project still lists it (the file may come back), and saving keeps it.
        using var saved = new MemoryBStream();
        Assert.Equal(Vst3Result.Ok, instance.Component.GetState(saved));
        Assert.Contains("deleted take.wav", System.Text.Encoding.UTF8.GetString(saved.ToArray()), StringComparison.Ordinal);
    }

    [Fact]
    public void In_REAPER_the_time_selection_is_the_range_and_the_main_thread_timer_comes_and_goes()
    {
        using var host = new HostApplication("REAPER");
        using var reaper = new FakeReaper(_folder) { TimeSelection = (1.0, 3.0) };
        host.Extension = (FakeReaper.Iid.Tuid, reaper);
        using (var instance = PluginInstance.Create(_plugin.Factory, PluginHarness.ProcessorCid, host))
        {
            Assert.NotEqual(0, reaper.Timer);
            using var driver = new TimelineDriver(instance) { Cycle = (4, 8) };
            driver.Play(0, TimelineDriver.Rate);

            // The selection (1–3 s) wins over the cycle (2–4 s); read for the project the plugin sits in, never written.
            PluginHarness.WaitFor(() => _plugin.ResolveRange(instance).Source == 3, "the time selection to be read");
            var range = _plugin.ResolveRange(instance);
            Assert.Equal((48_000L, 144_000L), (range.Start, range.End));
            lock (reaper.Calls)
            {
                Assert.Contains($"GetSet_LoopTimeRange2({FakeReaper.Project:X},0,0)", reaper.Calls);
                Assert.DoesNotContain(reaper.Calls, c => c.StartsWith("GetSet_LoopTimeRange2(", StringComparison.Ordinal) && c.Contains(",1,", StringComparison.Ordinal));
            }

            // No selection in REAPER: the cycle is the range again.
            reaper.TimeSelection = (0, 0);
            PluginHarness.WaitFor(() => _plugin.ResolveRange(instance).Source == 1, "the cycle to be the range");
        }

        // terminate unregisters the timer (REAPER would otherwise call into an instance that is gone).
        Assert.Equal(0, reaper.Timer);
        Assert.Equal(0, reaper.References);
    }
}
