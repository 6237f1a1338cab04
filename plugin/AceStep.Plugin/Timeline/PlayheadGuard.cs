namespace AceStep.Plugin.Timeline;

/// <summary>
/// Follows the playhead block by block on the audio thread and decides two things the ProcessContext alone cannot:
/// whether a block's position can be trusted (for recording and for playing a take at that position), and where the
/// loop really starts and ends in samples. Allocation-free; one instance per processor, audio thread only.
/// </summary>
/// <remarks>
/// <para>
/// <b>Loop edges.</b> Hosts give the cycle in quarter notes. Converting it to samples through the block's musical
/// position is exact only when the host's ppq is: Ardour 7 rounds both to its 1920-ticks-per-quarter grid, so the
/// result was up to about a tick off (7 samples at 100 BPM, 48 kHz), and a range a few samples off the loop can never
/// be covered by looping it. The sample positions the host actually plays are exact: when a rolling transport jumps
/// from within a few ticks of the cycle end to within a few ticks of the cycle start, that jump is the wrap, and the
/// last frame before it and the first after it are the loop's edges. Those observed edges replace the converted ones
/// for as long as the host keeps reporting the same cycle.
/// </para>
/// <para>
/// <b>Remembered loop.</b> Ardour reports the cycle only while loop playback runs, so the producer who loops the bars
/// and stops would lose the range. The last loop stays known while the transport is stopped and is forgotten when
/// the transport rolls without a cycle (linear playback: the producer has moved on to Start Bar and Length).
/// </para>
/// <para>
/// <b>Untrusted blocks.</b> A rolling block that does not start where the previous one ended, is not a loop wrap, does
/// not go back to where the current run started (a host that loops without reporting a cycle) and does not follow a
/// stop is a jump the plugin cannot verify: Ardour 7.3 was seen to hand one block with a position far from the audio
/// it carried while playing straight through a loop range. Such a block passes its input through unchanged and is
/// not recorded; the next block is trusted again (a real locate continues from the jump, an odd block is followed by
/// the old run). A producer who locates to a new place while playing hears the take one block later.
/// </para>
/// </remarks>
internal sealed class PlayheadGuard
{
    /// <summary>The least distance, in samples, within which a jump counts as a loop wrap.</summary>
    private const long MinWrapTolerance = 16;

    /// <summary>Where the next block starts if the playhead moves on normally; <see cref="long.MinValue"/> when stopped.</summary>
    private long _expected = long.MinValue;

    private bool _previousSuspect;

    /// <summary>Where the current run of trusted blocks began (the last trusted jump target or transport start).</summary>
    private long _runStart = long.MinValue;
    private bool _haveLoop;
    private bool _loopObserved;
    private long _loopStart;
    private long _loopEnd;
    private double _loopStartPpq;
    private double _loopEndPpq;

    /// <summary>
    /// Takes in one block: completes <paramref name="snapshot"/>'s cycle in samples (observed, converted or remembered)
    /// and says whether the block's position can be trusted.
    /// </summary>
    /// <param name="snapshot">The block's snapshot from <see cref="TransportSnapshot.From"/>; its cycle fields are updated.</param>
    /// <param name="rolling">Whether the block advances the playhead (playing or offline).</param>
    /// <param name="frames">Frames in the block.</param>
    /// <returns>True when the block may be recorded and rendered at its position.</returns>
    public bool Advance(ref TransportSnapshot snapshot, bool rolling, int frames)
    {
        if (frames <= 0)
        {
            // A parameter flush: no audio, no movement.
            ApplyLoop(ref snapshot);
            return true;
        }

        long position = snapshot.ProjectTimeSamples;
        bool continuous = position == _expected;
        bool hasCycle = (snapshot.Fields & TransportFields.CycleSamples) != 0;
        if (hasCycle)
        {
            Remember(snapshot);
        }
        else if (rolling)
        {
            // Playing without a loop: the remembered one no longer describes what the producer is doing.
            _haveLoop = false;
        }

        bool trusted = true;
        if (rolling && _expected != long.MinValue && !continuous)
        {
            if (hasCycle && IsWrap(snapshot, _expected, position))
            {
                _loopStart = position;
                _loopEnd = _expected;
                _loopObserved = true;
            }
            else if (!_previousSuspect && position != _runStart)
            {
                trusted = false;
            }
        }

        if (trusted && (!continuous || !rolling))
        {
            _runStart = position;
        }

        _previousSuspect = !trusted;
        _expected = rolling ? position + frames : long.MinValue;
        ApplyLoop(ref snapshot);
        return trusted;
    }

    /// <summary>How close to the converted edges a jump must land to count as the wrap: a few of Ardour's ticks.</summary>
    internal static long WrapTolerance(in TransportSnapshot snapshot)
    {
        if ((snapshot.Fields & TransportFields.Tempo) == 0 || !(snapshot.SampleRate > 0))
        {
            return MinWrapTolerance;
        }

        double quarter = snapshot.SampleRate * 60.0 / snapshot.Tempo;
        return Math.Max(MinWrapTolerance, (long)Math.Ceiling(quarter / 480));
    }

    private bool IsWrap(in TransportSnapshot snapshot, long previousEnd, long position)
    {
        long tolerance = WrapTolerance(snapshot);
        return Math.Abs(position - _loopStart) <= tolerance && Math.Abs(previousEnd - _loopEnd) <= tolerance;
    }

    /// <summary>Keeps observed edges while the host reports the same cycle; takes the converted ones otherwise.</summary>
    private void Remember(in TransportSnapshot snapshot)
    {
        long tolerance = WrapTolerance(snapshot);
        bool sameCycle = _haveLoop
            && snapshot.CycleStartPpq == _loopStartPpq
            && snapshot.CycleEndPpq == _loopEndPpq
            && Math.Abs(snapshot.CycleStartSamples - _loopStart) <= tolerance
            && Math.Abs(snapshot.CycleEndSamples - _loopEnd) <= tolerance;
        if (sameCycle && _loopObserved)
        {
            return;
        }

        _haveLoop = true;
        _loopObserved = false;
        _loopStart = snapshot.CycleStartSamples;
        _loopEnd = snapshot.CycleEndSamples;
        _loopStartPpq = snapshot.CycleStartPpq;
        _loopEndPpq = snapshot.CycleEndPpq;
    }

    private void ApplyLoop(ref TransportSnapshot snapshot)
    {
        if (!_haveLoop)
        {
            return;
        }

        bool reported = (snapshot.Fields & TransportFields.CycleSamples) != 0;
        snapshot.CycleStartPpq = _loopStartPpq;
        snapshot.CycleEndPpq = _loopEndPpq;
        snapshot.CycleStartSamples = _loopStart;
        snapshot.CycleEndSamples = _loopEnd;
        snapshot.Fields |= TransportFields.Cycle | TransportFields.CycleSamples
            | (_loopObserved ? TransportFields.CycleObserved : TransportFields.None)
            | (reported ? TransportFields.None : TransportFields.CycleRemembered);
    }
}
