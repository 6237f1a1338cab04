using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Modules;

/// <summary>
/// ACE-Step encoder layer (spec §4.2), pre-norm: h = x + SelfAttn(input_layernorm(x)); y = h + MLP(post_attention_layernorm(h)).
/// Used by the lyric, timbre, attention-pooler and detokenizer stacks. Parameters: <c>input_layernorm.weight</c>,
/// <c>post_attention_layernorm.weight</c>, <c>self_attn.{q,k,v,o}_proj.weight</c>, <c>self_attn.{q,k}_norm.weight</c>,
/// <c>mlp.{gate,up,down}_proj.weight</c>.
/// </summary>
public sealed class EncoderLayer : nn.Module
{
    private readonly RmsNorm _inputLayerNorm;
    private readonly AceStepAttention _selfAttn;
    private readonly RmsNorm _postAttentionLayerNorm;
    private readonly SwiGluMlp _mlp;

    /// <summary>Creates the layer with TorchSharp's default (seeded) initialisation.</summary>
    /// <param name="layerIndex">Index in its stack; decides sliding (even) or full (odd) attention.</param>
    /// <param name="hidden">Model width (2048).</param>
    /// <param name="intermediate">MLP inner width (6144).</param>
    /// <param name="heads">Query heads (16).</param>
    /// <param name="kvHeads">Key/value heads (8).</param>
    /// <param name="headDim">Per-head size (128).</param>
    /// <param name="eps">RMSNorm epsilon (1e-6).</param>
    public EncoderLayer(int layerIndex, long hidden, long intermediate, long heads, long kvHeads, long headDim, double eps = 1e-6)
        : base(nameof(EncoderLayer))
    {
        ArgumentOutOfRangeException.ThrowIfNegative(layerIndex);
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

    /// <summary>Index of this layer in its stack.</summary>
    public int LayerIndex { get; }

    /// <summary>True when this layer attends within the sliding band (even index).</summary>
    public bool IsSliding => LayerTypes.IsSliding(LayerIndex);

    /// <summary>Runs the layer on x [B, L, hidden] → [B, L, hidden].</summary>
    /// <param name="input">Input sequence.</param>
    /// <param name="rope">The stack's rotary embedding.</param>
    /// <param name="mask">Additive mask for this layer (the band from <see cref="AttentionMasks.ForLayer"/> on sliding
    /// layers, plus any key padding), or null for none.</param>
    /// <param name="float32DownProjection">Compute the MLP's <c>down_proj</c> and the residual add in float32 (the output
    /// is then float32): the fp16 overflow guard of the lyric encoder's last layer.</param>
    public Tensor Forward(Tensor input, RotaryEmbedding rope, Tensor? mask = null, bool float32DownProjection = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(rope);
        using var scope = NewDisposeScope();
        var h = input + _selfAttn.SelfAttention(_inputLayerNorm.forward(input), rope, mask);
        var normed = _postAttentionLayerNorm.forward(h);
        var y = float32DownProjection
            ? h.to_type(ScalarType.Float32) + _mlp.ForwardWithFloat32Down(normed)
            : h + _mlp.forward(normed);
        return y.MoveToOuterDisposeScope();
    }
}
