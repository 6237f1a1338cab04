using System.Globalization;
using static AceStep.Ardour.Tests.ArdourSessionFixture;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace AceStep.Ardour.Tests;

/// <summary>
/// The published plugin in headless Ardour 7.3: what it sees of Ardour's tempo map and loop while the transport
/// loops, and whether its state survives save and reload. The scenario runs once (<see cref="ArdourSessionFixture"/>);
/// each test checks one thing a user would notice, and every failure message carries Ardour's output and the trace.
/// </summary>
public sealed class ArdourHostTests(ArdourSessionFixture ardour) : IClassFixture<ArdourSessionFixture>
{
    /// <summary>
    /// Ardour 7.3 hands ppq rounded to its tick grid (1920 per quarter note), so a position converted from ppq to
    /// samples may be off by up to one tick: 60 / 128 / 1920 s ≈ 11.7 samples at 48 kHz.
    /// </summary>
    private const double OneTickInSamples = SampleRate * 60.0 / Bpm / 1920;

    [Fact]
    public void Plugin_sees_Ardour_as_host_with_the_session_rate_tempo_and_meter()
    {
        var looping = LoopingSave();
        var transport = looping.Transport!.Value;

        Expect(ardour.Create.Trace.Events.Count > 0 && AllEvents().All(e => e.Host == "Ardour"), "every traced call names the host \"Ardour\"");
        Expect(looping.SampleRate == SampleRate, $"the processor was set up at {SampleRate} Hz");
        Expect(transport.GetProperty("tempo").GetDouble() == Bpm, $"the tempo is {Bpm} BPM");
        Expect(transport.GetProperty("numerator").GetInt32() == MeterNumerator && transport.GetProperty("denominator").GetInt32() == MeterDenominator,
            $"the meter is {MeterNumerator}/{MeterDenominator}");
    }

    [Fact]
    public void Looped_playback_reaches_the_plugin_as_an_active_cycle_over_the_loop_range()
    {
        // Ardour read the patched loop back as it was written.
        Expect(ardour.Play.Report["loop.start"] == Invariant(LoopStartSample) && ardour.Play.Report["loop.end"] == Invariant(LoopEndSample),
            $"Ardour's loop range is {LoopStartSample}–{LoopEndSample} samples");
        Expect(ardour.Play.Report["looping"] == "true" && ardour.Play.Report["rolling"] == "true", "Ardour was rolling in loop mode when it saved");

        var transport = LoopingSave().Transport!.Value;
        Expect(transport.GetProperty("playing").GetBoolean(), "the last block before the save had kPlaying");
        Expect(transport.GetProperty("cycle").GetBoolean() && transport.GetProperty("cycleActive").GetBoolean(), "the last block had a valid, active cycle");
        Expect(transport.GetProperty("cycleStartPpq").GetDouble() == LoopStartPpq && transport.GetProperty("cycleEndPpq").GetDouble() == LoopEndPpq,
            $"the cycle is bars 2–3 of 7/8: {LoopStartPpq}–{LoopEndPpq} quarter notes");
        Expect(Math.Abs(transport.GetProperty("cycleStartSamples").GetInt64() - LoopStartSample) <= OneTickInSamples
               && Math.Abs(transport.GetProperty("cycleEndSamples").GetInt64() - LoopEndSample) <= OneTickInSamples,
            $"the cycle converted to samples is the loop range ({LoopStartSample}–{LoopEndSample}) within one Ardour tick");

        // After rolling longer than the loop from its start, only a wrapped transport is still inside it.
        long position = transport.GetProperty("projectTimeSamples").GetInt64();
        double ppq = transport.GetProperty("ppq").GetDouble();
        Expect(position >= LoopStartSample && position < LoopEndSample && ppq >= LoopStartPpq && ppq < LoopEndPpq,
            $"after {RollSeconds} s of looping the position is inside the loop");
        // Bars come from ppq and the meter (Ardour 7.3's barPositionMusic is not a bar start, see docs/ardour.md).
        double barStart = transport.GetProperty("barStartPpq").GetDouble();
        Expect(Math.Abs(barStart - (Math.Floor(ppq / QuartersPerBar) * QuartersPerBar)) < 1e-9
               && transport.GetProperty("bar").GetInt32() == (int)Math.Floor(ppq / QuartersPerBar) + 1,
            "the bar and its start follow the 7/8 meter");
    }

