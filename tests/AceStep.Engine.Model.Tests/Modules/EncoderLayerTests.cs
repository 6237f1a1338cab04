using AceStep.Engine.Model.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Tests.Modules;

public class EncoderLayerTests
{
    [Fact]
    public void Parameter_names_and_shapes_equal_the_spec_inventory_at_small_width()
    {
        // Spec §4.2 / §4.9 names at hidden 64, intermediate 128, heads 4/2, head_dim 16.
        using var layer = new EncoderLayer(0, hidden: 64, intermediate: 128, heads: 4, kvHeads: 2, headDim: 16);
        var shapes = layer.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);
        Assert.Equal(new Dictionary<string, long[]>
        {
            ["input_layernorm.weight"] = [64],
            ["post_attention_layernorm.weight"] = [64],
            ["self_attn.q_proj.weight"] = [64, 64],
            ["self_attn.k_proj.weight"] = [32, 64],
            ["self_attn.v_proj.weight"] = [32, 64],
            ["self_attn.o_proj.weight"] = [64, 64],
            ["self_attn.q_norm.weight"] = [16],
            ["self_attn.k_norm.weight"] = [16],
            ["mlp.gate_proj.weight"] = [128, 64],
            ["mlp.up_proj.weight"] = [128, 64],
            ["mlp.down_proj.weight"] = [64, 128],
        }, shapes);
    }

    [Fact]
    public void Forward_matches_naive_pre_norm_residual_loop()
    {
        using var scope = NewDisposeScope();
        manual_seed(30);
        const int Hidden = 8, Inner = 12, Heads = 2, KvHeads = 1, HeadDim = 4, L = 6;
        using var layer = new EncoderLayer(0, Hidden, Inner, Heads, KvHeads, HeadDim);
        AttentionTests.RandomiseNorms(layer);
        using var rope = new RotaryEmbedding(HeadDim);
        var x = randn(1, L, Hidden);

        var y = layer.Forward(x, rope, AttentionMasks.SlidingWindow(L, window: 2));

        var p = Naive.Parameters(layer);
        var xs = Naive.Data(x);
        var attn = Naive.SelfAttention(Naive.RmsNorm(xs, Hidden, p["input_layernorm.weight"]), L, Hidden, Heads, KvHeads, HeadDim,
            1_000_000, p, (i, j) => Math.Abs(i - j) <= 2, prefix: "self_attn.");
        var h = xs.Select((v, i) => v + attn[i]).ToArray();
        var n = Naive.RmsNorm(h, Hidden, p["post_attention_layernorm.weight"]);
        var gate = Naive.Linear(n, L, Hidden, p["mlp.gate_proj.weight"], Inner);
        var up = Naive.Linear(n, L, Hidden, p["mlp.up_proj.weight"], Inner);
        var mlp = Naive.Linear(gate.Select((g, i) => Naive.Silu(g) * up[i]).ToArray(), L, Inner, p["mlp.down_proj.weight"], Hidden);
        Naive.AssertClose(h.Select((v, i) => v + mlp[i]).ToArray(), Naive.Data(y), 1e-5);
    }

    [Fact]
    public void Same_seed_gives_identical_output()
    {
        double[] Run()
        {
            using var scope = NewDisposeScope();
            manual_seed(31);
            using var layer = new EncoderLayer(1, 32, 48, 4, 2, 8);
            using var rope = new RotaryEmbedding(8);
            var x = randn(2, 9, 32);
            return Naive.Data(layer.Forward(x, rope, AttentionMasks.ForLayer(layer.LayerIndex, 9)));
        }

        Assert.Equal(Run(), Run());
    }

    [Fact]
    public void Layer_type_follows_the_index()
    {
        using var even = new EncoderLayer(2, 8, 8, 2, 1, 4);
        using var odd = new EncoderLayer(3, 8, 8, 2, 1, 4);
        Assert.True(even.IsSliding);
        Assert.False(odd.IsSliding);
    }
}
