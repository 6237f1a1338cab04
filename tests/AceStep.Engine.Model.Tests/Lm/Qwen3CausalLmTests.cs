using AceStep.Engine.Model.Lm;
using AceStep.Engine.Model.Qwen;
using AceStep.Engine.Model.Tests.Weights;
using AceStep.Engine.Model.Weights;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Tests.Lm;

public class Qwen3CausalLmTests
{
    // Reference: the already-tested full causal forward of the same weights (Qwen3TextModel) on each row's unpadded
    // sequence from position 0, times the output head.
    private static Tensor ReferenceLogits(Qwen3TextModel reference, Tensor head, IEnumerable<long> sequence)
    {
        var ids = sequence.ToArray();
        var hidden = reference.Forward(tensor(ids, [1, ids.Length]));
        return nn.functional.linear(hidden[0, -1], head);
    }

    [Theory]
    [InlineData(true, false, "model.")]
    [InlineData(true, true, "model.")]
    [InlineData(false, true, "model.")]
    [InlineData(true, false, "")]
    public void Cached_decoding_of_left_padded_rows_equals_full_recomputation(bool tied, bool withLmHead, string prefix)
    {
        using var dir = new TempDir();
        var config = TinyLm.Config(tied);
        TinyLm.Write(dir.Path, config, seed: 31, withLmHead, prefix);
        using var lm = Qwen3CausalLm.Load(dir.Path, new WeightLoadOptions());
        using var reference = Qwen3TextModel.Load(dir.Path, new WeightLoadOptions());
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var head = lm.named_parameters().Single(p => p.name == (tied ? "model.embed_tokens.weight" : "lm_head.weight")).parameter;

        // Row 0 is the longest; rows 1 and 2 are left-padded by 3 and 5 (an unconditional row is just another row).
        var prompts = new List<long[]> { new long[] { 5, 17, 42, 99, 7, 250 }, new long[] { 3, 1, 4 }, new long[] { 299 } };
        var (ids, mask) = AudioCodeDecoder.LeftPad(prompts);
        using var cache = lm.CreateCache(3, ids.shape[1] + 5);
        var sequences = prompts.Select(p => p.ToList()).ToArray();
        var logits = lm.Prefill(cache, ids, mask);
        var next = new long[][] { [11, 12, 13], [290, 0, 8], [100, 101, 102], [7, 7, 7], [1, 2, 3] };
        for (var step = 0; ; step++)
        {
            for (var r = 0; r < 3; r++)
            {
                var expected = ReferenceLogits(reference, head, sequences[r]);
                var diff = (logits[r] - expected).abs().max().item<float>();
                Assert.True(diff <= 1e-4, $"step {step} row {r}: max |Δ| = {diff}");
            }

            if (step == next.Length)
                break;
            for (var r = 0; r < 3; r++)
                sequences[r].Add(next[step][r]);
            logits = lm.Step(cache, tensor(next[step], [3, 1]));
        }

        Assert.Equal(ids.shape[1] + 5, cache.Length);
        Assert.Throws<InvalidOperationException>(() => lm.Step(cache, tensor(new long[] { 1, 1, 1 }, [3, 1])));
    }

    [Fact]
    public void An_untied_checkpoint_without_lm_head_is_refused()
    {
        using var dir = new TempDir();
        TinyLm.Write(dir.Path, TinyLm.Config(tied: false), seed: 32, withLmHead: false);
        var e = Assert.Throws<CheckpointMismatchException>(() => Qwen3CausalLm.Load(dir.Path, new WeightLoadOptions()));
        Assert.Contains("lm_head.weight", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_cache_is_allocated_once_and_written_in_place()
    {
        manual_seed(33);
        using var lm = new Qwen3CausalLm(TinyLm.Config());
        using var cache = lm.CreateCache(2, 16);
        using var scope = NewDisposeScope();
        var keys = cache.Keys(0);
        lm.Prefill(cache, tensor(new long[] { 1, 2, 3, 4 }, [2, 2]));
        lm.Step(cache, tensor(new long[] { 5, 6 }, [2, 1]));
        Assert.Same(keys, cache.Keys(0));
        Assert.Equal(3, cache.Length);
        Assert.True(keys.narrow(2, 0, 3).abs().sum().item<float>() > 0);
        Assert.Equal(0f, keys.narrow(2, 3, 13).abs().sum().item<float>());
        Assert.Equal(new long[] { 3, 3 }, cache.NextPositions.data<long>().ToArray());
    }

    [Fact]
    public void Decoding_after_a_rewind_repeats_the_first_decoding_exactly()
    {
        // A left-padded batch decodes 4 tokens, is rewound to its prompt, and decodes other tokens then the first
        // ones again: the logits must match the first pass, so nothing of the forgotten positions leaks.
        manual_seed(35);
        using var lm = new Qwen3CausalLm(TinyLm.Config());
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (ids, mask) = AudioCodeDecoder.LeftPad([new long[] { 5, 17, 42, 99 }, new long[] { 3, 1 }]);
        using var cache = lm.CreateCache(2, ids.shape[1] + 8);
        lm.Prefill(cache, ids, mask);
        var promptLength = cache.Length;
        var tokens = new long[][] { [11, 12], [290, 8], [100, 101], [7, 9] };
        var first = tokens.Select(t => lm.Step(cache, tensor(t, [2, 1])).clone()).ToList();

        cache.Rewind(promptLength);
        Assert.Equal(promptLength, cache.Length);
        Assert.Equal(new long[] { 4, 2 }, cache.NextPositions.data<long>().ToArray());
        lm.Step(cache, tensor(new long[] { 250, 251 }, [2, 1]));
        cache.Rewind(promptLength);
        for (var i = 0; i < tokens.Length; i++)
        {
            var again = lm.Step(cache, tensor(tokens[i], [2, 1]));
            Assert.True((again - first[i]).abs().max().item<float>() <= 1e-5, $"token {i} differs after the rewind");
        }

        // Input tried: rewinding forward past what was decoded.
        Assert.Throws<ArgumentOutOfRangeException>(() => cache.Rewind(cache.Length + 1));
    }

    [Fact]
    public void Right_padded_prompts_are_refused()
    {
        // Input tried: a row whose last position is padding; its "last" logits would belong to a pad token.
        manual_seed(34);
        using var lm = new Qwen3CausalLm(TinyLm.Config());
        using var cache = lm.CreateCache(1, 8);
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentException>(() =>
            lm.Prefill(cache, tensor(new long[] { 1, 2, 0 }, [1, 3]), tensor(new[] { true, true, false }, [1, 3])));
    }
}
