using static TorchSharp.torch;

namespace AceStep.Engine.Model.Tests.Generation;

/// <summary>Bit-exact tensor comparison that does not broadcast (elementwise eq would hide a shape difference).</summary>
internal static class Exact
{
    public static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();
}
