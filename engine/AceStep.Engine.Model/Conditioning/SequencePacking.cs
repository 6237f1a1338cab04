using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Conditioning;

/// <summary>
/// Upstream's <c>pack_sequences</c> (spec §4.6 item 4): concatenates two masked sequences and moves each row's valid tokens
/// to the front, in their original order (a stable sort on the mask), so an unpadded item packs as [first | second]
/// and padding collects at the end.
/// </summary>
public static class SequencePacking
{
    /// <summary>Packs ([B, L1, H], [B, L1]) and ([B, L2, H], [B, L2]) → ([B, L1+L2, H], mask [B, L1+L2] of int64).</summary>
    public static (Tensor Hidden, Tensor Mask) Pack(Tensor first, Tensor firstMask, Tensor second, Tensor secondMask)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(firstMask);
        ArgumentNullException.ThrowIfNull(second);
        ArgumentNullException.ThrowIfNull(secondMask);
        using var scope = NewDisposeScope();
        var hidden = cat([first, second], dim: 1);                                                          // [B, L, H]
        var mask = cat([firstMask.to_type(ScalarType.Int64), secondMask.to_type(ScalarType.Int64)], dim: 1); // [B, L]

        // Valid tokens first, order kept: a stable descending sort of the 0/1 mask.
        var order = mask.sort(dim: 1, descending: true, stable: true).Indices;                              // [B, L]
        var gathered = hidden.gather(1, order.unsqueeze(-1).expand(hidden.shape));
        var length = mask.shape[1];
        var valid = arange(length, device: mask.device).unsqueeze(0).lt(mask.sum(dim: 1, keepdim: true));   // [B, L]
        return (gathered.MoveToOuterDisposeScope(), valid.to_type(ScalarType.Int64).MoveToOuterDisposeScope());
    }
}
