using AceStep.Engine.Model.Dit;
using AceStep.Engine.Model.Modules;
using AceStep.Engine.Model.Tests.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Tests.Dit;

public class DitLayerTests
{
    private const int Hidden = 64, Inner = 128, Heads = 4, KvHeads = 2, HeadDim = 16;

    [Fact]
    public void Parameter_names_and_shapes_equal_the_spec_inventory_at_small_width()
    {
        // Spec §4.9 decoder.layers.{i}.* at hidden 64, intermediate 128, heads 4/2, head_dim 16.
        using var layer = new DitLayer(0, Hidden, Inner, Heads, KvHeads, HeadDim);
        var shapes = layer.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);
        var expected = new Dictionary<string, long[]>
        {
            ["self_attn_norm.weight"] = [64],
            ["cross_attn_norm.weight"] = [64],
            ["mlp_norm.weight"] = [64],
            ["mlp.gate_proj.weight"] = [128, 64],
            ["mlp.up_proj.weight"] = [128, 64],
            ["mlp.down_proj.weight"] = [64, 128],
            ["scale_shift_table"] = [1, 6, 64],
        };
        foreach (var attn in new[] { "self_attn", "cross_attn" })
        {
            expected[attn + ".q_proj.weight"] = [64, 64];
            expected[attn + ".k_proj.weight"] = [32, 64];
            expected[attn + ".v_proj.weight"] = [32, 64];
            expected[attn + ".o_proj.weight"] = [64, 64];
            expected[attn + ".q_norm.weight"] = [16];
            expected[attn + ".k_norm.weight"] = [16];
        }

        Assert.Equal(expected, shapes);
    }

    [Fact]
    public void Forward_equals_manual_adaln_composition_of_the_primitive_blocks()
    {
        using var scope = NewDisposeScope();
        manual_seed(40);
        const int L = 10, Lc = 7;
        using var layer = new DitLayer(0, Hidden, Inner, Heads, KvHeads, HeadDim);
        AttentionTests.RandomiseNorms(layer);

        // Independent primitive blocks carrying the layer's weights, copied by checkpoint sub-name.
        using var saNorm = new RmsNorm(Hidden);
        using var selfAttn = new AceStepAttention(Hidden, Heads, KvHeads, HeadDim);
        using var caNorm = new RmsNorm(Hidden);
        using var crossAttn = new AceStepAttention(Hidden, Heads, KvHeads, HeadDim, isCross: true);
        using var mlpNorm = new RmsNorm(Hidden);
        using var mlp = new SwiGluMlp(Hidden, Inner);
        var source = layer.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using (no_grad())
        {
            foreach (var (prefix, module) in new (string, nn.Module)[]
                     {
                         ("self_attn_norm.", saNorm), ("self_attn.", selfAttn), ("cross_attn_norm.", caNorm),
                         ("cross_attn.", crossAttn), ("mlp_norm.", mlpNorm), ("mlp.", mlp),
                     })
            {
                foreach (var (name, target) in module.named_parameters())
                {
                    target.copy_(source[prefix + name]);
                }
            }
        }

        using var rope = new RotaryEmbedding(HeadDim);
        var x = randn(2, L, Hidden);
        var proj = randn(2, 6, Hidden);
        var enc = randn(2, Lc, Hidden);
        var band = AttentionMasks.SlidingWindow(L, window: 3);

        var y = layer.Forward(x, proj, rope, band, enc);

        // AdaLN by hand, spec order: shift_a, scale_a, gate_a, shift_m, scale_m, gate_m along dim 1.
        var m = source["scale_shift_table"] + proj;                                           // [2, 6, H]
        Tensor Chunk(int i) => m.narrow(1, i, 1);                                            // [2, 1, H]
        var h = x + Chunk(2) * selfAttn.SelfAttention(saNorm.forward(x) * (1 + Chunk(1)) + Chunk(0), rope, band);
        h = h + crossAttn.CrossAttention(caNorm.forward(h), enc);
        h = h + Chunk(5) * mlp.forward(mlpNorm.forward(h) * (1 + Chunk(4)) + Chunk(3));

        Naive.AssertClose(Naive.Data(h), Naive.Data(y), 1e-6);
    }

    [Fact]
    public void Cached_cross_attention_equals_the_uncached_path()
    {
        using var scope = NewDisposeScope();
        manual_seed(41);
        using var layer = new DitLayer(1, Hidden, Inner, Heads, KvHeads, HeadDim);
        AttentionTests.RandomiseNorms(layer);
        using var rope = new RotaryEmbedding(HeadDim);
        var x = randn(3, 12, Hidden);
        var proj = randn(3, 6, Hidden);
        var enc = randn(3, 9, Hidden);

        var direct = layer.Forward(x, proj, rope, null, enc);
        var kv = layer.CrossKeyValue(enc);
        Assert.Equal([3L, KvHeads, 9, HeadDim], kv.Key.shape);
        Assert.Equal([3L, KvHeads, 9, HeadDim], kv.Value.shape);
        using var cache = new CrossAttentionCache([kv]);
        // Two "steps" through the same cache: reuse must not alter the cached tensors.
        var cached1 = layer.Forward(x, proj, rope, null, cache[0]);
        var cached2 = layer.Forward(x, proj, rope, null, cache[0]);

        Naive.AssertClose(Naive.Data(direct), Naive.Data(cached1), 1e-6);
        Assert.Equal(Naive.Data(cached1), Naive.Data(cached2));
    }

    [Fact]
    public void Cached_path_rejects_a_batch_mismatch()
    {
        using var scope = NewDisposeScope();
        using var layer = new DitLayer(1, Hidden, Inner, Heads, KvHeads, HeadDim);
        using var rope = new RotaryEmbedding(HeadDim);
        var kv = layer.CrossKeyValue(randn(1, 5, Hidden));
        Assert.Throws<ArgumentException>(() => layer.Forward(randn(2, 4, Hidden), randn(2, 6, Hidden), rope, null, kv));
    }

    [Theory]
    [InlineData(300, true)]
    [InlineData(129, false)]
    [InlineData(40, false)]
    public void Sliding_layer_differs_from_full_only_beyond_the_band(int length, bool differs)
    {
        using var scope = NewDisposeScope();
        manual_seed(42);
        using var sliding = new DitLayer(0, Hidden, Inner, Heads, KvHeads, HeadDim);
        using var full = new DitLayer(1, Hidden, Inner, Heads, KvHeads, HeadDim);
        Assert.True(sliding.IsSliding);
        Assert.False(full.IsSliding);
        Assert.Null(full.SelfAttentionMask(length));
        using (no_grad())
        {
            // Same weights in both, so only the layer type (and so its mask) separates them.
            var src = sliding.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            foreach (var (name, target) in full.named_parameters())
            {
                target.copy_(src[name]);
            }
        }

        using var rope = new RotaryEmbedding(HeadDim);
        var x = randn(1, length, Hidden);
        var proj = randn(1, 6, Hidden);
        var enc = randn(1, 5, Hidden);

        var a = Naive.Data(sliding.Forward(x, proj, rope, sliding.SelfAttentionMask(length), enc));
        var b = Naive.Data(full.Forward(x, proj, rope, full.SelfAttentionMask(length), enc));

        var maxDiff = a.Zip(b, (p, q) => Math.Abs(p - q)).Max();
        if (differs)
        {
            Assert.True(maxDiff > 1e-4, $"max difference {maxDiff}");
        }
        else
        {
            Assert.True(maxDiff < 1e-6, $"max difference {maxDiff}");
        }
    }
}
