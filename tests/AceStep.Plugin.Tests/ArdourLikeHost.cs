using AceStep.Vst3;
using AceStep.Vst3.Hosting;

namespace AceStep.Plugin.Tests;

/// <summary>
/// Plays blocks the way Ardour 7.3 does (measured in the real host, docs/ardour.md): exact sample positions, but
/// every musical position — the block's ppq and the cycle's edges — rounded to 1920 ticks per quarter note; a loop
/// pass ends with a block cut at the loop's last sample and the next starts exactly at its first.
/// </summary>
internal sealed class ArdourLikeHost(PluginInstance instance, ProcessBlock block, int rate, double bpm)
{
    private const double TicksPerQuarter = 1920;
    private readonly ParameterChanges _changes = new();

    /// <summary>The loop in samples while loop playback runs (the cycle is sent only then, as Ardour does), or null.</summary>
    public (long Start, long End)? Loop { get; set; }

    /// <summary>Where the block's reported position is taken from, when a test makes it lie (null: the true position).</summary>
    public Func<long, long>? ReportedPosition { get; set; }

    /// <summary>Quarter notes at a sample, rounded to Ardour's tick grid.</summary>
    public double Ppq(long sample) => Math.Round(sample / (double)rate * bpm / 60.0 * TicksPerQuarter) / TicksPerQuarter;

    /// <summary>Plays [from, to) in blocks of the ProcessBlock's size, wrapping at the loop's end when it loops.</summary>
    public void Play(long from, long to, int pass = 0, bool playing = true)
    {
        long at = from;
        while (at < to)
        {
            int samples = (int)Math.Min(block.MaxSamples, to - at);
            if (Loop is { } loop && at < loop.End && at + samples > loop.End)
                samples = (int)(loop.End - at);
            Block(at, samples, pass, playing);
            at += samples;
            if (Loop is { } wrap && at == wrap.End)
                at = wrap.Start;
        }
    }

    /// <summary>Plays whole loop passes from the loop's start.</summary>
    public void PlayLoop(int passes, int pass = 0)
    {
        var loop = Loop ?? throw new InvalidOperationException("no loop");
        for (int p = 0; p < passes; p++)
        {
            for (long at = loop.Start; at < loop.End;)
            {
                int samples = (int)Math.Min(block.MaxSamples, loop.End - at);
                Block(at, samples, pass + p, playing: true);
                at += samples;
            }
        }
    }

    /// <summary>One block at <paramref name="position"/>, with an optional parameter change in it.</summary>
    public void Block(long position, int samples, int pass = 0, bool playing = true, (uint Id, double Value)? parameter = null)
    {
        block.NumSamples = samples;
        for (int c = 0; c < block.Channels; c++)
        {
            for (int i = 0; i < samples; i++)
                block.Input32(c)[i] = BlockDriver.Signal(pass, c, position + i);
        }

        _changes.Clear();
        if (parameter is { } p)
            _changes.Add(p.Id, 0, p.Value);
        block.InputParameterChanges = _changes;
        long reported = ReportedPosition?.Invoke(position) ?? position;
        ref var context = ref block.Context;
        context.State = (playing ? ProcessContextState.Playing : 0) | ProcessContextState.TempoValid | ProcessContextState.TimeSigValid
            | ProcessContextState.ProjectTimeMusicValid;
        context.SampleRate = rate;
        context.ProjectTimeSamples = reported;
        context.Tempo = bpm;
        context.TimeSigNumerator = 3;
        context.TimeSigDenominator = 4;
        context.ProjectTimeMusic = Ppq(reported);
        if (Loop is { } loop)
        {
            context.State |= ProcessContextState.CycleValid | ProcessContextState.CycleActive;
            context.CycleStartMusic = Ppq(loop.Start);
            context.CycleEndMusic = Ppq(loop.End);
        }

        Assert.Equal(Vst3Result.Ok, instance.Component.Process(block));
    }
}
