using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Vae.Tests;

/// <summary>
/// Tiled encode/decode against the untiled run on a tiny VAE with the real strides. The tiny model has the real
/// kernels, dilations and strides, hence the real receptive field (<see cref="OobleckVaeConfig.DecoderReachFrames"/>
/// 9 frames, <see cref="OobleckVaeConfig.EncoderReachFrames"/> 7): every overlap used here is at least that, which is
/// the condition for tiled = untiled; widths do not change it. At the real hop the spec's own sizes would need
/// millions of samples (seconds per test), so they are checked on <see cref="TinyVae.ShortHop"/>, and the real strides
/// with smaller chunks that keep the overlap condition.
/// </summary>
public class TilingTests
{
    private const double Tolerance = 2e-5;

    [Theory]
    [InlineData(203, 40, 10)]     // 11 tiles of stride 20, the last 3 frames long
    [InlineData(61, 40, 10)]      // last-but-one window cut by the end
    [InlineData(40, 40, 10)]      // T ≤ chunk: decoded directly
    public void Tiled_decode_equals_untiled(int frames, int chunk, int overlap)
    {
        Assert.True(overlap >= TinyVae.Config.DecoderReachFrames);
        using var scope = NewDisposeScope();
        using var vae = TinyVae.Random(11);
        manual_seed(12);
        var latents = randn(1, 4, frames);
        var tiling = new OobleckTiling { DecodeChunkFrames = chunk, DecodeOverlapFrames = overlap };

        var untiled = vae.Decode(latents, OobleckTiling.None);
        var tiled = vae.Decode(latents, tiling);
        Assert.Equal(untiled.shape, tiled.shape);
        AssertClose(untiled, tiled);
    }

    [Theory]
    [InlineData(1920 * 77 + 1234, 1.6, 0.32)]      // 40/8 frames, stride 24: 4 windows
    [InlineData(1920 * 61 + 100, 2.0, 0.4)]        // 50/10 frames, stride 30: last-but-one window cut by the end
    [InlineData(1920 * 90, 2.0, 0.4)]              // exact multiple of the stride
    public void Tiled_encode_equals_untiled(double samples, double chunkSeconds, double overlapSeconds)
    {
        var tiling = new OobleckTiling { EncodeChunkSeconds = chunkSeconds, EncodeOverlapSeconds = overlapSeconds };
        Assert.True(overlapSeconds * TinyVae.Config.LatentFrameRate >= TinyVae.Config.EncoderReachFrames);

        using var scope = NewDisposeScope();
        using var vae = TinyVae.Random(13);
        manual_seed(14);
        var audio = randn(1, 2, (long)samples) * 0.3;

        using var untiled = vae.EncodePosterior(audio, OobleckTiling.None);
        using var tiled = vae.EncodePosterior(audio, tiling);
        Assert.Equal((long)samples / 1920, untiled.Parameters.shape[2]);
        Assert.Equal(untiled.Parameters.shape, tiled.Parameters.shape);
        AssertClose(untiled.Parameters, tiled.Parameters);
    }

    [Fact]
    public void Small_memory_sizes_keep_the_tiles_equal_to_the_untiled_run()
    {
        // The compact memory mode's windows: contexts far over the real reach (9 decode, 7 encode frames), on the hop grid.
        var small = OobleckTiling.SmallMemory;
        Assert.True(small.DecodeOverlapFrames >= 3 * OobleckVaeConfig.AceStep.DecoderReachFrames);
        Assert.True(small.EncodeOverlapSeconds * OobleckVaeConfig.AceStep.LatentFrameRate >= 3 * OobleckVaeConfig.AceStep.EncoderReachFrames);
        _ = small.EncodeSamples(OobleckVaeConfig.AceStep);     // throws when off the hop grid

        using var scope = NewDisposeScope();
        using var vae = TinyVae.Random(33);                      // the real strides, so the real reach
        manual_seed(34);
        var latents = randn(1, 4, 600);                          // 3 windows of 256 with stride 192
        AssertClose(vae.Decode(latents, OobleckTiling.None), vae.Decode(latents, small));
    }

