using AceStep.Engine.Model.Config;
using AceStep.Engine.Model.Generation;
using AceStep.Engine.Model.Tests.Weights;
using AceStep.Engine.Model.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Tests.Generation;

public class CheckpointLayoutTests
{
    private static readonly string[] EncoderLayerNames =
    [
        "input_layernorm.weight", "post_attention_layernorm.weight",
        "self_attn.q_proj.weight", "self_attn.k_proj.weight", "self_attn.v_proj.weight", "self_attn.o_proj.weight",
        "self_attn.q_norm.weight", "self_attn.k_norm.weight",
        "mlp.gate_proj.weight", "mlp.up_proj.weight", "mlp.down_proj.weight",
    ];

    private static readonly string[] DitLayerNames =
    [
        "self_attn_norm.weight", "cross_attn_norm.weight", "mlp_norm.weight", "scale_shift_table",
        "self_attn.q_proj.weight", "self_attn.k_proj.weight", "self_attn.v_proj.weight", "self_attn.o_proj.weight",
        "self_attn.q_norm.weight", "self_attn.k_norm.weight",
        "cross_attn.q_proj.weight", "cross_attn.k_proj.weight", "cross_attn.v_proj.weight", "cross_attn.o_proj.weight",
        "cross_attn.q_norm.weight", "cross_attn.k_norm.weight",
        "mlp.gate_proj.weight", "mlp.up_proj.weight", "mlp.down_proj.weight",
    ];

    /// <summary>The spec §4.9 inventory, written out by hand, for depths 24 / 8 / 4 / 2.</summary>
    private static HashSet<string> SpecInventory()
    {
        var names = new HashSet<string>(StringComparer.Ordinal) { "null_condition_emb" };
        void Stack(string prefix, int layers)
        {
            for (var i = 0; i < layers; i++)
                names.UnionWith(EncoderLayerNames.Select(n => $"{prefix}layers.{i}.{n}"));
            names.Add(prefix + "norm.weight");
        }

        names.UnionWith(["decoder.proj_in.1.weight", "decoder.proj_in.1.bias", "decoder.condition_embedder.weight",
            "decoder.condition_embedder.bias", "decoder.norm_out.weight", "decoder.scale_shift_table",
            "decoder.proj_out.1.weight", "decoder.proj_out.1.bias"]);
        foreach (var te in new[] { "time_embed", "time_embed_r" })
        {
            foreach (var part in new[] { "linear_1", "linear_2", "time_proj" })
                names.UnionWith([$"decoder.{te}.{part}.weight", $"decoder.{te}.{part}.bias"]);
        }

        for (var i = 0; i < 24; i++)
            names.UnionWith(DitLayerNames.Select(n => $"decoder.layers.{i}.{n}"));

        names.Add("encoder.text_projector.weight");
        names.UnionWith(["encoder.lyric_encoder.embed_tokens.weight", "encoder.lyric_encoder.embed_tokens.bias"]);
        Stack("encoder.lyric_encoder.", 8);
        names.UnionWith(["encoder.timbre_encoder.embed_tokens.weight", "encoder.timbre_encoder.embed_tokens.bias",
            "encoder.timbre_encoder.special_token"]);
        Stack("encoder.timbre_encoder.", 4);
        names.UnionWith(["tokenizer.audio_acoustic_proj.weight", "tokenizer.audio_acoustic_proj.bias",
            "tokenizer.attention_pooler.embed_tokens.weight", "tokenizer.attention_pooler.embed_tokens.bias",
            "tokenizer.attention_pooler.special_token",
            "tokenizer.quantizer.project_in.weight", "tokenizer.quantizer.project_in.bias",
            "tokenizer.quantizer.project_out.weight", "tokenizer.quantizer.project_out.bias"]);
        Stack("tokenizer.attention_pooler.", 2);
        names.UnionWith(["detokenizer.embed_tokens.weight", "detokenizer.embed_tokens.bias", "detokenizer.special_tokens",
            "detokenizer.proj_out.weight", "detokenizer.proj_out.bias"]);
        Stack("detokenizer.", 2);
        return names;
    }

