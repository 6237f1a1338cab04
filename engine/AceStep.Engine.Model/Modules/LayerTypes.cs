namespace AceStep.Engine.Model.Modules;

/// <summary>
/// Which layers use sliding-window attention (spec §3.2 <c>layer_types</c>, §4.1): even indices are
/// <c>sliding_attention</c>, odd ones <c>full_attention</c>. Applies to the DiT and to every encoder stack, because
/// all of them index the same list.
/// </summary>
public static class LayerTypes
{
    /// <summary>Half-width of the sliding band (<c>sliding_window</c>): keys with |i − j| ≤ 128 are visible.</summary>
    public const int SlidingWindow = 128;

    /// <summary>True when layer <paramref name="layerIndex"/> attends within the sliding band.</summary>
    public static bool IsSliding(int layerIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(layerIndex);
        return layerIndex % 2 == 0;
    }
}
