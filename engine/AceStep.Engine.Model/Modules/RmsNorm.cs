using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Modules;

/// <summary>
/// Qwen3-style RMS normalisation over the last dimension (spec §4.1): y = w ⊙ x / sqrt(mean(x², last) + eps).
/// Parameter: <c>weight</c> [dim].
/// </summary>
public sealed class RmsNorm : nn.Module<Tensor, Tensor>
{
    /// <summary>Creates the norm with a weight of ones (the checkpoint overwrites it).</summary>
    /// <param name="dim">Size of the normalised (last) dimension.</param>
    /// <param name="eps">Added to the mean square before the square root.</param>
    public RmsNorm(long dim, double eps = 1e-6) : base(nameof(RmsNorm))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dim);
        Dim = dim;
        Eps = eps;
        register_parameter("weight", new Parameter(ones(dim)));
    }

    /// <summary>Size of the normalised dimension.</summary>
    public long Dim { get; }

    /// <summary>The epsilon inside the square root.</summary>
    public double Eps { get; }

    // Looked up by name rather than held in a field: Module.to(...) swaps registered parameters for new objects and only
    // rebinds fields whose names equal the parameter names, which the underscore naming rule rules out.
    /// <summary>The per-channel scale, <c>weight</c> [dim].</summary>
    public Parameter Weight => get_parameter("weight") ?? throw new InvalidOperationException("RmsNorm lost its weight.");

    /// <summary>Normalises <paramref name="input"/> [..., dim]; the result has the input's dtype.</summary>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = NewDisposeScope();
        var inputType = input.dtype;
        // fp32 even for bf16/fp16 inputs: x² of activations in the hundreds overflows fp16 and loses bits in bf16.
        var x = input.to_type(ScalarType.Float32);
        var normed = x * rsqrt(x.square().mean([-1L], keepdim: true) + Eps);
        // Upstream rounds the normalised value to the input dtype before scaling by the weight; do the same.
        var y = Weight * normed.to_type(inputType);
        return y.to_type(inputType).MoveToOuterDisposeScope();
    }
}