    [Fact]
    public void Every_tensor_name_of_the_model_is_the_official_checkpoint_name_at_the_real_depths()
    {
        using var model = new AceStepConditionGenerationModel(TinyCheckpoints.DitConfig(24, 8, 4, 2));
        var actual = model.named_parameters().Select(p => p.name).ToHashSet(StringComparer.Ordinal);
        var expected = SpecInventory();
        Assert.Empty(expected.Except(actual));
        Assert.Empty(actual.Except(expected));
    }

    [Fact]
    public void Shapes_follow_the_spec_formulas_at_a_small_width()
    {
        // hidden 32, text 24, heads 4/2 × 8, latent 64, FSQ 6 dims, pool window 5 (spec §4.9 with 2048 → 32, 1024 → 24).
        using var model = new AceStepConditionGenerationModel(TinyCheckpoints.DitConfig());
        var shapes = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);
        Assert.Equal([1L, 1, 32], shapes["null_condition_emb"]);
        Assert.Equal([32L, 24], shapes["encoder.text_projector.weight"]);
        Assert.Equal([32L, 24], shapes["encoder.lyric_encoder.embed_tokens.weight"]);
        Assert.Equal([32L, 64], shapes["encoder.timbre_encoder.embed_tokens.weight"]);
        Assert.Equal([1L, 1, 32], shapes["encoder.timbre_encoder.special_token"]);
        Assert.Equal([16L, 32], shapes["encoder.lyric_encoder.layers.1.self_attn.k_proj.weight"]);
        Assert.Equal([32L, 64], shapes["tokenizer.audio_acoustic_proj.weight"]);
        Assert.Equal([6L, 32], shapes["tokenizer.quantizer.project_in.weight"]);
        Assert.Equal([32L, 6], shapes["tokenizer.quantizer.project_out.weight"]);
        Assert.Equal([1L, 1, 32], shapes["tokenizer.attention_pooler.special_token"]);
        Assert.Equal([1L, 5, 32], shapes["detokenizer.special_tokens"]);
        Assert.Equal([64L, 32], shapes["detokenizer.proj_out.weight"]);
        Assert.Equal([32L, 192, 2], shapes["decoder.proj_in.1.weight"]);
    }

    [Fact]
    public void A_checkpoint_written_in_the_official_layout_loads_and_reproduces_the_writer_model()
    {
        using var dir = new TempDir();
        var config = TinyCheckpoints.DitConfig();
        TinyCheckpoints.WriteDit(dir.Path, config, seed: 5);
        manual_seed(5);
        using var original = new AceStepConditionGenerationModel(config);
        using var loaded = AceStepConditionGenerationModel.Load(dir.Path, new WeightLoadOptions());

        using var scope = NewDisposeScope();
        manual_seed(9);
        var x = randn(1, 6, 64);
        var t = tensor(new[] { 0.7f });
        var enc = randn(1, 5, 32);
        var ctx = randn(1, 6, 128);
        using var noGrad = no_grad();
        var expected = original.Decoder.Forward(x, t, t, enc, ctx);
        var actual = loaded.Decoder.Forward(x, t, t, enc, ctx);
        Assert.True(expected.allclose(actual, rtol: 0, atol: 0), "Loaded weights must be the written ones, bit for bit.");
        Assert.True(Exact.Same(original.NullConditionEmbedding, loaded.NullConditionEmbedding));
    }

    [Fact]
    public void A_bf16_checkpoint_loads_into_fp32_on_cpu()
    {
        using var dir = new TempDir();
        TinyCheckpoints.WriteDit(dir.Path, TinyCheckpoints.DitConfig(), bf16: true);
        using var model = AceStepConditionGenerationModel.Load(dir.Path, new WeightLoadOptions { DType = ScalarType.Float32 });
        Assert.All(model.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));
    }

    [Fact]
    public void A_missing_tensor_is_named_with_its_file()
    {
        // Input tried: a checkpoint without encoder.lyric_encoder.layers.1.mlp.up_proj.weight.
        using var dir = new TempDir();
        TinyCheckpoints.WriteDit(dir.Path, TinyCheckpoints.DitConfig(), skip: n => n == "encoder.lyric_encoder.layers.1.mlp.up_proj.weight");
        var e = Assert.Throws<CheckpointMismatchException>(() => AceStepConditionGenerationModel.Load(dir.Path, new WeightLoadOptions()));
        Assert.Contains("encoder.lyric_encoder.layers.1.mlp.up_proj.weight", e.Message, StringComparison.Ordinal);
        Assert.Contains("model.safetensors", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_config_that_disagrees_with_the_weights_names_every_mis_shaped_tensor()
    {
        // Input tried: weights written with text_hidden_dim 24, config.json then claiming 16.
        using var dir = new TempDir();
        var config = TinyCheckpoints.DitConfig();
        TinyCheckpoints.WriteDit(dir.Path, config);
        TinyCheckpoints.WriteDitConfig(dir.Path, config, json => json["text_hidden_dim"] = 16);
        var e = Assert.Throws<CheckpointMismatchException>(() => AceStepConditionGenerationModel.Load(dir.Path, new WeightLoadOptions()));
        Assert.Contains("encoder.text_projector.weight", e.Message, StringComparison.Ordinal);
        Assert.Contains("encoder.lyric_encoder.embed_tokens.weight", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tensor_the_model_does_not_know_is_refused()
    {
        // Input tried: the official tensors plus "decoder.extra_head.weight" (another architecture's checkpoint).
        using var dir = new TempDir();
        var config = TinyCheckpoints.DitConfig();
        TinyCheckpoints.WriteDit(dir.Path, config);
        var weights = Path.Combine(dir.Path, AceStepConditionGenerationModel.WeightsFile);
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        using (var file = SafetensorsFile.Open(weights))
        {
            foreach (var name in file.Tensors.Keys)
                tensors[name] = file.ReadTensor(name);
        }

        tensors["decoder.extra_head.weight"] = zeros(3, 3);
        SafetensorsWriter.Write(weights, tensors);
        foreach (var t in tensors.Values)
            t.Dispose();
        var e = Assert.Throws<CheckpointMismatchException>(() => AceStepConditionGenerationModel.Load(dir.Path, new WeightLoadOptions()));
        Assert.Contains("decoder.extra_head.weight", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("layer_types", "layer_types[1]")]
    [InlineData("sliding_window", "sliding_window")]
    [InlineData("in_channels", "in_channels")]
    public void A_config_of_another_architecture_is_refused_naming_the_key(string key, string named)
    {
        // Inputs tried: layer_types with two sliding layers in a row, sliding_window 64, in_channels 256 (an old fork).
        using var dir = new TempDir();
        TinyCheckpoints.WriteDitConfig(dir.Path, TinyCheckpoints.DitConfig(), json =>
        {
            switch (key)
            {
                case "layer_types": json[key] = new System.Text.Json.Nodes.JsonArray("sliding_attention", "sliding_attention"); break;
                case "sliding_window": json[key] = 64; break;
                default: json[key] = 256; break;
            }
        });
        var e = Assert.Throws<ModelConfigException>(() => AceStepConfig.Load(Path.Combine(dir.Path, "config.json")));
        Assert.Contains(named, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_or_broken_config_is_a_clear_error()
    {
        // Inputs tried: no config.json; a config.json cut off mid-object; hidden_size given as "2048" (a string).
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "config.json");
        Assert.Contains("does not exist", Assert.Throws<ModelConfigException>(() => AceStepConfig.Load(path)).Message, StringComparison.Ordinal);
        File.WriteAllText(path, "{\"hidden_size\": 20");
        Assert.Contains("not valid JSON", Assert.Throws<ModelConfigException>(() => AceStepConfig.Load(path)).Message, StringComparison.Ordinal);
        File.WriteAllText(path, "{\"hidden_size\": \"2048\"}");
        Assert.Contains("hidden_size must be an integer", Assert.Throws<ModelConfigException>(() => AceStepConfig.Load(path)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_real_config_values_are_the_defaults()
    {
        // A config.json with only model_type behaves like upstream's constructor defaults = the shipped 2B values.
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "config.json");
        File.WriteAllText(path, "{\"model_type\":\"acestep\",\"is_turbo\":true}");
        var config = AceStepConfig.Load(path);
        Assert.Equal(2048, config.Hidden);
        Assert.Equal(24, config.DecoderLayers);
        Assert.Equal(8, config.LyricLayers);
        Assert.Equal(4, config.TimbreLayers);
        Assert.Equal(750, config.TimbreFrames);
        Assert.True(config.IsTurbo);
        Assert.Equal(128, config.DecoderOptions.ContextChannels);
    }
}
