using AceStep.Vst3;

namespace AceStep.Plugin.Capture;

/// <summary>
/// Records what enters the plugin, indexed by project sample position: the audio thread's side of the capture, and
/// the owner of the <see cref="CaptureStore"/> that <see cref="CaptureReader"/> reads on other threads.
/// </summary>
/// <remarks>
/// <para>
/// The ProcessContext's <c>projectTimeSamples</c> is the index, so loops and jumps need no special case: a block
/// simply writes where it is and marks exactly its frames as recorded, and material recorded again at the same
/// positions replaces the older pass. The input (not the output) is recorded, so a take playing over a range never
/// overwrites the source it replaces. Whether a block's position can be trusted is the caller's decision
/// (<see cref="AceStep.Plugin.Timeline.PlayheadGuard"/>).
/// </para>
/// <para>
/// Threads: <see cref="Prepare"/> and <see cref="Clear"/> run on the host's main thread while the processor is
/// inactive; <see cref="Write"/> runs on the audio thread and never allocates, locks, blocks or page-faults;
/// readers take <see cref="Store"/> once and check each chunk's sequence number.
/// </para>
/// </remarks>
internal sealed unsafe class TimelineCapture
{
    private CaptureStore? _store;

    /// <summary>The current store, or null before the first activation (or after a clear).</summary>
    public CaptureStore? Store => Volatile.Read(ref _store);

    /// <summary>
    /// Makes sure a store exists for this rate and channel count (main thread, processor inactive). An existing store
    /// with the same format is kept, so a host that deactivates and reactivates loses nothing; any other is replaced.
    /// </summary>
    /// <param name="sampleRate">The rate from setupProcessing.</param>
    /// <param name="channels">Channels of the input bus.</param>
    /// <param name="seconds">Capacity in seconds.</param>
    public void Prepare(double sampleRate, int channels, double seconds)
    {
        var store = Store;
        if (store is not null && store.SampleRate == sampleRate && store.Channels == channels)
        {
            return;
        }

        // Drop the old store before allocating the new one, so a format change never needs both at once.
        Volatile.Write(ref _store, null);
        Volatile.Write(ref _store, new CaptureStore(sampleRate, channels, seconds));
    }

    /// <summary>Forgets everything recorded (a new sample rate makes old positions meaningless). Main thread only.</summary>
    public void Clear() => Volatile.Write(ref _store, null);

    /// <summary>
    /// Records the input of one block at <paramref name="position"/> (audio thread). Frames before position 0 (a
    /// pre-roll) are skipped; 64-bit input is stored as float.
    /// </summary>
    /// <param name="position">Project time of the block's first frame.</param>
    /// <param name="data">The block.</param>
    /// <param name="bus">The input bus to record (0 main, 1 the sidechain).</param>
    public void Write(long position, ProcessData* data, int bus = 0)
    {
        var store = _store;
        int frames = data->NumSamples;
        if (store is null || frames <= 0)
        {
            return;
        }

        long end = position + frames;
        AudioBusBuffers* input = data->NumInputs > bus && data->Inputs != null ? &data->Inputs[bus] : null;
        bool is64 = data->SymbolicSampleSize == SymbolicSampleSize.Sample64;
        long at = Math.Max(position, 0);
        while (at < end)
        {
            long chunk = at / CaptureStore.ChunkFrames;
            long chunkStart = chunk * CaptureStore.ChunkFrames;
            int within = (int)(at - chunkStart);
            int count = (int)Math.Min(CaptureStore.ChunkFrames - within, end - at);
            int slot = store.SlotOf(chunk);
            int blockOffset = (int)(at - position);

            // Seqlock: odd while writing. The full fence keeps the sample stores from moving before the odd number.
            int sequence = store.Sequence[slot];
            Volatile.Write(ref store.Sequence[slot], sequence + 1);
            Interlocked.MemoryBarrier();

            var coverage = store.Coverage.AsSpan(CaptureStore.CoverageOffset(slot), CaptureStore.CoverageWords);
            if (store.Tags[slot] != chunk)
            {
                store.Tags[slot] = chunk;
                coverage.Clear();
            }

            for (int channel = 0; channel < store.Channels; channel++)
            {
                var destination = store.Samples.AsSpan(store.Offset(slot, channel) + within, count);
                void* source = input != null && input->ChannelBuffers != null && channel < input->NumChannels
                    ? input->ChannelBuffers[channel]
                    : null;
                if (source == null)
                {
                    destination.Clear();
                }
                else if (is64)
                {
                    var samples = new ReadOnlySpan<double>((double*)source + blockOffset, count);
                    for (int i = 0; i < count; i++)
                    {
                        destination[i] = (float)samples[i];
                    }
                }
                else
                {
                    new ReadOnlySpan<float>((float*)source + blockOffset, count).CopyTo(destination);
                }
            }

            MarkWritten(coverage, within, count);
            Volatile.Write(ref store.Sequence[slot], sequence + 2);
            at += count;
        }
    }

    /// <summary>Sets the bits of frames <c>[from, from + count)</c> of a chunk's coverage bitmap.</summary>
    internal static void MarkWritten(Span<ulong> coverage, int from, int count)
    {
        int end = from + count;
        while (from < end)
        {
            int word = from >> 6;
            int bit = from & 63;
            int bits = Math.Min(64 - bit, end - from);
            ulong mask = bits == 64 ? ulong.MaxValue : ((1UL << bits) - 1) << bit;
            coverage[word] |= mask;
            from += bits;
        }
    }
}
