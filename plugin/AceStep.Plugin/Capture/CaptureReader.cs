namespace AceStep.Plugin.Capture;

/// <summary>How a read of the capture went.</summary>
internal enum CaptureReadStatus
{
    /// <summary>Every frame of the range was recorded; the copy is consistent.</summary>
    Complete = 0,

    /// <summary>Some frames were never recorded (or were evicted); they read as zeros. The rest is consistent.</summary>
    Partial = 1,

    /// <summary>The audio thread kept rewriting a chunk while it was copied; try again (or later).</summary>
    Changed = 2,

    /// <summary>There is no capture (never activated, or cleared by a rate change).</summary>
    Empty = 3,
}

/// <summary>The outcome of <see cref="CaptureReader.Read"/>.</summary>
/// <param name="Status">See <see cref="CaptureReadStatus"/>.</param>
/// <param name="CoveredFrames">Frames of the range that were recorded.</param>
internal readonly record struct CaptureReadResult(CaptureReadStatus Status, long CoveredFrames);

/// <summary>
/// Copies recorded audio out of a <see cref="CaptureStore"/> on a worker thread (never the audio thread), without
/// ever making the audio thread wait: each chunk is copied between two reads of its sequence number, and copied
/// again when the audio thread wrote it meanwhile (a seqlock).
/// </summary>
internal static class CaptureReader
{
    /// <summary>Attempts per chunk before a read reports <see cref="CaptureReadStatus.Changed"/>.</summary>
    public const int MaxAttempts = 16;

    /// <summary>
    /// Copies frames <c>[start, start + frames)</c> of the timeline into <paramref name="interleaved"/> (frame-major,
    /// <paramref name="store"/>'s channel count per frame). Unrecorded frames read as zeros.
    /// </summary>
    /// <param name="store">The store, taken once from <see cref="TimelineCapture.Store"/> (null reads as empty).</param>
    /// <param name="start">First project sample (may be negative: those frames are never recorded).</param>
    /// <param name="frames">Number of frames.</param>
    /// <param name="interleaved">At least <c>frames × Channels</c> floats.</param>
    /// <returns>The status and the number of recorded frames.</returns>
    public static CaptureReadResult Read(CaptureStore? store, long start, int frames, Span<float> interleaved)
    {
        if (store is null)
        {
            return new(CaptureReadStatus.Empty, 0);
        }

        int channels = store.Channels;
        ArgumentOutOfRangeException.ThrowIfNegative(frames);
        ArgumentOutOfRangeException.ThrowIfLessThan(interleaved.Length, (long)frames * channels);
        var output = interleaved[..(frames * channels)];
        output.Clear();
        long covered = 0;
        bool torn = false;
        long end = start + frames;
        long at = Math.Max(start, 0);
        while (at < end)
        {
            long chunk = at / CaptureStore.ChunkFrames;
            long chunkStart = chunk * CaptureStore.ChunkFrames;
            int within = (int)(at - chunkStart);
            int count = (int)Math.Min(CaptureStore.ChunkFrames - within, end - at);
            var destination = output.Slice((int)(at - start) * channels, count * channels);
            if (TryCopyChunk(store, chunk, within, count, destination, out int chunkCovered))
            {
                covered += chunkCovered;
            }
            else
            {
                destination.Clear();
                torn = true;
            }

            at += count;
        }

        var status = torn ? CaptureReadStatus.Changed : covered == frames ? CaptureReadStatus.Complete : CaptureReadStatus.Partial;
        return new(status, covered);
    }

