using AceStep.Audio;

namespace AceStep.Ardour.Tests;

/// <summary>
/// The acceptance suite of the producer's path in a real host: in headless Ardour 7.3, loop the bars, stop, press
/// Generate on the control page, and measure the result from Ardour's own offline export of the saved session
/// (a fresh Ardour process: the session reloaded). The take must replace exactly the loop's samples, at every
/// tempo, metre, loop edge and rate of <see cref="LoopScenario.All"/>; everything else stays bit for bit.
/// </summary>
public sealed class LoopWorkflowTests(LoopWorkflowFixture workflow) : IClassFixture<LoopWorkflowFixture>
{
    public static TheoryData<string> Scenarios => [.. LoopScenario.All.Select(s => s.Name)];

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Looping_the_bars_is_enough_and_the_page_shows_the_loop_as_the_range(string name)
    {
        var run = workflow.Run(Scenario(name));
        var context = run.ViewBeforeGenerate["context"]!;
        Expect(context["rangeSource"]!.GetValue<string>() == "cycle", run, "the range is the loop (the cycle), remembered after the transport stopped");
        long start = (long)Math.Round(context["rangeStart"]!.GetValue<double>() * run.Scenario.Rate);
        long end = (long)Math.Round(context["rangeEnd"]!.GetValue<double>() * run.Scenario.Rate);
        Expect(start == run.Scenario.LoopStart && end == run.Scenario.LoopEnd, run,
            $"the page's range {start}–{end} is the loop {run.Scenario.LoopStart}–{run.Scenario.LoopEnd} to the sample");
        Expect(run.View["job"]!["state"]!.GetValue<string>() == "done", run,
            $"Generate after looping made a take (job: {run.View["job"]!.ToJsonString()})");
        Expect(run.TakeFiles.Count == 1, run, $"one take file was saved (found {run.TakeFiles.Count})");
        Expect(run.ViewBeforeGenerate["trackName"]?.GetValue<string>() == "Track", run,
            $"the page names the track Ardour gave the plugin (IInfoListener): \"Track\", not {run.ViewBeforeGenerate["trackName"]?.ToJsonString() ?? "nothing"}");
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void The_exported_take_replaces_exactly_the_loop_and_nothing_else(string name)
    {
        var run = workflow.Run(Scenario(name));
        Expect(run.After.Frames == run.Before.Frames && run.After.Channels == run.Before.Channels, run, "both exports have the same length and channels");
        var (first, last, outside) = Changes(run.Before, run.After, run.Scenario.LoopStart, run.Scenario.LoopEnd);
        Expect(first == run.Scenario.LoopStart, run, $"the first changed sample is the loop's first ({run.Scenario.LoopStart}); it was {first}");
        Expect(last == run.Scenario.LoopEnd - 1, run, $"the last changed sample is the loop's last ({run.Scenario.LoopEnd - 1}); it was {last}");
        Expect(outside == 0, run, $"every sample outside the loop is bit-identical to the export before the take ({outside} differ), the straight pass through the loop's end included");
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void The_session_saves_the_triggers_Off_and_loading_it_starts_no_take(string name)
    {
        var run = workflow.Run(Scenario(name));
        Expect(run.SavedPortValue(10) == 0 && run.SavedPortValue(11) == 0, run, "Ardour saved Generate and Open Control Page as Off");
        Expect(run.CurrentTakeFiles().Count == 1, run, "exporting the reloaded session (a new Ardour process) started no take");
    }

    [Fact]
    public void Add_a_Part_pressed_on_the_page_reaches_the_plugin_as_lego_with_its_part()
    {
        var run = workflow.Run(LoopScenario.OffGridLego48k);
        // The plugin's lists: Mode repaint, cover, generate, lego, …; Track woodwinds, …, bass, drums, … (StemTracks.All).
        Expect(run.SavedControlValue("Mode") == 3, run, $"the session saved Mode = Add a Part (3), the page's mode; it saved {run.SavedControlValue("Mode")}");
        Expect(run.SavedControlValue("Track") == 9, run, $"the session saved Track = drums (9), the page's part; it saved {run.SavedControlValue("Track")}");
    }

    [Fact]
    public void Listen_switches_between_the_original_and_the_take_and_reloads_bit_identically()
    {
        if (workflow.ListenFailure is { } failure)
            throw new ArdourRunException("the A/B runs failed: " + failure);
        var run = workflow.Run(LoopScenario.Waltz48k);
        var (original, take, files) = workflow.ListenSwitch!.Value;
        Expect(original.Samples.AsSpan().SequenceEqual(run.Before.Samples), run, "Listen = Original exports the audio as it was before the take, bit for bit");
        Expect(take.Samples.AsSpan().SequenceEqual(run.After.Samples), run, "Listen = Take after two more reloads exports the take bit-identically again");
        Expect(files.Count == 1, run, "none of the reloads started a take");
    }

    [Fact]
    public void A_preset_brings_the_settings_to_another_track_but_not_the_identity_or_the_takes()
    {
        if (workflow.PresetFailure is { } failure)
            throw new ArdourRunException("the preset run failed: " + failure);
        var run = workflow.Run(LoopScenario.Waltz48k);
        var saves = workflow.PresetTrace!.Named("getState").ToList();
        var byInstance = saves.GroupBy(e => e.Json.GetProperty("instance").GetInt32()).Select(g => g.Last()).ToList();
        Expect(byInstance.Count == 2, run, $"both AceStep instances were saved ({byInstance.Count} traced)");
        var (original, copy) = (byInstance[0], byInstance[1]);
        Expect(original.Json.GetProperty("instanceId").GetString() == run.InstanceId, run, "the first track keeps its identity (and control page)");
        Expect(copy.Json.GetProperty("instanceId").GetString() != run.InstanceId, run, "the track the preset was loaded into has an identity of its own");
        Expect(copy.Json.GetProperty("prompt").GetString() == original.Json.GetProperty("prompt").GetString()
               && copy.Json.GetProperty("prompt").GetString()!.Length > 0, run, "the preset brought the prompt");
        Expect(copy.Json.GetProperty("takes").GetInt32() == 0 && original.Json.GetProperty("takes").GetInt32() == 1, run,
            "the preset brought no takes; the first track still lists its own");
        Expect(original.Json.GetProperty("track").GetString() == "Track", run,
            "the first instance still names its own track after the preset went to the second (each controller finds its own processor)");
    }

    /// <summary>First and last changed frame (−1 when none), and how many frames outside [start, end) changed.</summary>
    internal static (long First, long Last, long Outside) Changes(AudioBuffer before, AudioBuffer after, long start, long end)
    {
        long first = -1, last = -1, outside = 0;
        int channels = before.Channels;
        for (long frame = 0; frame < Math.Min(before.Frames, after.Frames); frame++)
        {
            bool changed = false;
            for (int c = 0; c < channels; c++)
                changed |= before.Samples[(frame * channels) + c] != after.Samples[(frame * channels) + c];
            if (!changed)
                continue;
            if (first < 0)
                first = frame;
            last = frame;
            if (frame < start || frame >= end)
                outside++;
        }

        return (first, last, outside);
    }

    private static LoopScenario Scenario(string name) => LoopScenario.All.Single(s => s.Name == name);

    private void Expect(bool condition, LoopTakeRun run, string what) =>
        Assert.True(condition, $"[{run.Scenario}] Expected: {what}.\n\n{workflow.Log}");
}
