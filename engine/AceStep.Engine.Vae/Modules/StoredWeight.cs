using static TorchSharp.torch;

namespace AceStep.Engine.Vae.Modules;

/// <summary>
/// A convolution's weight or bias as the activations need it. In the compact memory mode the VAE holds them in bf16
/// (<see cref="OobleckVae.HoldConvolutionsIn"/>) while it computes in fp32: each use converts its layer's weight,
/// a temporary of one layer's size; otherwise the parameter itself is used.
/// </summary>
internal static class StoredWeight
{
    /// <summary><paramref name="stored"/> in <paramref name="activations"/>'s dtype (the same tensor when it already is).</summary>
    public static Tensor? As(Tensor? stored, Tensor activations) =>
        stored is null || stored.dtype == activations.dtype ? stored : stored.to_type(activations.dtype);
}
