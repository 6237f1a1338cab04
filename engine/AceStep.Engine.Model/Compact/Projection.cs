using static TorchSharp.torch;

namespace AceStep.Engine.Model.Compact;

/// <summary>
/// A linear layer without bias, y = x · Wᵀ, with the checkpoint's <c>weight</c> [out, in]: nn.Linear's computation and
/// initialisation, plus other ways to hold the weight once loaded (<see cref="WeightHolding"/>): packed for the engine's
/// few-row kernel (an LM decode step reads each weight byte once for both rows of its CFG pair), or as bf16 for half
/// the memory and, on CPUs with bf16 matrix instructions, faster products.
/// </summary>
public sealed class Projection : PackableModule
{
    /// <summary>The most activation rows the packed kernel takes; more go to libtorch's GEMM.</summary>
    public const int PackedRowLimit = 8;

    /// <summary>Creates the layer with nn.Linear's default (seeded) initialisation, unless
    /// <see cref="ParameterInitialisation.Skip"/> is in effect.</summary>
    public Projection(long inFeatures, long outFeatures)
        : base(nameof(Projection), outFeatures, inFeatures, w => nn.init.kaiming_uniform_(w, Math.Sqrt(5)))
    {
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
    }

    /// <summary>Input features.</summary>
    public long InFeatures { get; }

    /// <summary>Output features.</summary>
    public long OutFeatures { get; }

    /// <summary>x [..., in] → [..., out].</summary>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return State.Linear(weight, input);
    }
}
