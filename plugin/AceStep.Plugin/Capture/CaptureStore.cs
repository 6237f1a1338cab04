namespace AceStep.Plugin.Capture;

/// <summary>
/// The memory of one capture: a direct-mapped table of chunks, each holding <see cref="ChunkFrames"/> frames of
/// planar float audio for one stretch of the timeline. Project chunk <c>k</c> (frames <c>k·ChunkFrames …</c>) lives in
/// slot <c>k mod SlotCount</c>, tagged with <c>k</c>; a chunk that maps to an occupied slot evicts the older material.
/// Per slot: the tag, a coverage bitmap (one bit per <see cref="UnitFrames"/> frames written by one contiguous run)
/// and a sequence number (odd while the audio thread writes the slot: a seqlock readers check).
/// </summary>
/// <remarks>
/// Allocated once, off the audio thread, and never resized: a new sample rate or channel count gets a new store.
/// The sample array is allocated uninitialized, so only the pages the audio thread actually writes are ever touched
/// (the operating system commits them lazily); readers never see those unwritten bytes because uncovered units are
/// read back as zeros.
/// </remarks>
internal sealed class CaptureStore
{
    /// <summary>Frames per chunk: large enough that a block touches one or two chunks, small enough to evict finely.</summary>
    public const int ChunkFrames = 4096;

    /// <summary>The most sample memory one store takes (1 GiB), whatever the rate and the configured seconds.</summary>
    public const long MaxBytes = 1L << 30;

    /// <summary>Frames per coverage bit (64 bits per chunk, so the bitmap of a chunk is one <see cref="ulong"/>).</summary>
    public const int UnitFrames = ChunkFrames / 64;

    /// <summary>Creates a store for <paramref name="seconds"/> seconds at <paramref name="sampleRate"/>.</summary>
    /// <param name="sampleRate">The host's rate from setupProcessing.</param>
    /// <param name="channels">Channels of the input bus (1 or 2).</param>
    /// <param name="seconds">Capacity; rounded up to whole chunks.</param>
    public CaptureStore(double sampleRate, int channels, double seconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        SampleRate = sampleRate;
        Channels = channels;
        long frames = Math.Max(ChunkFrames, (long)Math.Ceiling(sampleRate * seconds));
        // Bounded by MaxBytes (10 minutes of stereo at 192 kHz fits; absurd rates get fewer seconds instead of a
        // multi-gigabyte commit that a memory-limited host cannot grant) and by what one array may hold.
        long slotFloats = (long)ChunkFrames * channels;
        SlotCount = (int)Math.Min((frames + ChunkFrames - 1) / ChunkFrames,
            Math.Min(MaxBytes / sizeof(float), Array.MaxLength) / slotFloats);
        Samples = GC.AllocateUninitializedArray<float>(SlotCount * ChunkFrames * channels);
        Tags = new long[SlotCount];
        Array.Fill(Tags, -1L);
        Coverage = new ulong[SlotCount];
        Sequence = new int[SlotCount];
    }

    /// <summary>The rate the audio was recorded at.</summary>
    public double SampleRate { get; }

    /// <summary>Channels per frame.</summary>
    public int Channels { get; }

    /// <summary>Number of chunk slots.</summary>
    public int SlotCount { get; }

    /// <summary>Frames the store can hold (the span of timeline that can be recorded at once).</summary>
    public long CapacityFrames => (long)SlotCount * ChunkFrames;

    /// <summary>Planar samples: slot <c>s</c>, channel <c>c</c> start at <c>(s·Channels + c)·ChunkFrames</c>.</summary>
    public float[] Samples { get; }

    /// <summary>The project chunk index each slot holds, or −1.</summary>
    public long[] Tags { get; }

    /// <summary>Per slot, bit <c>u</c> = frames <c>u·UnitFrames …</c> of the chunk were written by one contiguous run.</summary>
    public ulong[] Coverage { get; }

    /// <summary>Per slot seqlock: odd while the audio thread writes the slot.</summary>
    public int[] Sequence { get; }

    /// <summary>Index of channel <paramref name="channel"/> of slot <paramref name="slot"/> in <see cref="Samples"/>.</summary>
    public int Offset(int slot, int channel) => ((slot * Channels) + channel) * ChunkFrames;

    /// <summary>The slot project chunk <paramref name="chunk"/> maps to.</summary>
    public int SlotOf(long chunk) => (int)(chunk % SlotCount);
}
