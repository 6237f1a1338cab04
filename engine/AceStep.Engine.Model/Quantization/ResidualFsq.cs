using AceStep.Engine.Model.Modules;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Quantization;

/// <summary>
/// The audio tokenizer's quantizer (spec §4.7): a residual FSQ with a single quantizer (scale 1), so
/// quantized = project_out(FSQ(softclamp(project_in(h)))). Parameters, named as in the checkpoint under
/// <c>tokenizer.quantizer.</c> (§4.9): <c>project_in.{weight,bias}</c> [D, dim] / [D] and <c>project_out.{weight,bias}</c>
/// [dim, D] / [dim], with D = 6 and dim = 2048 for ACE-Step. The FSQ maths runs in fp32 (fp64 for fp64 weights);
/// the projections run in the weights' dtype.
/// </summary>
public sealed class ResidualFsq : nn.Module
{
    private readonly Linear _projectIn;
    private readonly Linear _projectOut;

    /// <summary>Creates the quantizer with TorchSharp's default (seeded) initialisation.</summary>
    /// <param name="dim">Model width (2048 in the checkpoint).</param>
    /// <param name="codebook">FSQ levels; <see cref="FsqCodebook.AceStep"/> ([8, 8, 8, 5, 5, 5]) when null.</param>
    public ResidualFsq(long dim = 2048, FsqCodebook? codebook = null) : base(nameof(ResidualFsq))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dim);
        Dim = dim;
        Codebook = codebook ?? FsqCodebook.AceStep;
        _projectIn = nn.Linear(dim, Codebook.Dimensions, hasBias: true);
        _projectOut = nn.Linear(Codebook.Dimensions, dim, hasBias: true);
        register_module(TensorNames.ProjectIn, _projectIn);
        register_module(TensorNames.ProjectOut, _projectOut);
    }

    /// <summary>Model width.</summary>
    public long Dim { get; }

    /// <summary>The FSQ levels, basis and rounding maths.</summary>
    public FsqCodebook Codebook { get; }

    /// <summary>
    /// Quantizes h [..., dim] → (quantized [..., dim] in the weights' dtype, indices [..., 1] long — one column per
    /// quantizer, as the reference returns them).
    /// </summary>
    public (Tensor Quantized, Tensor Indices) Forward(Tensor h)
    {
        ArgumentNullException.ThrowIfNull(h);
        using var scope = NewDisposeScope();
        var z = _projectIn.forward(h.to_type(_projectIn.weight!.dtype));                       // [..., D]
        z = Codebook.SoftClamp(z.to_type(WorkType));
        var (codes, indices) = Codebook.Quantize(z);                                            // [..., D], [...]
        var quantized = _projectOut.forward(codes.to_type(_projectOut.weight!.dtype));          // [..., dim]
        return (quantized.MoveToOuterDisposeScope(), indices.unsqueeze(-1).MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Decodes indices [..., 1] (as <see cref="Forward"/> returns them, e.g. LM audio codes) → project_out(codes)
    /// [..., dim] in the weights' dtype.
    /// </summary>
    public Tensor FromIndices(Tensor indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        if (indices.dim() == 0 || indices.shape[^1] != 1)
        {
            throw new ArgumentException(
                $"Expected indices [..., 1] (one quantizer), got shape [{string.Join(", ", indices.shape)}].", nameof(indices));
        }

        using var scope = NewDisposeScope();
        var codes = Codebook.CodesFromIndices(indices.squeeze(-1), WorkType);                  // [..., D]
        return _projectOut.forward(codes.to_type(_projectOut.weight!.dtype)).MoveToOuterDisposeScope();
    }

    private ScalarType WorkType => _projectIn.weight!.dtype == ScalarType.Float64 ? ScalarType.Float64 : ScalarType.Float32;
}
