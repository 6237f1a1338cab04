using System.Runtime.InteropServices;
using AceStep.Vst3;

namespace AceStep.Plugin.Timeline;

/// <summary>Which fields of a <see cref="TransportSnapshot"/> hold values (the rest are 0).</summary>
[Flags]
internal enum TransportFields
{
    /// <summary>Nothing known.</summary>
    None = 0,

    /// <summary>The transport was rolling (kPlaying).</summary>
    Playing = 1 << 0,

    /// <summary><see cref="TransportSnapshot.Tempo"/>.</summary>
    Tempo = 1 << 1,

    /// <summary><see cref="TransportSnapshot.Numerator"/> and <see cref="TransportSnapshot.Denominator"/>.</summary>
    TimeSignature = 1 << 2,

    /// <summary><see cref="TransportSnapshot.Ppq"/>.</summary>
    Ppq = 1 << 3,

    /// <summary><see cref="TransportSnapshot.Bar"/>, <see cref="TransportSnapshot.BarStartPpq"/>, <see cref="TransportSnapshot.BeatInBar"/>.</summary>
    Bar = 1 << 4,

    /// <summary>The bar start came from the host's barPositionMusic (otherwise it was derived from ppq and signature).</summary>
    HostBarPosition = 1 << 5,

    /// <summary><see cref="TransportSnapshot.CycleStartPpq"/> and <see cref="TransportSnapshot.CycleEndPpq"/>.</summary>
    Cycle = 1 << 6,

    /// <summary>The cycle is switched on (kCycleActive).</summary>
    CycleActive = 1 << 7,

    /// <summary><see cref="TransportSnapshot.CycleStartSamples"/> and <see cref="TransportSnapshot.CycleEndSamples"/>.</summary>
    CycleSamples = 1 << 8,

    /// <summary>The block was rendered offline (kOffline).</summary>
    Offline = 1 << 9,

    /// <summary>The cycle's sample edges were observed at a loop wrap (exact), not converted from quarter notes.</summary>
    CycleObserved = 1 << 10,

    /// <summary>The cycle is the last one the host reported (the transport stopped since), not this block's.</summary>
    CycleRemembered = 1 << 11,
}

