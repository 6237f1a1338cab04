using AceStep.Engine.Model.Config;
using AceStep.Engine.Model.Qwen;
using AceStep.Engine.Model.Tests.Generation;
using AceStep.Engine.Model.Tests.Weights;
using AceStep.Engine.Model.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Tests.Qwen;

public class Qwen3TextModelTests
{
    [Fact]
    public void A_token_never_sees_the_tokens_after_it()
    {
        manual_seed(12);
        using var model = new Qwen3TextModel(TinyCheckpoints.QwenConfig());
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var prefix = tensor(new long[] { 5, 17, 42, 99 }, [1, 4]);
        var longer = tensor(new long[] { 5, 17, 42, 99, 7, 250 }, [1, 6]);
        var a = model.Forward(prefix);
        var b = model.Forward(longer);
        Assert.True(a.allclose(b[.., 0..4], rtol: 0, atol: 1e-5), "Causal: appending tokens cannot change earlier states.");
        var changedFirst = tensor(new long[] { 6, 17, 42, 99 }, [1, 4]);
        Assert.False(a[0, 3].allclose(model.Forward(changedFirst)[0, 3]), "The last token must see the first.");
    }

    [Fact]
    public void Lyrics_use_the_embedding_table_only()
    {
        manual_seed(13);
        using var model = new Qwen3TextModel(TinyCheckpoints.QwenConfig());
        using var scope = NewDisposeScope();
        var ids = tensor(new long[] { 3, 1, 4 }, [1, 3]);
        var weight = model.named_parameters().Single(p => p.name == "embed_tokens.weight").parameter;
        Assert.True(Exact.Same(model.Embed(ids)[0], weight.index_select(0, tensor(new long[] { 3, 1, 4 }))));
    }

    [Theory]
    [InlineData("")]
    [InlineData("model.")]
    public void The_text_encoder_loads_with_or_without_the_model_prefix(string prefix)
    {
        using var dir = new TempDir();
        var config = TinyCheckpoints.QwenConfig();
        TinyCheckpoints.WriteQwen(dir.Path, config, seed: 14, prefix: prefix);
        manual_seed(14);
        using var original = new Qwen3TextModel(config);
        using var loaded = Qwen3TextModel.Load(dir.Path, new WeightLoadOptions());
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var ids = tensor(new long[] { 1, 2, 3, 200 }, [1, 4]);
        Assert.True(Exact.Same(original.Forward(ids), loaded.Forward(ids)));
    }

    [Fact]
    public void Token_ids_outside_the_vocabulary_are_refused()
    {
        // Inputs tried: id 300 with a 300-token vocabulary; a negative id.
        using var model = new Qwen3TextModel(TinyCheckpoints.QwenConfig(vocab: 300));
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Forward(tensor(new long[] { 1, 300 }, [1, 2])));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Embed(tensor(new long[] { -1 }, [1, 1])));
    }

    [Fact]
    public void A_non_qwen3_config_is_refused()
    {
        // Input tried: a config.json with model_type "llama".
        using var dir = new TempDir();
        File.WriteAllText(Path.Combine(dir.Path, "config.json"), "{\"model_type\":\"llama\"}");
        var e = Assert.Throws<ModelConfigException>(() => Qwen3TextModel.Load(dir.Path, new WeightLoadOptions()));
        Assert.Contains("model_type", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_config_without_head_dim_uses_qwen3s_128_not_hidden_over_heads()
    {
        // Input tried: the 0.6B shape (hidden 1024, 16 heads) with head_dim omitted; 1024 / 16 = 64 would be wrong.
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "config.json");
        File.WriteAllText(path, "{\"model_type\":\"qwen3\",\"hidden_size\":1024,\"num_attention_heads\":16}");
        Assert.Equal(128, Qwen3Config.Load(path).HeadDim);
    }
}
