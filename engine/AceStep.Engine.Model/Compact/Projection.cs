using AceStep.Engine.Kernels;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Compact;

/// <summary>
/// A linear layer without bias, y = x · Wᵀ, with the checkpoint's <c>weight</c> [out, in] — nn.Linear's computation and
/// initialisation, plus a packed form of the weight (<see cref="Pack"/>). Products over at most
/// <see cref="PackedRowLimit"/> rows of fp32 CPU activations (an LM decode step: one token per row) run on the engine's
/// own kernel over the packed weight, reading each weight byte once for all rows; larger products use libtorch's GEMM
/// on the fp32 weight (or, once a compact format has freed it, on a temporary fp32 copy).
/// </summary>
public sealed class Projection : nn.Module<Tensor, Tensor>, IPackableWeight
{
    /// <summary>The most activation rows the packed kernel takes; more go to libtorch's GEMM.</summary>
    public const int PackedRowLimit = 8;

    private readonly PackableWeightState _state;

    /// <summary>Creates the layer with nn.Linear's default (seeded) initialisation, unless
    /// <see cref="ParameterInitialisation.Skip"/> is in effect.</summary>
    public Projection(long inFeatures, long outFeatures) : base(nameof(Projection))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inFeatures);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outFeatures);
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        _state = new PackableWeightState(outFeatures, inFeatures);
        var w = empty(outFeatures, inFeatures);
        if (!ParameterInitialisation.IsSkipped)
            nn.init.kaiming_uniform_(w, Math.Sqrt(5));
        weight = new Parameter(w);
        register_parameter("weight", weight);
    }

    /// <summary>Input features.</summary>
    public long InFeatures { get; }

    /// <summary>Output features.</summary>
    public long OutFeatures { get; }

    /// <summary>The fp32 weight [out, in]; an empty tensor once a compact format has replaced it.</summary>
#pragma warning disable IDE1006, CA1707 // the checkpoint's (and nn.Linear's) name
    public Parameter weight { get; private set; }
#pragma warning restore IDE1006, CA1707

    /// <inheritdoc />
    public WeightFormat? PackedFormat => _state.Format;

    /// <inheritdoc />
    public void Pack(WeightFormat format)
    {
        if (_state.Pack(weight, format))
            weight = ReleaseFloat32();
    }

    /// <inheritdoc />
    public Tensor MultiplyRows(Tensor x, int firstRow, int rowCount) => _state.MultiplyRows(weight, x, firstRow, rowCount);

    /// <summary>x [..., in] → [..., out].</summary>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (_state.Packed is not null && UsesKernel(input))
            return _state.Multiply(input, 0, _state.Rows);
        if (!_state.FloatReleased)
            return nn.functional.linear(input, weight);

        using var scope = NewDisposeScope();
        var full = _state.Dequantise(0, _state.Rows).to(input.device).to_type(input.dtype);
        return nn.functional.linear(input, full).MoveToOuterDisposeScope();
    }

    /// <summary>The fp32 weight, whatever the held format (a copy when packed compactly).</summary>
    public Tensor Float32Weight() => _state.FloatReleased ? _state.Dequantise(0, _state.Rows) : weight.to_type(ScalarType.Float32);

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _state.Dispose();
        base.Dispose(disposing);
    }

    internal static bool UsesKernel(Tensor input) =>
        input.device_type == DeviceType.CPU
        && input.dtype == ScalarType.Float32
        && input.dim() >= 1
        && input.numel() / input.shape[^1] <= PackedRowLimit;

    private Parameter ReleaseFloat32()
    {
        var placeholder = new Parameter(empty(0), requires_grad: false);
        ConditionallyRegisterParameter("weight", placeholder);
        weight.Dispose();
        return placeholder;
    }
}
