using AceStep.Engine.Model.Modules;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Dit;

/// <summary>
/// ACE-Step DiT layer (spec §4.4) with AdaLN-single modulation:
/// (shift_a, scale_a, gate_a, shift_m, scale_m, gate_m) = split_6(scale_shift_table + proj);
/// x += gate_a ⊙ SelfAttn(self_attn_norm(x) ⊙ (1 + scale_a) + shift_a);
/// x += CrossAttn(cross_attn_norm(x), enc) (no modulation, no gate);
/// x += gate_m ⊙ MLP(mlp_norm(x) ⊙ (1 + scale_m) + shift_m).
/// Parameters: <c>self_attn_norm.weight</c>, <c>self_attn.*</c>, <c>cross_attn_norm.weight</c>, <c>cross_attn.*</c>,
/// <c>mlp_norm.weight</c>, <c>mlp.*</c>, <c>scale_shift_table</c> [1, 6, hidden].
/// </summary>
public sealed class DitLayer : nn.Module
{
    private readonly RmsNorm _selfAttnNorm;
    private readonly AceStepAttention _selfAttn;
    private readonly RmsNorm _crossAttnNorm;
    private readonly AceStepAttention _crossAttn;
    private readonly RmsNorm _mlpNorm;
    private readonly SwiGluMlp _mlp;


