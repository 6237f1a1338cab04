using AceStep.Engine.Kernels;
using AceStep.Engine.Model.Compact;
using AceStep.Engine.Model.Lm;
using AceStep.Engine.Model.Tests.Lm;
using AceStep.Engine.Model.Tests.Weights;
using AceStep.Engine.Model.Weights;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Tests.Compact;

/// <summary>
/// A packed LM's decode steps run the whole stack on the engine's kernels (KernelDecodeStep); the same checkpoint loaded
/// as plain fp32 steps through the tensor path. Both must write the same keys and values into their caches and return
/// the same logits, for a left-padded pair of rows with grouped-query attention (4 query heads on 2 kv heads).
/// </summary>
public class KernelDecodeStepTests
{
    private const int Steps = 12;

    [Fact]
    public void Packed_steps_write_the_same_cache_and_logits_as_the_tensor_path()
    {
        using var dir = new TempDir();
        TinyLm.Write(dir.Path, TinyLm.Config(tied: true, vocab: 400), seed: 81, withLmHead: false);
        using var plain = Qwen3CausalLm.Load(dir.Path, new WeightLoadOptions());
        using var packed = Qwen3CausalLm.Load(dir.Path, new WeightLoadOptions { Holding = new WeightHolding.Packed(WeightFormat.Float32) });
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (ids, mask) = AudioCodeDecoder.LeftPad([[5, 17, 42, 99, 250, 3], [3, 1, 300]]);
        using var plainCache = plain.CreateCache(2, ids.shape[1] + Steps);
        using var packedCache = packed.CreateCache(2, ids.shape[1] + Steps);
        Assert.False(plain.StepsOnKernel(plainCache));
        Assert.True(packed.StepsOnKernel(packedCache));

        var expected = plain.Prefill(plainCache, ids, mask);
        var actual = packed.Prefill(packedCache, ids, mask);
        for (var step = 0; step < Steps; step++)
        {
            var feed = expected.argmax(1).view(2, 1);
            expected = plain.Step(plainCache, feed);
            actual = packed.Step(packedCache, feed);
            TensorClose.Assert(expected, actual, 1e-5, $"logits at step {step}");
        }

        // Every position the steps wrote, every layer (the prefill's positions come from the same tensor path in both).
        var filled = (int)plainCache.Length;
        for (var layer = 0; layer < 2; layer++)
        {
            TensorClose.Assert(plainCache.Keys(layer).narrow(2, 0, filled), packedCache.Keys(layer).narrow(2, 0, filled), 1e-5, $"keys of layer {layer}");
            TensorClose.Assert(plainCache.Values(layer).narrow(2, 0, filled), packedCache.Values(layer).narrow(2, 0, filled), 1e-5, $"values of layer {layer}");
        }
    }

    // More rows than the kernel takes (9 > 8), or a model packed only in part: the tensor path runs, with the same results.
    [Fact]
    public void Steps_the_kernel_cannot_take_go_through_the_tensor_path()
    {
        using var dir = new TempDir();
        TinyLm.Write(dir.Path, TinyLm.Config(tied: true, vocab: 400), seed: 82, withLmHead: false);
        using var plain = Qwen3CausalLm.Load(dir.Path, new WeightLoadOptions());
        using var packed = Qwen3CausalLm.Load(dir.Path, new WeightLoadOptions { Holding = new WeightHolding.Packed(WeightFormat.Float32) });
        using var partly = Qwen3CausalLm.Load(dir.Path, new WeightLoadOptions());
        foreach (var (name, weight) in WeightPacking.Find(partly))
        {
            if (name.Contains("layers.0.", StringComparison.Ordinal) && weight.Holding is null)
                weight.Hold(new WeightHolding.Packed(WeightFormat.Float32));
        }

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using (var wide = packed.CreateCache(Projection.PackedRowLimit + 1, 8))
            Assert.False(packed.StepsOnKernel(wide));
        using var partlyCache = partly.CreateCache(1, 8);
        Assert.False(partly.StepsOnKernel(partlyCache));

        var prompt = tensor(new long[] { 7, 8, 9 }).view(1, 3);
        using var plainCache = plain.CreateCache(1, 8);
        var expected = plain.Prefill(plainCache, prompt);
        var actual = partly.Prefill(partlyCache, prompt);
        var feed = expected.argmax(1).view(1, 1);
        TensorClose.Assert(plain.Step(plainCache, feed), partly.Step(partlyCache, feed), 1e-5, "a partly packed model's step");
    }

    // A generation that fills its cache to the last position: the attention scratch covers every position.
    [Fact]
    public void A_step_can_fill_the_cache_to_its_last_position()
    {
        using var dir = new TempDir();
        TinyLm.Write(dir.Path, TinyLm.Config(tied: true, vocab: 400), seed: 83, withLmHead: false);
        using var packed = Qwen3CausalLm.Load(dir.Path, new WeightLoadOptions { Holding = new WeightHolding.Packed(WeightFormat.BFloat16) });
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var cache = packed.CreateCache(2, 6);
        var logits = packed.Prefill(cache, tensor(new long[] { 1, 2, 3, 4, 5, 6 }).view(2, 3));
        for (var step = 0; step < 3; step++)
            logits = packed.Step(cache, logits.argmax(1).view(2, 1));
        Assert.Equal(6, cache.Length);
        Assert.True(logits.isfinite().all().item<bool>());
        Assert.Throws<InvalidOperationException>(() => packed.Step(cache, logits.argmax(1).view(2, 1)));
    }
}
