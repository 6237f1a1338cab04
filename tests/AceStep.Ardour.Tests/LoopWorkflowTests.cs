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

    /// <summary>The scenarios with AceStep on the recorded track itself: its take replaces the track's audio.</summary>
    public static TheoryData<string> InPlaceScenarios => [.. LoopScenario.All.Where(s => !s.Sidechain).Select(s => s.Name)];

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
        Expect(run.ViewBeforeGenerate["trackName"]?.GetValue<string>() == run.Scenario.PluginTrack, run,
            $"the page names the track Ardour gave the plugin (IInfoListener): \"{run.Scenario.PluginTrack}\", not {run.ViewBeforeGenerate["trackName"]?.ToJsonString() ?? "nothing"}");
    }

    [Theory]
    [MemberData(nameof(InPlaceScenarios))]
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

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void The_engine_hears_the_session_audio_around_the_range_to_the_sample(string name)
    {
        // The source the plugin captured (its own track, or the track routed to its sidechain) must be the audio the
        // session plays there: the "before" export (the mix, with AceStep not yet playing anything) at the clip's
        // project position, which the task's span start gives (the span is the loop). The plugin sends the host's
        // rate; at 44.1 kHz the engine keeps the source as it converted it to the model's 48 kHz, so only the
        // 48 kHz scenarios can be compared sample by sample.
        var run = workflow.Run(Scenario(name));
        var input = run.Received.Input;
        Expect(input.Channels == run.Before.Channels, run, $"the source has the session's channels ({input.Channels})");
        if (input.SampleRate != run.Scenario.Rate)
        {
            Expect(run.Scenario.Rate != 48_000 && input.SampleRate == 48_000, run,
                $"a {run.Scenario.Rate} Hz source is kept at the model's 48 kHz ({input.SampleRate} Hz)");
            return;
        }

        long clipStart = run.Scenario.LoopStart - (long)Math.Round(run.Received.SpanStart * input.SampleRate);
        Expect(clipStart >= 0 && clipStart <= run.Scenario.LoopStart && clipStart + input.Frames >= run.Scenario.LoopEnd
               && clipStart + input.Frames <= run.Before.Frames, run,
            $"the source ({clipStart}–{clipStart + input.Frames}) covers the loop and lies inside the exported session (0–{run.Before.Frames})");
        var (differing, firstDiffering, largest, rms) = Compare(input.Samples, run.Before.Samples, clipStart * input.Channels, input.Channels);
        Expect(rms > 0.01, run, $"the source is the recorded noise, not silence (RMS {rms:G3})");
        // While it loops, Ardour (Loop Fades at its default) crossfades the loop's last frames with the audio before the
        // loop's start, and that is what the plugin hears there; with loop fades off the source is the timeline's audio.
        long tail = run.Scenario.LoopEnd - run.Scenario.LoopFadeAllowance;
        Expect(differing == 0 || (clipStart + firstDiffering >= tail && differing <= run.Scenario.LoopFadeAllowance), run,
            $"every source frame equals the session's audio at its position{(run.Scenario.LoopFades ? $", except within Ardour's loop crossfade (from {tail})" : "")}: " +
            $"{differing} of {input.Frames} frames differ, the first at {clipStart + firstDiffering}, by up to {largest:G3}");
    }

    [Fact]
    public void A_part_added_from_the_sidechain_plays_on_its_own_track_at_the_loop_to_the_sample()
    {
        // AceStep on the empty "Parts" track hears "Track" through its sidechain; its take (the part) must sound on
        // Parts exactly over the loop: the mix after minus the mix before is the take's file, placed at the loop start.
        var run = workflow.Run(LoopScenario.SidechainLego48k);
        var s = run.Scenario;
        Expect(run.TakeFiles.Count == 1, run, $"one take file was saved (found {run.TakeFiles.Count})");
        AudioBuffer take;
        using (var file = File.OpenRead(run.TakeFiles[0]))
            take = WavFile.Read(file);
        Expect(take.Frames == s.LoopLength && take.SampleRate == s.Rate && take.Channels == run.After.Channels, run,
            $"the take file is the loop's {s.LoopLength} frames at {s.Rate} Hz ({take.Frames} frames at {take.SampleRate} Hz)");
        Expect(run.After.Frames == run.Before.Frames, run, "both exports have the same length");
        int channels = take.Channels;
        var added = new float[run.After.Samples.Length];
        for (int i = 0; i < added.Length; i++)
            added[i] = run.After.Samples[i] - run.Before.Samples[i];
        // Where the take sits: the offset (±256) that best matches a window from the middle of the take.
        long middle = take.Frames / 2 * channels, bestOffset = 0;
        double bestError = double.MaxValue;
        for (long offset = -256; offset <= 256; offset++)
        {
            double error = 0;
            for (long i = 0; i < 4096 * channels; i++)
                error = Math.Max(error, Math.Abs(added[((s.LoopStart + offset) * channels) + middle + i] - take.Samples[middle + i]));
            if (error < bestError)
                (bestError, bestOffset) = (error, offset);
        }

        Expect(bestOffset == 0, run, $"the part starts at the loop's first sample ({s.LoopStart}); it is {bestOffset} samples off");
        // The plugin fades a take in and out over 5 ms with equal-power gains, sin(π/2·(k+½)/fade) at k frames from
        // the nearer edge (docs/plugin.md): on an empty track that is the part's own fade.
        int fade = (int)Math.Round(0.005 * s.Rate, MidpointRounding.AwayFromZero);
        var expected = new float[take.Samples.Length];
        for (long frame = 0; frame < take.Frames; frame++)
        {
            long edge = Math.Min(frame, take.Frames - 1 - frame);
            double gain = edge < fade ? Math.Sin(Math.PI / 2 * (edge + 0.5) / fade) : 1;
            for (int c = 0; c < channels; c++)
                expected[(frame * channels) + c] = (float)(take.Samples[(frame * channels) + c] * gain);
        }

        var (differing, firstDiffering, largest, _) = Compare(expected, added, s.LoopStart * channels, channels, tolerance: 1e-6);
        Expect(differing == 0, run,
            $"the mix gained exactly the take (faded in and out over {fade} frames) over the loop: {differing} of {take.Frames} frames " +
            $"differ by more than 1e-6, the first at {s.LoopStart + firstDiffering}, by up to {largest:G3}");
        long outside = Changes(run.Before, run.After, s.LoopStart, s.LoopEnd).Outside;
        Expect(outside == 0, run, $"outside the loop the mix is bit-identical to the export before the part ({outside} frames differ)");
    }

    /// <summary>
    /// Frames of <paramref name="expected"/> that differ (more than <paramref name="tolerance"/>) from
    /// <paramref name="actual"/> read from <paramref name="offset"/> on; the first such frame, the largest difference,
    /// and the RMS of <paramref name="expected"/>.
    /// </summary>
    private static (long Differing, long First, double Largest, double Rms) Compare(float[] expected, float[] actual, long offset, int channels,
        double tolerance = 0)
    {
        long differing = 0, first = -1;
        double largest = 0, energy = 0;
        for (long frame = 0; frame < expected.Length / channels; frame++)
        {
            bool differs = false;
            for (int c = 0; c < channels; c++)
            {
                float value = expected[(frame * channels) + c];
                double difference = Math.Abs(value - actual[offset + (frame * channels) + c]);
                largest = Math.Max(largest, difference);
                differs |= difference > tolerance;
                energy += value * (double)value;
            }

            if (differs && differing++ == 0)
                first = frame;
        }

        return (differing, first, largest, Math.Sqrt(energy / expected.Length));
    }

    /// <summary>The scenarios that press a stem mode (Add a Part, Extract a Stem, Complete) on the page.</summary>
    public static TheoryData<string> StemScenarios => [.. LoopScenario.All.Where(s => s.Mode != "repaint").Select(s => s.Name)];

    [Theory]
    [MemberData(nameof(StemScenarios))]
    public void A_stem_mode_pressed_on_the_page_reaches_the_plugin_and_the_engine_with_its_part(string name)
    {
        var run = workflow.Run(Scenario(name));
        var s = run.Scenario;
        // The plugin's Mode list (repaint, cover, generate, lego, extract, complete) and Track list (StemTracks.All).
        int mode = Array.IndexOf(["repaint", "cover", "generate", "lego", "extract", "complete"], s.Mode);
        Expect(run.SavedControlValue("Mode") == mode, run, $"the session saved Mode = {s.Mode} ({mode}), the page's mode; it saved {run.SavedControlValue("Mode")}");
        var settings = run.Received.Request["settings"]!;
        Expect(settings["task"]?.GetValue<string>() == s.Mode, run, $"the engine got settings.task = {s.Mode} ({settings.ToJsonString()})");
        if (s.Part is { } part)
        {
            int track = AceStep.Contracts.Tasks.StemTracks.All.ToList().IndexOf(part);
            Expect(run.SavedControlValue("Track") == track, run, $"the session saved Track = {part} ({track}), the page's part; it saved {run.SavedControlValue("Track")}");
            Expect(settings["trackName"]?.GetValue<string>() == part, run, $"the engine got settings.trackName = {part}");
        }
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