    /// <summary>Creates the layer with TorchSharp's default (seeded) initialisation.</summary>
    /// <param name="layerIndex">Index in the stack; even = sliding-window self-attention, odd = full.</param>
    /// <param name="hidden">Model width (2048).</param>
    /// <param name="intermediate">MLP inner width (6144).</param>
    /// <param name="heads">Query heads (16).</param>
    /// <param name="kvHeads">Key/value heads (8).</param>
    /// <param name="headDim">Per-head size (128).</param>
    /// <param name="slidingWindow">Half-width of the band on sliding layers (128).</param>
    /// <param name="eps">RMSNorm epsilon (1e-6).</param>
    public DitLayer(int layerIndex, long hidden, long intermediate, long heads, long kvHeads, long headDim,
        long slidingWindow = LayerTypes.SlidingWindow, double eps = 1e-6)
        : base(nameof(DitLayer))
    {
        ArgumentOutOfRangeException.ThrowIfNegative(layerIndex);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hidden);
        ArgumentOutOfRangeException.ThrowIfNegative(slidingWindow);
        LayerIndex = layerIndex;
        Hidden = hidden;
        SlidingWindow = slidingWindow;
        _selfAttnNorm = new RmsNorm(hidden, eps);
        _selfAttn = new AceStepAttention(hidden, heads, kvHeads, headDim, isCross: false, eps);
        _crossAttnNorm = new RmsNorm(hidden, eps);
        _crossAttn = new AceStepAttention(hidden, heads, kvHeads, headDim, isCross: true, eps);
        _mlpNorm = new RmsNorm(hidden, eps);
        _mlp = new SwiGluMlp(hidden, intermediate);
        register_module(TensorNames.SelfAttnNorm, _selfAttnNorm);
        register_module(TensorNames.SelfAttn, _selfAttn);
        register_module(TensorNames.CrossAttnNorm, _crossAttnNorm);
        register_module(TensorNames.CrossAttn, _crossAttn);
        register_module(TensorNames.MlpNorm, _mlpNorm);
        register_module(TensorNames.Mlp, _mlp);
        // Scaled like upstream's randn/√hidden so an unloaded layer modulates mildly; the checkpoint overwrites it.
        register_parameter(TensorNames.ScaleShiftTable,
            new Parameter(randn(1, TimestepEmbedding.ModulationCount, hidden) / Math.Sqrt(hidden)));

    }

    /// <summary>Index of this layer in its stack.</summary>
    public int LayerIndex { get; }

    /// <summary>Model width.</summary>
    public long Hidden { get; }

    /// <summary>Half-width of the self-attention band on sliding layers.</summary>
    public long SlidingWindow { get; }

    /// <summary>True when self-attention is restricted to the band |i − j| ≤ <see cref="SlidingWindow"/> (even index).</summary>
    public bool IsSliding => LayerTypes.IsSliding(LayerIndex);

    // Looked up by name: Module.to(...) replaces parameters and only rebinds fields named exactly like them.
    /// <summary>The per-layer modulation table <c>scale_shift_table</c> [1, 6, hidden].</summary>
    public Parameter ScaleShiftTable =>
        get_parameter(TensorNames.ScaleShiftTable) ?? throw new InvalidOperationException("DitLayer lost its scale_shift_table.");

    /// <summary>
    /// The self-attention mask this layer needs over <paramref name="length"/> tokens: the band [1, 1, L, L] on sliding
    /// layers, null on full layers. The DiT uses no padding masks (spec §4.5 step 5).
    /// </summary>
    public Tensor? SelfAttentionMask(long length, Device? device = null, ScalarType dtype = ScalarType.Float32) =>
        IsSliding ? AttentionMasks.SlidingWindow(length, SlidingWindow, device, dtype) : null;

    /// <summary>Computes this layer's cross-attention K/V [B, Hkv, Lc, D] of the embedded condition enc' [B, Lc, hidden].</summary>
    public AttentionKeyValue CrossKeyValue(Tensor encoderStates) => _crossAttn.CrossKeyValue(encoderStates);

    /// <summary>Runs the layer, projecting the condition's K/V on the fly.</summary>
    /// <param name="input">Latent tokens x [B, L, hidden].</param>
    /// <param name="timestepProjection">Summed timestep projection proj [B, 6, hidden] (same for every layer).</param>
    /// <param name="rope">The stack's rotary embedding (positions 0..L−1).</param>
    /// <param name="selfMask">Additive self-attention mask (see <see cref="SelfAttentionMask"/>), or null.</param>
    /// <param name="encoderStates">Embedded condition enc' [B, Lc, hidden].</param>
    /// <param name="encoderMask">Optional additive cross-attention mask [B, 1, 1, Lc]; upstream passes none.</param>
    /// <returns>x' [B, L, hidden].</returns>
    public Tensor Forward(Tensor input, Tensor timestepProjection, RotaryEmbedding rope, Tensor? selfMask, Tensor encoderStates,
        Tensor? encoderMask = null)
    {
        ArgumentNullException.ThrowIfNull(encoderStates);
        return Run(input, timestepProjection, rope, selfMask, h => _crossAttn.CrossAttention(h, encoderStates, encoderMask));
    }

    /// <summary>Runs the layer with cross-attention K/V precomputed by <see cref="CrossKeyValue"/> (the per-step path).</summary>
    /// <param name="input">Latent tokens x [B, L, hidden].</param>
    /// <param name="timestepProjection">Summed timestep projection proj [B, 6, hidden].</param>
    /// <param name="rope">The stack's rotary embedding.</param>
    /// <param name="selfMask">Additive self-attention mask, or null.</param>
    /// <param name="crossKeyValue">This layer's cached K/V [B, Hkv, Lc, D].</param>
    /// <param name="encoderMask">Optional additive cross-attention mask [B, 1, 1, Lc].</param>
    /// <returns>x' [B, L, hidden].</returns>
    public Tensor Forward(Tensor input, Tensor timestepProjection, RotaryEmbedding rope, Tensor? selfMask,
        AttentionKeyValue crossKeyValue, Tensor? encoderMask = null)
    {
        ArgumentNullException.ThrowIfNull(crossKeyValue);
        return Run(input, timestepProjection, rope, selfMask, h => _crossAttn.CrossAttention(h, crossKeyValue, encoderMask));
    }

    private Tensor Run(Tensor input, Tensor timestepProjection, RotaryEmbedding rope, Tensor? selfMask, Func<Tensor, Tensor> crossAttention)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(timestepProjection);
        ArgumentNullException.ThrowIfNull(rope);
        using var scope = NewDisposeScope();
        // [1, 6, H] + [B, 6, H] → six [B, 1, H] chunks in the spec's order; they broadcast over the L tokens.
        var modulation = (ScaleShiftTable + timestepProjection).chunk(TimestepEmbedding.ModulationCount, dim: 1);
        var (shiftA, scaleA, gateA) = (modulation[0], modulation[1], modulation[2]);
        var (shiftM, scaleM, gateM) = (modulation[3], modulation[4], modulation[5]);

        var attnIn = _selfAttnNorm.forward(input) * (1 + scaleA) + shiftA;                                  // [B, L, H]
        var x = input + gateA * _selfAttn.SelfAttention(attnIn, rope, selfMask);
        x = x + crossAttention(_crossAttnNorm.forward(x));                                                  // plain residual
        var mlpIn = _mlpNorm.forward(x) * (1 + scaleM) + shiftM;
        x = x + gateM * _mlp.forward(mlpIn);
        return x.MoveToOuterDisposeScope();
    }
}