/// <summary>
/// Where one block was, in time and in music, as worked out from its ProcessContext (only the fields whose valid
/// flags are set). Blittable and sequential: the diagnostics export hands it out as it is.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct TransportSnapshot
{
    /// <summary>Which of the fields below hold values.</summary>
    public TransportFields Fields;

    /// <summary>Numerator of the time signature.</summary>
    public int Numerator;

    /// <summary>Denominator of the time signature.</summary>
    public int Denominator;

    /// <summary>1-based bar number of the block's first sample, assuming the signature has not changed since the start.</summary>
    public int Bar;

    /// <summary>The host's rate (ProcessContext sampleRate, else the setup's).</summary>
    public double SampleRate;

    /// <summary>Project time of the block's first sample, in samples (always given by VST3).</summary>
    public long ProjectTimeSamples;

    /// <summary>Beats per minute (quarter notes).</summary>
    public double Tempo;

    /// <summary>Project time of the block's first sample, in quarter notes.</summary>
    public double Ppq;

    /// <summary>Quarter-note position of the start of the current bar.</summary>
    public double BarStartPpq;

    /// <summary>Quarter notes since the start of the bar.</summary>
    public double BeatInBar;

    /// <summary>Cycle (loop) start in quarter notes.</summary>
    public double CycleStartPpq;

    /// <summary>Cycle end in quarter notes.</summary>
    public double CycleEndPpq;

    /// <summary>Cycle start in project samples: observed at a wrap, else converted at the current tempo (<see cref="PlayheadGuard"/>).</summary>
    public long CycleStartSamples;

    /// <summary>Cycle end (exclusive) in project samples, like <see cref="CycleStartSamples"/>.</summary>
    public long CycleEndSamples;

    /// <summary>Blocks processed by the instance when this was taken (lets readers tell snapshots apart).</summary>
    public long Block;

    /// <summary>Quarter notes per bar of a signature (6/8 → 3, 3/4 → 3, 7/8 → 3.5).</summary>
    public static double QuarterNotesPerBar(int numerator, int denominator) => numerator * 4.0 / denominator;

    /// <summary>
    /// Works out a snapshot from a block's context. Allocation-free (the audio thread calls it every block).
    /// </summary>
    /// <param name="context">The block's ProcessContext.</param>
    /// <param name="setupRate">The rate from setupProcessing, used when the context carries none.</param>
    /// <param name="mode">The block's process mode.</param>
    /// <param name="block">The block counter.</param>
    /// <returns>The snapshot.</returns>
    /// <remarks>
    /// Bars: the bar start is the host's <c>barPositionMusic</c> when it is flagged valid and plausible (at or before
    /// ppq, less than one bar before it). Ardour 7.3 sends values that are neither (4, 8, 12 … in 3/4: bars × 4), so an
    /// implausible value is ignored and the bar start is derived from ppq and the signature, which assumes the
    /// signature has been constant since the project start. The bar number always makes that assumption: VST3 gives no
    /// signature history.
    /// </remarks>
    public static TransportSnapshot From(in ProcessContext context, double setupRate, ProcessMode mode, long block)
    {
        var state = context.State;
        var snapshot = new TransportSnapshot
        {
            SampleRate = context.SampleRate > 0 ? context.SampleRate : setupRate,
            ProjectTimeSamples = context.ProjectTimeSamples,
            Block = block,
        };
        var fields = TransportFields.None;
        if ((state & ProcessContextState.Playing) != 0)
        {
            fields |= TransportFields.Playing;
        }

        if (mode == ProcessMode.Offline)
        {
            fields |= TransportFields.Offline;
        }

        if ((state & ProcessContextState.TempoValid) != 0 && context.Tempo > 0 && double.IsFinite(context.Tempo))
        {
            fields |= TransportFields.Tempo;
            snapshot.Tempo = context.Tempo;
        }

        if ((state & ProcessContextState.TimeSigValid) != 0 && context.TimeSigNumerator > 0 && context.TimeSigDenominator > 0)
        {
            fields |= TransportFields.TimeSignature;
            snapshot.Numerator = context.TimeSigNumerator;
            snapshot.Denominator = context.TimeSigDenominator;
        }

        if ((state & ProcessContextState.ProjectTimeMusicValid) != 0 && double.IsFinite(context.ProjectTimeMusic))
        {
            fields |= TransportFields.Ppq;
            snapshot.Ppq = context.ProjectTimeMusic;
        }

        if ((fields & (TransportFields.Ppq | TransportFields.TimeSignature)) == (TransportFields.Ppq | TransportFields.TimeSignature))
        {
            double perBar = QuarterNotesPerBar(snapshot.Numerator, snapshot.Denominator);
            // A tolerance of a millionth of a quarter note absorbs the rounding of hosts that accumulate ppq.
            const double Epsilon = 1e-6;
            double barStart;
            if ((state & ProcessContextState.BarPositionValid) != 0
                && double.IsFinite(context.BarPositionMusic)
                && context.BarPositionMusic <= snapshot.Ppq + Epsilon
                && snapshot.Ppq - context.BarPositionMusic < perBar - Epsilon)
            {
                barStart = context.BarPositionMusic;
                fields |= TransportFields.HostBarPosition;
            }
            else
            {
                barStart = Math.Floor((snapshot.Ppq / perBar) + Epsilon) * perBar;
            }

            snapshot.BarStartPpq = barStart;
            snapshot.BeatInBar = Math.Max(0, snapshot.Ppq - barStart);
            snapshot.Bar = (int)Math.Clamp(Math.Floor((barStart / perBar) + Epsilon) + 1, int.MinValue, int.MaxValue);
            fields |= TransportFields.Bar;
        }

        if ((state & ProcessContextState.CycleValid) != 0
            && double.IsFinite(context.CycleStartMusic)
            && double.IsFinite(context.CycleEndMusic)
            && context.CycleEndMusic > context.CycleStartMusic)
        {
            fields |= TransportFields.Cycle;
            snapshot.CycleStartPpq = context.CycleStartMusic;
            snapshot.CycleEndPpq = context.CycleEndMusic;
            if ((state & ProcessContextState.CycleActive) != 0)
            {
                fields |= TransportFields.CycleActive;
            }
        }

        snapshot.Fields = fields;
        if (snapshot.TryPpqToSamples(snapshot.CycleStartPpq, out long cycleStart) && snapshot.TryPpqToSamples(snapshot.CycleEndPpq, out long cycleEnd)
            && (fields & TransportFields.Cycle) != 0)
        {
            snapshot.CycleStartSamples = cycleStart;
            snapshot.CycleEndSamples = cycleEnd;
            snapshot.Fields |= TransportFields.CycleSamples;
        }

        return snapshot;
    }

    /// <summary>
    /// A quarter-note position in project samples at the current tempo, anchored at this block's position (so tempo
    /// changes before the block do not matter; changes between the block and <paramref name="ppq"/> do).
    /// </summary>
    /// <param name="ppq">The position in quarter notes.</param>
    /// <param name="samples">The position in samples, rounded to the nearest.</param>
    /// <returns>False without tempo, ppq or rate.</returns>
    public readonly bool TryPpqToSamples(double ppq, out long samples)
    {
        samples = 0;
        if ((Fields & (TransportFields.Tempo | TransportFields.Ppq)) != (TransportFields.Tempo | TransportFields.Ppq) || !(SampleRate > 0))
        {
            return false;
        }

        double offset = (ppq - Ppq) * 60.0 / Tempo * SampleRate;
        samples = ProjectTimeSamples + (long)Math.Round(offset, MidpointRounding.AwayFromZero);
        return true;
    }

    /// <summary>The inverse of <see cref="TryPpqToSamples"/>: a project sample position in quarter notes at the current tempo.</summary>
    /// <param name="samples">The position in project samples.</param>
    /// <param name="ppq">The position in quarter notes.</param>
    /// <returns>False without tempo, ppq or rate.</returns>
    public readonly bool TryPpqFromSamples(long samples, out double ppq)
    {
        ppq = 0;
        if ((Fields & (TransportFields.Tempo | TransportFields.Ppq)) != (TransportFields.Tempo | TransportFields.Ppq) || !(SampleRate > 0))
        {
            return false;
        }

        ppq = Ppq + ((samples - ProjectTimeSamples) / SampleRate * Tempo / 60.0);
        return true;
    }
}
