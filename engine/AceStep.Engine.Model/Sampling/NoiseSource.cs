using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Sampling;

/// <summary>
/// Initial noise for the sampler (spec §8.2): for each result b with seed s_b ≥ 0 a fresh generator seeded with s_b draws
/// randn [1, T, C]; the items are concatenated on dim 0. The same seeds, shape, dtype and device give identical tensors.
/// A negative seed draws from the global generator (not reproducible).
/// </summary>
public static class NoiseSource
{
    /// <summary>Latent channels of the DiT/VAE latent (64).</summary>
    public const int LatentChannels = 64;

    /// <summary>Per-result seeded noise [seeds.Count, frames, channels].</summary>
    /// <param name="seeds">One seed per result; negative means unseeded.</param>
    /// <param name="frames">Latent frames T.</param>
    /// <param name="channels">Channels C (default 64).</param>
    /// <param name="dtype">Noise dtype (default float32; upstream draws in the model dtype).</param>
    /// <param name="device">Device (default CPU).</param>
    public static Tensor Create(
        IReadOnlyList<long> seeds,
        long frames,
        long channels = LatentChannels,
        ScalarType dtype = ScalarType.Float32,
        Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        if (seeds.Count == 0)
        {
            throw new ArgumentException("At least one seed is required.", nameof(seeds));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frames);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        device ??= CPU;

        using var scope = NewDisposeScope();
        var items = new Tensor[seeds.Count];
        for (var b = 0; b < seeds.Count; b++)
        {
            items[b] = Draw(seeds[b], [1, frames, channels], dtype, device);
        }

        var noise = items.Length == 1 ? items[0] : cat(items, 0);
        return noise.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Noise [batch, frames, channels] from one generator seeded once for the whole tensor (upstream's single-int seed).
    /// </summary>
    /// <param name="seed">The seed; negative means unseeded.</param>
    /// <param name="batch">Batch size B.</param>
    /// <param name="frames">Latent frames T.</param>
    /// <param name="channels">Channels C (default 64).</param>
    /// <param name="dtype">Noise dtype (default float32).</param>
    /// <param name="device">Device (default CPU).</param>
    public static Tensor CreateShared(
        long seed,
        long batch,
        long frames,
        long channels = LatentChannels,
        ScalarType dtype = ScalarType.Float32,
        Device? device = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frames);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        return Draw(seed, [batch, frames, channels], dtype, device ?? CPU);
    }

    private static Tensor Draw(long seed, long[] shape, ScalarType dtype, Device device)
    {
        if (seed < 0)
        {
            return randn(shape, dtype, device);
        }

        using var generator = new Generator((ulong)seed, device);
        return randn(shape, dtype, device, generator: generator);
    }
}
