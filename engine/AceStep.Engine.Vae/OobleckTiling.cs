namespace AceStep.Engine.Vae;

/// <summary>
/// Overlap-discard tiling of encode and decode (spec §6.4, §6.5): the input is cut into cores of
/// stride = chunk − 2·overlap, each decoded (encoded) with up to <c>overlap</c> of context on both sides, and the
/// context part of each result is dropped before concatenation. The result equals the untiled one (up to float
/// rounding) when the overlap covers the network's receptive field
/// (<see cref="OobleckVaeConfig.DecoderReachFrames"/> = 9, <see cref="OobleckVaeConfig.EncoderReachFrames"/> = 7 latent
/// frames for ACE-Step; the defaults leave wide margins). Tiling bounds peak memory, which grows linearly with the
/// length otherwise (at 48 kHz the last decoder block holds 128 channels per sample).
/// </summary>
public sealed record OobleckTiling
{
    /// <summary>When false, encode and decode run on the whole input at once.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Decode window in latent frames (512, upstream's CUDA default); inputs up to this long decode directly.</summary>
    public int DecodeChunkFrames { get; init; } = 512;

    /// <summary>Decode context on each side in latent frames (64).</summary>
    public int DecodeOverlapFrames { get; init; } = 64;

    /// <summary>Encode window in seconds of audio (30); inputs up to this long encode directly.</summary>
    public double EncodeChunkSeconds { get; init; } = 30;

    /// <summary>Encode context on each side in seconds (2, i.e. 96 000 samples = 50 frames at 48 kHz).</summary>
    public double EncodeOverlapSeconds { get; init; } = 2;

    /// <summary>The spec's sizes: decode 512/64 frames, encode 30 s / 2 s.</summary>
    public static OobleckTiling Default { get; } = new();

    /// <summary>
    /// Smaller windows for the compact memory mode: decode 256 frames with 32 of context, encode 10 s with 1 s — a third
    /// to a half of the default's activation peak, for about a quarter more decode work on a 16 s take (overlap). Both
    /// contexts stay over 3× the receptive field, so the result still equals the untiled one.
    /// </summary>
    public static OobleckTiling SmallMemory { get; } = new()
    {
        DecodeChunkFrames = 256,
        DecodeOverlapFrames = 32,
        EncodeChunkSeconds = 10,
        EncodeOverlapSeconds = 1,
    };

    /// <summary>No tiling.</summary>
    public static OobleckTiling None { get; } = new() { Enabled = false };

    /// <summary>The decode core stride in frames, after checking the sizes.</summary>
    internal int DecodeStrideFrames()
    {
        var stride = DecodeChunkFrames - 2 * DecodeOverlapFrames;
        if (DecodeOverlapFrames < 0 || stride <= 0)
            throw new ArgumentException($"Decode tiling needs 0 ≤ overlap and chunk ({DecodeChunkFrames}) > 2 · overlap ({DecodeOverlapFrames}).");
        return stride;
    }

    /// <summary>The encode chunk, overlap and core stride in samples, after checking them against the hop length.</summary>
    internal (long Chunk, long Overlap, long Stride) EncodeSamples(OobleckVaeConfig config)
    {
        var chunk = (long)Math.Round(EncodeChunkSeconds * config.SamplingRate);
        var overlap = (long)Math.Round(EncodeOverlapSeconds * config.SamplingRate);
        var stride = chunk - 2 * overlap;
        if (overlap < 0 || stride <= 0)
            throw new ArgumentException($"Encode tiling needs 0 ≤ overlap and chunk ({chunk} samples) > 2 · overlap ({overlap} samples).");
        // A window starting off the hop grid would put its latent frames between the untiled run's frames, so the
        // tiles could not be joined exactly. The spec's 30 s / 2 s are 750 / 50 frames at 48 kHz.
        if (overlap % config.HopLength != 0 || stride % config.HopLength != 0)
            throw new ArgumentException($"Encode tiling overlap ({overlap}) and stride ({stride}) must be multiples of the hop ({config.HopLength} samples).");
        return (chunk, overlap, stride);
    }
}
