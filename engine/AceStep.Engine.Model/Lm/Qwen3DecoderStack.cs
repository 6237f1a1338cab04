using AceStep.Engine.Model.Compact;
using AceStep.Engine.Model.Config;
using AceStep.Engine.Model.Modules;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Lm;

/// <summary>
/// The LM's <c>model.*</c> tensors (HF <c>Qwen3Model</c>): <c>embed_tokens</c>, <c>layers.{i}</c> and the final <c>norm</c>,
/// run over new tokens against a <see cref="KeyValueCache"/>.
/// </summary>
internal sealed class Qwen3DecoderStack : nn.Module
{
    private readonly Qwen3DecoderLayer[] _layers;
    private readonly RmsNorm _norm;

    public Qwen3DecoderStack(Qwen3Config config) : base(nameof(Qwen3DecoderStack))
    {
        EmbedTokens = new TokenEmbedding(config.VocabSize, config.Hidden);
        _layers = Enumerable.Range(0, config.Layers)
            .Select(i => new Qwen3DecoderLayer(i, config.Hidden, config.Intermediate, config.Heads, config.KvHeads, config.HeadDim, config.Eps))
            .ToArray();
        _norm = new RmsNorm(config.Hidden, config.Eps);
        register_module(TensorNames.EmbedTokens, EmbedTokens);
        register_module(TensorNames.Layers, new ModuleList<Qwen3DecoderLayer>(_layers));
        register_module(TensorNames.Norm, _norm);
    }

    /// <summary>The token embedding; its weight doubles as the output head when embeddings are tied.</summary>
    public TokenEmbedding EmbedTokens { get; }

    public int LayerCount => _layers.Length;

    public IReadOnlyList<Qwen3DecoderLayer> Layers => _layers;

    public RmsNorm Norm => _norm;

    /// <summary>ids [B, L] at cache positions start.. → normed hidden states [B, L, hidden].</summary>
    public Tensor Forward(Tensor ids, Tensor cos, Tensor sin, KeyValueCache cache, long start, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var h = EmbedTokens.forward(ids);
        foreach (var layer in _layers)
            h = layer.Forward(h, cos, sin, cache, start, mask);
        return _norm.forward(h).MoveToOuterDisposeScope();
    }
}
