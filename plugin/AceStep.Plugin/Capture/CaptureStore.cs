namespace AceStep.Plugin.Capture;

/// <summary>
/// The memory of one capture: a direct-mapped table of chunks, each holding <see cref="ChunkFrames"/> frames of
/// planar float audio for one stretch of the timeline. Project chunk <c>k</c> (frames <c>k·ChunkFrames …</c>) lives in
/// slot <c>k mod SlotCount</c>, tagged with <c>k</c>; a chunk that maps to an occupied slot evicts the older material.
/// Per slot: the tag, a coverage bitmap (one bit per frame written, <see cref="CoverageWords"/> words) and a sequence
/// number (odd while the audio thread writes the slot: a seqlock readers check).
/// </summary>
/// <remarks>
/// <para>
/// Coverage is exact to the frame: a loop whose edges fall anywhere (hosts place them at any sample) is fully
/// covered by one pass, and a range is "recorded" exactly when each of its frames was written.
/// </para>
/// <para>
/// Allocated once, off the audio thread, and never resized: a new sample rate or channel count gets a new store.
/// Every page of the sample array is written once here (<see cref="Prefault"/>), before the store is published, so the
/// audio thread never takes the page fault of a first write (operating systems commit fresh memory lazily: without
/// this, the first pass over new timeline faulted about once per block, up to half a millisecond each).
/// </para>
/// </remarks>
internal sealed class CaptureStore
{
    /// <summary>Frames per chunk: large enough that a block touches one or two chunks, small enough to evict finely.</summary>
    public const int ChunkFrames = 4096;

    /// <summary>The most sample memory one store takes (1 GiB), whatever the rate and the configured seconds.</summary>
    public const long MaxBytes = 1L << 30;

    /// <summary>Coverage words per chunk: one bit per frame.</summary>
    public const int CoverageWords = ChunkFrames / 64;

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
        Prefault(Samples);
        Tags = new long[SlotCount];
        Array.Fill(Tags, -1L);
        Coverage = new ulong[SlotCount * CoverageWords];
        Prefault(Coverage);
        Sequence = new int[SlotCount];
        Prefault(Sequence);
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

    /// <summary>Per slot, <see cref="CoverageWords"/> words from <see cref="CoverageOffset"/>: bit <c>f</c> = frame <c>f</c> of the chunk was written.</summary>
    public ulong[] Coverage { get; }

    /// <summary>Per slot seqlock: odd while the audio thread writes the slot.</summary>
    public int[] Sequence { get; }

    /// <summary>Index of channel <paramref name="channel"/> of slot <paramref name="slot"/> in <see cref="Samples"/>.</summary>
    public int Offset(int slot, int channel) => ((slot * Channels) + channel) * ChunkFrames;

    /// <summary>Index of the first coverage word of slot <paramref name="slot"/> in <see cref="Coverage"/>.</summary>
    public static int CoverageOffset(int slot) => slot * CoverageWords;

    /// <summary>The slot project chunk <paramref name="chunk"/> maps to.</summary>
    public int SlotOf(long chunk) => (int)(chunk % SlotCount);

    /// <summary>
    /// Writes one element per 4 KiB page (zero: what fresh memory holds), so that every page is committed now, on the
    /// thread that activates the plugin, and never on the audio thread.
    /// </summary>
    private static void Prefault<T>(T[] array)
        where T : unmanaged
    {
        int stride = Math.Max(1, 4096 / System.Runtime.CompilerServices.Unsafe.SizeOf<T>());
        for (long i = 0; i < array.Length; i += stride)
        {
            array[i] = default;
        }
    }
}
