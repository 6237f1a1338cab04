using AceStep.Engine.Model.Dit;
using AceStep.Engine.Model.Tests.Modules;
using AceStep.Engine.Model.Tests.Weights;
using AceStep.Engine.Model.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Tests.Dit;

public class DitDecoderTests
{
    private static readonly DitDecoderOptions Tiny = new()
    {
        Hidden = 64, Intermediate = 128, Layers = 2, Heads = 4, KvHeads = 2, HeadDim = 16, TimestepChannels = 32,
    };

    [Fact]
    public void Parameter_names_and_shapes_equal_the_spec_inventory_at_small_width()
    {
        // Spec §4.9 decoder.* (minus the prefix) at hidden 64, 2 layers, heads 4/2, head_dim 16, sinusoid 32.
        using var decoder = new DitDecoder(Tiny);
        var shapes = decoder.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);
        var expected = new Dictionary<string, long[]>
        {
            ["proj_in.1.weight"] = [64, 192, 2],
            ["proj_in.1.bias"] = [64],
            ["condition_embedder.weight"] = [64, 64],
            ["condition_embedder.bias"] = [64],
            ["norm_out.weight"] = [64],
            ["scale_shift_table"] = [1, 2, 64],
            ["proj_out.1.weight"] = [64, 64, 2],
            ["proj_out.1.bias"] = [64],
        };
        foreach (var te in new[] { "time_embed", "time_embed_r" })
        {
            expected[te + ".linear_1.weight"] = [64, 32];
            expected[te + ".linear_1.bias"] = [64];
            expected[te + ".linear_2.weight"] = [64, 64];
            expected[te + ".linear_2.bias"] = [64];
            expected[te + ".time_proj.weight"] = [384, 64];
            expected[te + ".time_proj.bias"] = [384];
        }

        for (var i = 0; i < 2; i++)
        {
            using var layer = new DitLayer(i, 64, 128, 4, 2, 16);
            foreach (var (name, p) in layer.named_parameters())
            {
                expected[$"layers.{i}.{name}"] = p.shape;
            }
        }

        Assert.Equal(expected, shapes);
        Assert.True(decoder.Layers[0].IsSliding);
        Assert.False(decoder.Layers[1].IsSliding);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(8)]
    public void Output_is_b_t_64_cropped_and_the_cache_path_matches(int frames)
    {
        using var scope = NewDisposeScope();
        manual_seed(50);
        using var decoder = new DitDecoder(Tiny);
        var (xt, t, enc, ctx) = Inputs(frames);

        var v = decoder.Forward(xt, t, t, enc, ctx);
        Assert.Equal([2L, frames, 64], v.shape);

        using var cache = decoder.PrepareCrossAttention(enc);
        Assert.Equal(2, cache.Count);
        var cached = decoder.Forward(xt, t, t, cache, ctx);
        Naive.AssertClose(Naive.Data(v), Naive.Data(cached), 1e-6);
    }

    [Fact]
    public void Context_channels_come_before_the_noisy_latent()
    {
        using var scope = NewDisposeScope();
        manual_seed(51);
        using var decoder = new DitDecoder(Tiny);
        var (xt, t, enc, ctx) = Inputs(6);
        // Zero the conv weights that read input channels 0–127; the output must then ignore the context entirely
        // but still depend on x_t (channels 128–191).
        using (no_grad())
        {
            var w = decoder.named_parameters().Single(p => p.name == "proj_in.1.weight").parameter;
            w.narrow(1, 0, 128).zero_();
        }

        var baseline = Naive.Data(decoder.Forward(xt, t, t, enc, ctx));
        Assert.Equal(baseline, Naive.Data(decoder.Forward(xt, t, t, enc, randn_like(ctx))));
        Assert.NotEqual(baseline, Naive.Data(decoder.Forward(randn_like(xt), t, t, enc, ctx)));
    }

    [Fact]
    public void Same_seed_gives_identical_output()
    {
        double[] Run()
        {
            using var scope = NewDisposeScope();
            manual_seed(52);
            using var decoder = new DitDecoder(Tiny);
            var (xt, t, enc, ctx) = Inputs(9);
            return Naive.Data(decoder.Forward(xt, t, t, enc, ctx));
        }

        Assert.Equal(Run(), Run());
    }

    [Fact]
    public void Strict_load_of_official_names_succeeds_and_a_missing_tensor_is_named()
    {
        using var dir = new TempDir();
        using var scope = NewDisposeScope();
        manual_seed(53);
        using var source = new DitDecoder(Tiny);
        var tensors = source.named_parameters().Select(p => ("decoder." + p.name, (Tensor)p.parameter.detach().clone())).ToArray();
        var full = WeightsTestFiles.Write(dir.File("full.safetensors"),
            [.. tensors.Select(t => (t.Item1, t.Item2.clone())), ("encoder.text_projector.weight", zeros(64, 16))]);
        var partial = WeightsTestFiles.Write(dir.File("partial.safetensors"),
            [.. tensors.Where(t => t.Item1 != "decoder.layers.1.cross_attn.k_norm.weight")]);

        manual_seed(54);
        using var target = new DitDecoder(Tiny);
        using (var checkpoint = CheckpointIndex.Open(full))
        {
            // Tensors outside decoder. are out of the map's scope, so strictness does not trip on the encoder's.
            WeightLoader.Load(target, checkpoint, "decoder.", new WeightLoadOptions { RejectUnexpected = true });
        }

        var (xt, t, enc, ctx) = Inputs(5);
        Assert.Equal(Naive.Data(source.Forward(xt, t, t, enc, ctx)), Naive.Data(target.Forward(xt, t, t, enc, ctx)));

        using var fresh = new DitDecoder(Tiny);
        using var broken = CheckpointIndex.Open(partial);
        var e = Assert.Throws<CheckpointMismatchException>(() => WeightLoader.Load(fresh, broken, "decoder."));
        Assert.Equal("decoder.layers.1.cross_attn.k_norm.weight", Assert.Single(e.Missing).Name);
        Assert.Contains("decoder.layers.1.cross_attn.k_norm.weight", e.Message, StringComparison.Ordinal);
    }

    private static (Tensor Xt, Tensor T, Tensor Enc, Tensor Ctx) Inputs(int frames) =>
        (randn(2, frames, 64), tensor(new[] { 0.3f, 0.9f }), randn(2, 5, 64), randn(2, frames, 128));
}