    [Theory]
    [InlineData(1100)]   // 3 tiles of stride 384, the last partial
    [InlineData(801)]    // the last-but-one window cut by the end
    public void Spec_decode_sizes_give_tiled_equal_untiled(int frames)
    {
        Assert.True(OobleckTiling.Default.DecodeOverlapFrames >= TinyVae.ShortHop.DecoderReachFrames);
        using var scope = NewDisposeScope();
        using var vae = TinyVae.Random(31, TinyVae.ShortHop);
        manual_seed(32);
        var latents = randn(2, 4, frames);
        var tiled = vae.Decode(latents);                               // OobleckTiling.Default
        AssertClose(vae.Decode(latents, OobleckTiling.None), tiled);
        Assert.Equal([2L, 2, 4 * frames], tiled.shape);
    }

    [Theory]
    [InlineData(100 * 75 + 3)]      // 3 windows of 30 s (stride 26 s), length not a multiple of the hop
    [InlineData(100 * 53 + 2)]      // the last-but-one window cut by the end
    public void Spec_encode_sizes_give_tiled_equal_untiled(int samples)
    {
        Assert.True(OobleckTiling.Default.EncodeOverlapSeconds * TinyVae.ShortHop.LatentFrameRate >= TinyVae.ShortHop.EncoderReachFrames);
        using var scope = NewDisposeScope();
        using var vae = TinyVae.Random(33, TinyVae.ShortHop);
        manual_seed(34);
        var audio = randn(2, 2, samples) * 0.3;
        using var untiled = vae.EncodePosterior(audio, OobleckTiling.None);
        using var tiled = vae.EncodePosterior(audio);                  // OobleckTiling.Default
        Assert.Equal(samples / 4, tiled.Parameters.shape[2]);
        AssertClose(untiled.Parameters, tiled.Parameters);
    }

    [Fact]
    public void Decoder_receptive_field_is_within_the_computed_bound()
    {
        // Perturb one latent frame and find the audio samples that change: they must lie within the bound.
        using var scope = NewDisposeScope();
        using var vae = TinyVae.Random(15);
        manual_seed(16);
        const int T = 40, Frame = 20;
        var latents = randn(1, 4, T);
        var bumped = latents.clone();
        bumped[.., .., Frame] += 1.0;
        var changed = (vae.Decode(bumped, OobleckTiling.None) - vae.Decode(latents, OobleckTiling.None)).abs().amax(0, 1) > 1e-6;
        var indices = nonzero(changed).flatten();
        var first = indices[0].item<long>() / 1920.0;
        var last = (indices[-1].item<long>() + 1) / 1920.0;
        var reach = TinyVae.Config.DecoderReachFrames;
        Assert.InRange(first, Frame - reach, Frame);
        Assert.InRange(last, Frame + 1, Frame + 1 + reach);
    }

    [Fact]
    public void Encoder_receptive_field_is_within_the_computed_bound()
    {
        using var scope = NewDisposeScope();
        using var vae = TinyVae.Random(17);
        manual_seed(18);
        const int T = 30, Sample = 1920 * 15 + 700;
        var audio = randn(1, 2, 1920 * T) * 0.3;
        var bumped = audio.clone();
        bumped[.., .., Sample] += 0.5;
        using var a = vae.EncodePosterior(audio, OobleckTiling.None);
        using var b = vae.EncodePosterior(bumped, OobleckTiling.None);
        var changed = (b.Parameters - a.Parameters).abs().amax(0, 1) > 1e-7;
        var indices = nonzero(changed).flatten();
        var reach = TinyVae.Config.EncoderReachFrames;
        Assert.InRange(indices[0].item<long>(), 15 - reach, 15);
        Assert.InRange(indices[-1].item<long>(), 15, 15 + reach);
    }

    [Fact]
    public void Encode_tiling_off_the_hop_grid_is_rejected()
    {
        using var scope = NewDisposeScope();
        using var vae = TinyVae.Random(19);
        var audio = zeros(1, 2, 48_000 * 3);
        var tiling = new OobleckTiling { EncodeChunkSeconds = 1, EncodeOverlapSeconds = 0.01 };
        Assert.Throws<ArgumentException>(() => vae.Encode(audio, tiling));
    }

    private static void AssertClose(Tensor expected, Tensor actual)
    {
        var scale = Math.Max(1.0, expected.abs().max().item<float>());
        var error = (expected - actual).abs().max().item<float>();
        Assert.True(error <= Tolerance * scale, $"max |tiled − untiled| = {error} (scale {scale})");
    }
}
