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

    /// <summary>The recorded stretches within <c>[from, to)</c>, merged, in order, exact to the frame.</summary>
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

        Span<ulong> bits = stackalloc ulong[CaptureStore.CoverageWords];
        long first = Math.Max(from, 0) / CaptureStore.ChunkFrames;
        long last = (to - 1) / CaptureStore.ChunkFrames;
        for (long chunk = first; chunk <= last; chunk++)
        {
            long chunkStart = chunk * CaptureStore.ChunkFrames;
            ReadCoverage(store, chunk, bits);
            int frame = 0;
            while (frame < CaptureStore.ChunkFrames)
            {
                // The run of equal bits from this frame on: whole words at a time where they are uniform.
                bool written = IsSet(bits, frame);
                int runEnd = NextChange(bits, frame, written);
                if (written)
                {
                    long start = Math.Max(chunkStart + frame, from);
                    long end = Math.Min(chunkStart + runEnd, to);
                    if (start < end)
                    {
                        if (ranges.Count > 0 && ranges[^1].End == start)
                        {
                            ranges[^1] = (ranges[^1].Start, end);
                        }
                        else
                        {
                            ranges.Add((start, end));
                        }
                    }
                }

                frame = runEnd;
            }
        }

        return ranges;
    }

    private static bool IsSet(ReadOnlySpan<ulong> bits, int frame) => (bits[frame >> 6] & (1UL << (frame & 63))) != 0;

    /// <summary>The first frame at or after <paramref name="frame"/> whose bit differs from <paramref name="value"/> (or the chunk's end).</summary>
    private static int NextChange(ReadOnlySpan<ulong> bits, int frame, bool value)
    {
        while (frame < CaptureStore.ChunkFrames)
        {
            int word = frame >> 6;
            // Bits that differ from value, at or above this frame's bit.
            ulong differing = (value ? ~bits[word] : bits[word]) & (ulong.MaxValue << (frame & 63));
            if (differing != 0)
            {
                return (word << 6) + System.Numerics.BitOperations.TrailingZeroCount(differing);
            }

            frame = (word + 1) << 6;
        }

        return CaptureStore.ChunkFrames;
    }

    private static void ReadCoverage(CaptureStore store, long chunk, Span<ulong> bits)
    {
        int slot = store.SlotOf(chunk);
        var source = store.Coverage.AsSpan(CaptureStore.CoverageOffset(slot), CaptureStore.CoverageWords);
        var spinner = default(SpinWait);
        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            int before = Volatile.Read(ref store.Sequence[slot]);
            if ((before & 1) == 0)
            {
                if (Volatile.Read(ref store.Tags[slot]) == chunk)
                {
                    source.CopyTo(bits);
                }
                else
                {
                    bits.Clear();
                }

                Interlocked.MemoryBarrier();
                if (Volatile.Read(ref store.Sequence[slot]) == before)
                {
                    return;
                }
            }

            spinner.SpinOnce();
        }

        // Being written right now: report it as not (yet) recorded rather than guess.
        bits.Clear();
    }

    private static bool TryCopyChunk(CaptureStore store, long chunk, int within, int count, Span<float> destination, out int covered)
    {
        int slot = store.SlotOf(chunk);
        int channels = store.Channels;
        Span<ulong> bits = stackalloc ulong[CaptureStore.CoverageWords];
        var coverage = store.Coverage.AsSpan(CaptureStore.CoverageOffset(slot), CaptureStore.CoverageWords);
        var spinner = default(SpinWait);
        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            int before = Volatile.Read(ref store.Sequence[slot]);
            if ((before & 1) == 0)
            {
                bits.Clear();
                if (Volatile.Read(ref store.Tags[slot]) == chunk)
                {
                    coverage.CopyTo(bits);
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

    /// <summary>Zeros the frames whose bit is clear (their bytes may be from an older pass or never written).</summary>
    private static int ZeroUncovered(ReadOnlySpan<ulong> bits, int within, int count, int channels, Span<float> destination)
    {
        int covered = 0;
        int frame = within;
        int end = within + count;
        while (frame < end)
        {
            bool written = IsSet(bits, frame);
            int runEnd = Math.Min(NextChange(bits, frame, written), end);
            if (written)
            {
                covered += runEnd - frame;
            }
            else
            {
                destination.Slice((frame - within) * channels, (runEnd - frame) * channels).Clear();
            }

            frame = runEnd;
        }

        return covered;
    }
}
