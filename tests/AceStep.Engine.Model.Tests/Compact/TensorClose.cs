using static TorchSharp.torch;

namespace AceStep.Engine.Model.Tests.Compact;

/// <summary>Closeness of two tensors as the largest absolute difference over the expected values' scale (at least 1).</summary>
internal static class TensorClose
{
    public static void Assert(Tensor expected, Tensor actual, double tolerance, string what)
    {
        var scale = Math.Max(1.0, expected.abs().max().item<float>());
        var error = (expected - actual).abs().max().item<float>() / scale;
        Xunit.Assert.True(error <= tolerance, $"{what}: max error {error:E2} of the values' scale (allowed {tolerance:E0})");
    }
}
