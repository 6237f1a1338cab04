using AceStep.Engine.Model.Conditioning;
using AceStep.Engine.Model.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Tests.Conditioning;

/// <summary>
/// fp16 guard of the lyric encoder (issue 18 item 5): the last layer's down_proj output exceeds fp16's 65 504 on real
/// lyrics; in fp16 that projection, its residual add and the final norm run in float32.
/// </summary>
public class LyricEncoderPrecisionTests
{
    private static readonly EncoderStackSizes Sizes = new(32, 64, 4, 2, 8, 1_000_000.0, 1e-6);

    private static LyricEncoder Encoder()
    {
        manual_seed(17);
        var encoder = new LyricEncoder(Sizes, layers: 2, textHidden: 24);
        using var noGrad = no_grad();
        // Make the last layer's MLP output reach ~10⁵-10⁶, as the real checkpoint's does on lyrics.
        var down = encoder.named_parameters().Single(p => p.name == "layers.1.mlp.down_proj.weight").parameter;
        down.mul_(400_000.0);
        return encoder;
    }

    [Fact]
    public void In_fp16_the_last_projection_runs_in_fp32_and_the_result_stays_finite_and_close_to_fp32()
    {
        using var scope = NewDisposeScope();
        using var encoder = Encoder();
        var embeddings = randn(1, 7, 24);
        var mask = ones(1, 7, dtype: ScalarType.Int64);
        using var noGrad = no_grad();
        var reference = encoder.Forward(embeddings, mask);
        Assert.True(reference.abs().max().item<float>() < 100, "the final norm brings the output back to O(1)");

        encoder.to(ScalarType.Float16);
        var half = encoder.Forward(embeddings.to_type(ScalarType.Float16), mask);
        Assert.Equal(ScalarType.Float16, half.dtype);
        Assert.True(half.isfinite().all().item<bool>(), "fp16 lyric encoding must not overflow");
        var error = (half.to_type(ScalarType.Float32) - reference).abs().max().item<float>();
        Assert.True(error < 0.05 * reference.abs().max().item<float>(), $"fp16 result off by {error}");
    }

    [Fact]
    public void The_overflow_is_real_without_the_guard()
    {
        using var scope = NewDisposeScope();
        using var encoder = Encoder();
        using var noGrad = no_grad();
        var layers = encoder.named_children().Single(c => c.name == "layers").module;
        var last = (EncoderLayer)layers.named_children().Single(c => c.name == "1").module;
        using var rope = new RotaryEmbedding(Sizes.HeadDim, Sizes.RopeTheta);
        encoder.to(ScalarType.Float16);
        var h = randn(1, 7, 32).to_type(ScalarType.Float16);
        Assert.False(last.Forward(h, rope).isfinite().all().item<bool>(), "fp16 down_proj overflows");
        var guarded = last.Forward(h, rope, float32DownProjection: true);
        Assert.Equal(ScalarType.Float32, guarded.dtype);
        Assert.True(guarded.isfinite().all().item<bool>());
    }
}
