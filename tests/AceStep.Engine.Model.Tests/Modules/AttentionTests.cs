using AceStep.Engine.Model.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Tests.Modules;

public class AttentionTests
{
    [Fact]
    public void Self_attention_matches_naive_softmax_loop_with_gqa_norms_and_rope()
    {
        using var scope = NewDisposeScope();
        manual_seed(10);
        const int Hidden = 8, Heads = 2, KvHeads = 1, HeadDim = 4, L = 5;
        using var attn = new AceStepAttention(Hidden, Heads, KvHeads, HeadDim);
        RandomiseNorms(attn);
        using var rope = new RotaryEmbedding(HeadDim, 10_000);
        var x = randn(1, L, Hidden);

        var y = attn.SelfAttention(x, rope);

        var expected = Naive.SelfAttention(Naive.Data(x), L, Hidden, Heads, KvHeads, HeadDim, 10_000, Naive.Parameters(attn));
        Naive.AssertClose(expected, Naive.Data(y), 1e-5);
    }

    [Fact]
    public void Masked_self_attention_matches_naive_loop_with_the_same_band()
    {
        using var scope = NewDisposeScope();
        manual_seed(11);
        const int Hidden = 12, Heads = 3, KvHeads = 3, HeadDim = 4, L = 7;
        using var attn = new AceStepAttention(Hidden, Heads, KvHeads, HeadDim);
        using var rope = new RotaryEmbedding(HeadDim);
        var x = randn(1, L, Hidden);

        var y = attn.SelfAttention(x, rope, AttentionMasks.SlidingWindow(L, window: 2));

        var expected = Naive.SelfAttention(Naive.Data(x), L, Hidden, Heads, KvHeads, HeadDim, 1_000_000, Naive.Parameters(attn),
            (i, j) => Math.Abs(i - j) <= 2);
        Naive.AssertClose(expected, Naive.Data(y), 1e-5);
    }

    [Fact]
    public void Gqa_equals_attention_with_explicitly_repeated_kv_heads()
    {
        using var scope = NewDisposeScope();
        manual_seed(12);
        const int Hidden = 16, HeadDim = 4;
        using var gqa = new AceStepAttention(Hidden, heads: 4, kvHeads: 2, HeadDim);
        using var mha = new AceStepAttention(Hidden, heads: 4, kvHeads: 4, HeadDim);
        RandomiseNorms(gqa);
        var source = gqa.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using (no_grad())
        {
            foreach (var (name, target) in mha.named_parameters())
            {
                var w = source[name];
                // kv head 0 serves query heads 0 and 1, kv head 1 serves 2 and 3: repeat each head's rows block by hand.
                var value = name is "k_proj.weight" or "v_proj.weight"
                    ? cat([w[0..4], w[0..4], w[4..8], w[4..8]], dim: 0)
                    : w;
                target.copy_(value);
            }
        }

        using var rope = new RotaryEmbedding(HeadDim);
        var x = randn(2, 6, Hidden);
        Naive.AssertClose(Naive.Data(mha.SelfAttention(x, rope)), Naive.Data(gqa.SelfAttention(x, rope)), 1e-6);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(64)]
    [InlineData(129)]
    public void Sliding_equals_full_attention_up_to_129_tokens(int length)
    {
        var (sliding, full) = SlidingAndFull(length);
        Naive.AssertClose(full, sliding, 1e-6);
    }

    [Fact]
    public void Sliding_differs_from_full_attention_for_300_tokens()
    {
        var (sliding, full) = SlidingAndFull(300);
        Assert.True(sliding.Zip(full, (a, b) => Math.Abs(a - b)).Max() > 1e-3);
    }

    [Fact]
    public void Cross_attention_uses_no_positions()
    {
        // Without RoPE on keys, permuting the encoder tokens cannot change the result.
        using var scope = NewDisposeScope();
        manual_seed(13);
        using var attn = new AceStepAttention(16, 4, 2, 4, isCross: true);
        var x = randn(1, 3, 16);
        var enc = randn(1, 5, 16);
        var shuffled = enc.index_select(1, tensor(new long[] { 4, 2, 0, 3, 1 }));
        Naive.AssertClose(Naive.Data(attn.CrossAttention(x, enc)), Naive.Data(attn.CrossAttention(x, shuffled)), 1e-6);
        Assert.Equal(new long[] { 1, 3, 16 }, attn.CrossAttention(x, enc).shape);
    }

    [Fact]
    public void Parameter_names_and_shapes_follow_the_checkpoint()
    {
        using var attn = new AceStepAttention(64, 4, 2, 16);
        var shapes = attn.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);
        Assert.Equal(new Dictionary<string, long[]>
        {
            ["q_proj.weight"] = [64, 64],
            ["k_proj.weight"] = [32, 64],
            ["v_proj.weight"] = [32, 64],
            ["o_proj.weight"] = [64, 64],
            ["q_norm.weight"] = [16],
            ["k_norm.weight"] = [16],
        }, shapes);
    }

    private static (double[] Sliding, double[] Full) SlidingAndFull(int length)
    {
        using var scope = NewDisposeScope();
        manual_seed(14);
        using var attn = new AceStepAttention(16, 2, 1, 8);
        using var rope = new RotaryEmbedding(8);
        var x = randn(1, length, 16);
        var sliding = attn.SelfAttention(x, rope, AttentionMasks.SlidingWindow(length));
        var full = attn.SelfAttention(x, rope);
        return (Naive.Data(sliding), Naive.Data(full));
    }

    // Default norm weights are ones; random ones make the tests see whether q_norm/k_norm are applied per head.
    internal static void RandomiseNorms(nn.Module module)
    {
        using var noGrad = no_grad();
        foreach (var (name, parameter) in module.named_parameters())
        {
            if (name.EndsWith("norm.weight", StringComparison.Ordinal))
            {
                using var r = rand(parameter.shape) + 0.5;
                parameter.copy_(r);
            }
        }
    }
}
