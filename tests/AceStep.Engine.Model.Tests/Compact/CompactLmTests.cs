using AceStep.Engine.Kernels;
using AceStep.Engine.Model.Compact;
using AceStep.Engine.Model.Lm;
using AceStep.Engine.Model.Tests.Lm;
using AceStep.Engine.Model.Tests.Weights;
using AceStep.Engine.Model.Weights;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Tests.Compact;

/// <summary>
/// The LM loaded with its weights held for the decode kernel, against the same checkpoint loaded as plain fp32:
/// teacher-forced over the same tokens, so each step's logits compare like for like (the parity measure
/// docs/performance.md reports at real width).
/// </summary>
public class CompactLmTests
{
    private const int Steps = 40;

    [Theory]
    [InlineData(WeightFormat.Float32, 1e-5, 1.0)]
    [InlineData(WeightFormat.BFloat16, 5e-3, 0.95)]
    [InlineData(WeightFormat.Int8, 1.5e-2, 0.95)]
    public void Decode_logits_follow_the_fp32_model(WeightFormat format, double maxRelative, double minTop1)
    {
        using var dir = new TempDir();
        TinyLm.Write(dir.Path, TinyLm.Config(tied: true, vocab: 600), seed: 71, withLmHead: false);
        using var plain = Qwen3CausalLm.Load(dir.Path, new WeightLoadOptions());
        using var held = Qwen3CausalLm.Load(dir.Path, new WeightLoadOptions { Holding = new WeightHolding.Packed(format) });

        var packables = WeightPacking.Find(held);
        Assert.NotEmpty(packables);
        Assert.All(packables.Values, p => Assert.Equal(new WeightHolding.Packed(format), p.Holding));

        var (worst, agreement) = Compare(plain, held);
        Assert.True(worst <= maxRelative, $"{format}: logits differ from fp32 by up to {worst:E2} of their range (allowed {maxRelative:E1})");
        Assert.True(agreement >= minTop1, $"{format}: top-1 agrees with fp32 on {agreement:P0} of {Steps} steps × 2 rows (needed {minTop1:P0})");
    }

    [Fact]
    public void Compact_weights_free_the_fp32_parameters()
    {
        using var dir = new TempDir();
        TinyLm.Write(dir.Path, TinyLm.Config(tied: false), seed: 72, withLmHead: true);
        using var held = Qwen3CausalLm.Load(dir.Path, new WeightLoadOptions { Holding = new WeightHolding.Packed(WeightFormat.Int8) });
        // Every linear layer, the embedding and the untied head keep only their int8 form.
        var weights = held.named_parameters().Where(p => p.name.EndsWith("proj.weight", StringComparison.Ordinal)
            || p.name.EndsWith("embed_tokens.weight", StringComparison.Ordinal) || p.name == "lm_head.weight").ToList();
        Assert.Equal(2 * 7 + 2, weights.Count);
        Assert.All(weights, p => Assert.Equal(0, p.parameter.numel()));
    }

    // Prefill a CFG-like pair of prompts, then feed both models the plain model's greedy tokens.
    private static (double WorstRelative, double Top1Agreement) Compare(Qwen3CausalLm plain, Qwen3CausalLm held)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (ids, mask) = AudioCodeDecoder.LeftPad([[5, 17, 42, 99, 250, 3], [3, 1, 400]]);
        using var plainCache = plain.CreateCache(2, ids.shape[1] + Steps + 1);
        using var heldCache = held.CreateCache(2, ids.shape[1] + Steps + 1);
        var expected = plain.Prefill(plainCache, ids, mask);
        var actual = held.Prefill(heldCache, ids, mask);
        double worst = 0;
        var agree = 0;
        for (var step = 0; step < Steps; step++)
        {
            var range = (expected.max() - expected.min()).item<float>();
            worst = Math.Max(worst, (expected - actual).abs().max().item<float>() / range);
            var next = expected.argmax(1);
            agree += (int)next.eq(actual.argmax(1)).sum().item<long>();
            var feed = next.view(2, 1);
            expected = plain.Step(plainCache, feed);
            actual = held.Step(heldCache, feed);
        }

        return (worst, agree / (2.0 * Steps));
    }
}
