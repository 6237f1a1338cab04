using AceStep.Engine.Model.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Lm;

/// <summary>
/// One Qwen3 decoder layer of the LM (HF <c>Qwen3DecoderLayer</c>, spec §3.4): the same pre-norm block as
/// <see cref="EncoderLayer"/> (h = x + SelfAttn(input_layernorm(x)); y = h + MLP(post_attention_layernorm(h))) with the same
/// checkpoint names, but its attention reads and extends a <see cref="KeyValueCache"/> for incremental decoding.
/// </summary>
internal sealed class Qwen3DecoderLayer : nn.Module
{
    private readonly RmsNorm _inputLayerNorm;
    private readonly AceStepAttention _selfAttn;
    private readonly RmsNorm _postAttentionLayerNorm;
    private readonly SwiGluMlp _mlp;

    public Qwen3DecoderLayer(int layerIndex, long hidden, long intermediate, long heads, long kvHeads, long headDim, double eps)
        : base(nameof(Qwen3DecoderLayer))
    {
        LayerIndex = layerIndex;
        _inputLayerNorm = new RmsNorm(hidden, eps);
        _selfAttn = new AceStepAttention(hidden, heads, kvHeads, headDim, isCross: false, eps);
        _postAttentionLayerNorm = new RmsNorm(hidden, eps);
        _mlp = new SwiGluMlp(hidden, intermediate);
        register_module(TensorNames.InputLayerNorm, _inputLayerNorm);
        register_module(TensorNames.SelfAttn, _selfAttn);
        register_module(TensorNames.PostAttentionLayerNorm, _postAttentionLayerNorm);
        register_module(TensorNames.Mlp, _mlp);
    }

    public int LayerIndex { get; }

    public RmsNorm InputLayerNorm => _inputLayerNorm;

    public AceStepAttention SelfAttn => _selfAttn;

    public RmsNorm PostAttentionLayerNorm => _postAttentionLayerNorm;

    public SwiGluMlp Mlp => _mlp;

    /// <summary>New tokens [B, L, hidden] at cache positions start.. → [B, L, hidden]; writes this layer's K/V.</summary>
    public Tensor Forward(Tensor input, Tensor cos, Tensor sin, KeyValueCache cache, long start, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var attended = _selfAttn.SelfAttentionCached(_inputLayerNorm.forward(input), cos, sin,
            cache.Keys(LayerIndex), cache.Values(LayerIndex), start, mask);
        var h = input + attended;
        var y = h + _mlp.forward(_postAttentionLayerNorm.forward(h));
        return y.MoveToOuterDisposeScope();
    }
}