    [Fact]
    public void Session_file_holds_the_state_the_plugin_returned_from_getState()
    {
        Expect(Vst3Preset.ClassId(ardour.Play.Chunk) == "B0B0620A3FD24D67AFD7663D2055397C", "the chunk belongs to the AceStep processor class");
        Expect(Vst3Preset.Chunk(ardour.Create.Chunk, "Comp").SequenceEqual(LastSave(ardour.Create).State), "after creating, the session stores the processor's last getState");
        Expect(Vst3Preset.Chunk(ardour.Play.Chunk, "Comp").SequenceEqual(LastSave(ardour.Play).State), "after playing, the session stores the processor's last getState");
        Expect(!ardour.Play.Chunk.SequenceEqual(ardour.Create.Chunk), "the parameters changed while playing change the saved state");

        var played = LastSave(ardour.Play);
        Expect(played.Parameter("Steps") == CreatedSteps && played.Parameter("Seed") == PlayedSeed && played.Parameter("Mode") == PlayedMode,
            "the processor saved Steps, Seed and Mode as set from Lua (changes reach it through process())");
    }

    [Fact]
    public void Loading_the_session_gives_the_plugin_its_saved_state()
    {
        // The play run loaded what the create run saved.
        var loadedForPlay = SingleRestore(ardour.Play);
        Expect(loadedForPlay.State.SequenceEqual(Vst3Preset.Chunk(ardour.Create.Chunk, "Comp")), "on load, setState gets the chunk the create run saved");
        Expect(loadedForPlay.Parameter("Steps") == CreatedSteps, "the processor holds Steps = 77 after that setState");

        var reloaded = SingleRestore(ardour.Reload);
        Expect(reloaded.State.SequenceEqual(Vst3Preset.Chunk(ardour.Play.Chunk, "Comp")), "on reload, setState gets the chunk the play run saved");
        Expect(reloaded.Parameter("Steps") == CreatedSteps && reloaded.Parameter("Seed") == PlayedSeed && reloaded.Parameter("Mode") == PlayedMode,
            "after reload the processor holds Steps, Seed and Mode as saved");
    }

    [Fact]
    public void Reloaded_session_shows_and_saves_the_same_parameters()
    {
        var report = ardour.Reload.Report;
        Expect(report["reloaded.Steps"] == Invariant(CreatedSteps) && report["reloaded.Seed"] == Invariant(PlayedSeed) && report["reloaded.Mode"] == Invariant(PlayedMode),
            "Ardour's parameter controls show the saved values after reload");
        Expect(Vst3Preset.Chunk(ardour.Reload.Chunk, "Comp").SequenceEqual(Vst3Preset.Chunk(ardour.Play.Chunk, "Comp")),
            "saving the reloaded session stores the same processor state again");
        Expect(Vst3Preset.Chunk(ardour.Reload.Chunk, "Comp").SequenceEqual(LastSave(ardour.Reload).State), "and it is what the processor returned");
    }

    /// <summary>The getState made while the transport looped (the play script saves once while rolling).</summary>
    private TraceEvent LoopingSave()
    {
        var playing = ardour.Play.Trace.Named("getState")
            .Where(e => e.Transport is { } t && t.GetProperty("playing").GetBoolean())
            .ToList();
        Expect(playing.Count == 1, "exactly one getState saw a playing transport (the save while looping)");
        return playing[0];
    }

    /// <summary>The last getState of a run: the final save (Ardour also calls it once right after creating the instance).</summary>
    private TraceEvent LastSave(ArdourRunResult run)
    {
        var saves = run.Trace.Named("getState").ToList();
        Expect(saves.Count > 0, "the run traced a getState");
        return saves[^1];
    }

    private TraceEvent SingleRestore(ArdourRunResult run)
    {
        var restores = run.Trace.Named("setState").ToList();
        Expect(restores.Count == 1, "loading the session called setState once");
        return restores[0];
    }

    private IEnumerable<TraceEvent> AllEvents() =>
        ardour.Create.Trace.Events.Concat(ardour.Play.Trace.Events).Concat(ardour.Reload.Trace.Events);

    private void Expect(bool condition, string what) =>
        Assert.True(condition, $"Expected: {what}.\n\n{ardour.Log}");

    private static string Invariant(double value) => value.ToString(CultureInfo.InvariantCulture);
}