    /// <summary>
    /// The recorded stretches within <c>[from, to)</c>, merged, in order. Exact to <see cref="CaptureStore.UnitFrames"/>
    /// frames (conservative at the edges of each recorded stretch).
    /// </summary>
    /// <param name="store">The store (null: nothing recorded).</param>
    /// <param name="from">First project sample of interest.</param>
    /// <param name="to">End (exclusive).</param>
    /// <returns>Half-open ranges in project samples.</returns>
    public static IReadOnlyList<(long Start, long End)> CoveredRanges(CaptureStore? store, long from, long to)
    {
        var ranges = new List<(long Start, long End)>();
        if (store is null || to <= from)
        {
            return ranges;
        }

        long first = Math.Max(from, 0) / CaptureStore.ChunkFrames;
        long last = (to - 1) / CaptureStore.ChunkFrames;
        for (long chunk = first; chunk <= last; chunk++)
        {
            ulong bits = ReadCoverage(store, chunk);
            for (int unit = 0; unit < 64; unit++)
            {
                if ((bits & (1UL << unit)) == 0)
                {
                    continue;
                }

                long unitStart = Math.Max((chunk * CaptureStore.ChunkFrames) + (unit * CaptureStore.UnitFrames), from);
                long unitEnd = Math.Min((chunk * CaptureStore.ChunkFrames) + ((unit + 1) * CaptureStore.UnitFrames), to);
                if (unitStart >= unitEnd)
                {
                    continue;
                }

                if (ranges.Count > 0 && ranges[^1].End == unitStart)
                {
                    ranges[^1] = (ranges[^1].Start, unitEnd);
                }
                else
                {
                    ranges.Add((unitStart, unitEnd));
                }
            }
        }

        return ranges;
    }

    private static ulong ReadCoverage(CaptureStore store, long chunk)
    {
        int slot = store.SlotOf(chunk);
        var spinner = default(SpinWait);
        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            int before = Volatile.Read(ref store.Sequence[slot]);
            if ((before & 1) == 0)
            {
                ulong bits = Volatile.Read(ref store.Tags[slot]) == chunk ? Volatile.Read(ref store.Coverage[slot]) : 0;
                Interlocked.MemoryBarrier();
                if (Volatile.Read(ref store.Sequence[slot]) == before)
                {
                    return bits;
                }
            }

            spinner.SpinOnce();
        }

        // Being written right now: report it as not (yet) recorded rather than guess.
        return 0;
    }

    private static bool TryCopyChunk(CaptureStore store, long chunk, int within, int count, Span<float> destination, out int covered)
    {
        int slot = store.SlotOf(chunk);
        int channels = store.Channels;
        var spinner = default(SpinWait);
        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            int before = Volatile.Read(ref store.Sequence[slot]);
            if ((before & 1) == 0)
            {
                ulong bits = 0;
                if (Volatile.Read(ref store.Tags[slot]) == chunk)
                {
                    bits = Volatile.Read(ref store.Coverage[slot]);
                    for (int channel = 0; channel < channels; channel++)
                    {
                        var source = store.Samples.AsSpan(store.Offset(slot, channel) + within, count);
                        for (int i = 0; i < count; i++)
                        {
                            destination[(i * channels) + channel] = source[i];
                        }
                    }
                }

                Interlocked.MemoryBarrier();
                if (Volatile.Read(ref store.Sequence[slot]) == before)
                {
                    covered = ZeroUncovered(bits, within, count, channels, destination);
                    return true;
                }
            }

            spinner.SpinOnce();
        }

        covered = 0;
        return false;
    }

    /// <summary>Zeros the frames of units whose bit is clear (their bytes may be from an older pass or unwritten).</summary>
    private static int ZeroUncovered(ulong bits, int within, int count, int channels, Span<float> destination)
    {
        int covered = 0;
        int i = 0;
        while (i < count)
        {
            int unit = (within + i) / CaptureStore.UnitFrames;
            int unitEnd = Math.Min(count, ((unit + 1) * CaptureStore.UnitFrames) - within);
            if ((bits & (1UL << unit)) != 0)
            {
                covered += unitEnd - i;
            }
            else
            {
                destination.Slice(i * channels, (unitEnd - i) * channels).Clear();
            }

            i = unitEnd;
        }

        return covered;
    }
}
