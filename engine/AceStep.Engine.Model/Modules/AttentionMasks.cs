using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Modules;

/// <summary>
/// Additive attention masks (spec §4.1): 0 where a key is visible, a large negative value where it is not. All masks
/// are bidirectional; they broadcast against attention scores [B, H, Lq, Lk] and may be summed.
/// </summary>
public static class AttentionMasks
{
    /// <summary>
    /// Band mask [1, 1, L, L] for sliding layers: 0 where |i − j| ≤ <paramref name="window"/>, −∞ elsewhere. Every row
    /// keeps its diagonal, so no row is fully masked and −∞ is safe.
    /// </summary>
    public static Tensor SlidingWindow(long length, long window = LayerTypes.SlidingWindow, Device? device = null,
        ScalarType dtype = ScalarType.Float32)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        ArgumentOutOfRangeException.ThrowIfNegative(window);
        using var scope = NewDisposeScope();
        var positions = arange(0, length, dtype: ScalarType.Int64, device: device);
        var distance = (positions.unsqueeze(1) - positions.unsqueeze(0)).abs();              // [L, L], |i − j|
        var mask = zeros([length, length], dtype, device)
            .masked_fill(distance.gt(window), double.NegativeInfinity);
        return mask.view(1, 1, length, length).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Causal mask [1, 1, L, L] for the Qwen3 text encoder and LM: 0 where key j ≤ query i, −∞ above the diagonal. Every
    /// row keeps its diagonal, so −∞ is safe.
    /// </summary>
    public static Tensor Causal(long length, Device? device = null, ScalarType dtype = ScalarType.Float32)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        using var scope = NewDisposeScope();
        var mask = full([length, length], double.NegativeInfinity, dtype, device).triu(1);
        return mask.view(1, 1, length, length).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Key-padding mask [B, 1, 1, Lk] from a validity mask [B, Lk] (true or nonzero = real token): padded keys get the
    /// dtype's lowest finite value rather than −∞. A padded query whose every visible key is padding then gets a
    /// (meaningless but finite) uniform average instead of NaN, which would otherwise reach real tokens in later layers
    /// through 0 · NaN in the next attention's weighted sum.
    /// </summary>
    public static Tensor KeyPadding(Tensor validKeys, ScalarType dtype = ScalarType.Float32)
    {
        ArgumentNullException.ThrowIfNull(validKeys);
        if (validKeys.dim() != 2)
        {
            throw new ArgumentException($"Expected a [B, Lk] validity mask, got {validKeys.dim()} dimensions.", nameof(validKeys));
        }

        using var scope = NewDisposeScope();
        var valid = validKeys.to_type(ScalarType.Bool);
        var mask = zeros(valid.shape, dtype, valid.device).masked_fill(valid.logical_not(), LowestFinite(dtype));
        return mask.view(valid.shape[0], 1, 1, valid.shape[1]).MoveToOuterDisposeScope();
    }

    /// <summary>The mask for layer <paramref name="layerIndex"/> of a self-attention stack over L tokens: the band for
    /// sliding layers, none (null) for full layers.</summary>
    public static Tensor? ForLayer(int layerIndex, long length, Device? device = null, ScalarType dtype = ScalarType.Float32) =>
        LayerTypes.IsSliding(layerIndex) ? SlidingWindow(length, LayerTypes.SlidingWindow, device, dtype) : null;

    private static double LowestFinite(ScalarType dtype) => dtype switch
    {
        ScalarType.Float16 => -65504.0,
        ScalarType.BFloat16 => -3.3895313892515355e38,
        ScalarType.Float64 => double.MinValue,
        ScalarType.Float32 => float.MinValue,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Attention masks are floating point."),
    };
}
