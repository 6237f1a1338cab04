using AceStep.Vst3;
using AceStep.Vst3.Hosting;

namespace AceStep.Plugin.Tests;

/// <summary>Tempo, signature, bars and the cycle worked out from the ProcessContext, and the range of a job.</summary>
public sealed class TransportTests : IDisposable
{
    private const uint StartBarId = 7;
    private const uint LengthId = 8;
    private const ProcessContextState Music = ProcessContextState.Playing | ProcessContextState.TempoValid
        | ProcessContextState.TimeSigValid | ProcessContextState.ProjectTimeMusicValid;

    private readonly PluginHarness _plugin = new();
    private readonly PluginInstance _instance;
    private readonly ProcessBlock _block = new(SymbolicSampleSize.Sample32, 2, 512);

    public TransportTests()
    {
        _instance = _plugin.CreateInstance();
        _instance.Activate(PluginHarness.Setup(SymbolicSampleSize.Sample32));
    }

    public void Dispose()
    {
        _block.Dispose();
        _instance.Dispose();
        _plugin.Dispose();
    }

    [Theory]
    [InlineData(4, 4, 0.0, 1, 0.0)]
    [InlineData(4, 4, 13.5, 4, 12.0)]
    [InlineData(3, 4, 13.5, 5, 12.0)]
    [InlineData(3, 4, 2.999, 1, 0.0)]
    [InlineData(6, 8, 7.0, 3, 6.0)]
    [InlineData(6, 8, 5.9999999999, 3, 6.0)] // a host's accumulated rounding just below a bar line
    [InlineData(7, 8, 7.0, 3, 7.0)]
    public void Bars_are_derived_from_ppq_and_the_signature(int numerator, int denominator, double ppq, int bar, double barStart)
    {
        var transport = Process(Music, 120, numerator, denominator, ppq, 0);
        Assert.True(transport.Has(TransportField.Bar));
        Assert.False(transport.Has(TransportField.HostBarPosition));
        Assert.Equal(bar, transport.Bar);
        Assert.Equal(barStart, transport.BarStartPpq, 9);
        Assert.Equal(numerator, transport.Numerator);
        Assert.Equal(denominator, transport.Denominator);
    }

    [Fact]
    public void A_plausible_host_bar_position_is_used_and_an_implausible_one_is_ignored()
    {
        // 3/4 after a signature change: the host's bar start (10) is not a multiple of 3, and it is what counts.
        var transport = Process(Music | ProcessContextState.BarPositionValid, 120, 3, 4, 11.5, 10);
        Assert.True(transport.Has(TransportField.HostBarPosition));
        Assert.Equal(10, transport.BarStartPpq);
        Assert.Equal(1.5, transport.BeatInBar, 9);

        // Ardour 7.3 sends bars × 4 in 3/4 (8 at ppq 4.5): after ppq, so it is ignored.
        transport = Process(Music | ProcessContextState.BarPositionValid, 120, 3, 4, 4.5, 8);
        Assert.False(transport.Has(TransportField.HostBarPosition));
        Assert.Equal(3, transport.BarStartPpq);
        Assert.Equal(2, transport.Bar);
    }

    [Fact]
    public void Only_fields_with_valid_flags_are_taken()
    {
        var transport = Process(ProcessContextState.Playing, 120, 4, 4, 13.5, 12);
        Assert.Equal(TransportField.Playing, transport.Fields);
        Assert.Equal(0, transport.Tempo);
        Assert.Equal(0, transport.Bar);
        Assert.Equal(0, _plugin.ResolveRange(_instance).Source);
    }

    [Fact]
    public void A_tempo_change_moves_the_cycle_in_samples_but_not_the_bars()
    {
        var cycle = Music | ProcessContextState.CycleValid | ProcessContextState.CycleActive;

        // 120 BPM: quarter note = 24000 samples; the cycle [4, 8) starts at bar 2.
        var transport = Process(cycle, 120, 4, 4, 0, 0, position: 0, cycleStart: 4, cycleEnd: 8);
        Assert.True(transport.Has(TransportField.Cycle | TransportField.CycleActive | TransportField.CycleSamples));
        Assert.Equal((96_000L, 192_000L), (transport.CycleStartSamples, transport.CycleEndSamples));

        // One second later (2 quarter notes) the tempo is 90: the rest of the way is converted at 32000 samples per
        // quarter note, anchored at the block's own position.
        transport = Process(cycle, 90, 4, 4, 2, 0, position: 48_000, cycleStart: 4, cycleEnd: 8);
        Assert.Equal(90, transport.Tempo);
        Assert.Equal(1, transport.Bar);
        Assert.Equal((112_000L, 240_000L), (transport.CycleStartSamples, transport.CycleEndSamples));

        var range = _plugin.ResolveRange(_instance);
        Assert.Equal((1, 112_000L, 240_000L, 4.0, 8.0), range);
    }

    [Fact]
    public void Without_a_cycle_the_range_is_Start_Bar_and_Length()
    {
        Assert.Equal(0, _plugin.ResolveRange(_instance).Source);

        using var changes = new ParameterChanges();
        changes.Add(StartBarId, 0, (3 - 1) / 998.0);
        changes.Add(LengthId, 0, (2 - 1) / 127.0);
        _block.InputParameterChanges = changes;

        // 6/8 at 120 BPM: a bar is 3 quarter notes = 72000 samples; bars 3–4 are quarter notes 6–12.
        Process(Music, 120, 6, 8, 0, 0);
        Assert.Equal((2, 144_000L, 288_000L, 6.0, 12.0), _plugin.ResolveRange(_instance));

        // A cycle that the host marks valid takes precedence (a REAPER time selection will go first later).
        _block.InputParameterChanges = null;
        Process(Music | ProcessContextState.CycleValid, 120, 6, 8, 0, 0, cycleStart: 3, cycleEnd: 6);
        Assert.Equal((1, 72_000L, 144_000L, 3.0, 6.0), _plugin.ResolveRange(_instance));
    }

    [Fact]
    public void Bar_1_starts_at_the_project_start_even_when_the_host_rounds_its_ppq()
    {
        // Input tried: Ardour-style rounding — at project sample 48 000 (exactly quarter note 2 at 120 BPM) the host
        // reports ppq 2.0001, which would put bar 1 at sample −2.4, before the timeline begins.
        using var changes = new ParameterChanges();
        changes.Add(StartBarId, 0, 0);
        changes.Add(LengthId, 0, (2 - 1) / 127.0);
        _block.InputParameterChanges = changes;
        Process(Music, 120, 4, 4, 2.0001, 0, position: 48_000);
        var range = _plugin.ResolveRange(_instance);
        Assert.Equal(2, range.Source);
        Assert.Equal(0L, range.Start);
    }

    private Transport Process(ProcessContextState state, double tempo, int numerator, int denominator, double ppq, double barPosition,
        long position = 0, double cycleStart = 0, double cycleEnd = 0)
    {
        ref var context = ref _block.Context;
        context.State = state;
        context.SampleRate = 48000;
        context.ProjectTimeSamples = position;
        context.Tempo = tempo;
        context.TimeSigNumerator = numerator;
        context.TimeSigDenominator = denominator;
        context.ProjectTimeMusic = ppq;
        context.BarPositionMusic = barPosition;
        context.CycleStartMusic = cycleStart;
        context.CycleEndMusic = cycleEnd;
        Assert.Equal(Vst3Result.Ok, _instance.Component.Process(_block));
        var transport = _plugin.ReadTransport(_instance);
        Assert.NotNull(transport);
        Assert.Equal(position, transport.Value.ProjectTimeSamples);
        return transport.Value;
    }
}
