using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Quantization;

/// <summary>
/// Finite scalar quantization with symmetric levels (spec §4.7), pure maths without parameters. Each of the
/// <see cref="Dimensions"/> channels d is rounded to one of L_d evenly spaced values in [−1, 1]:
/// u = clamp(z, −1, 1); b = ⌊(L−1)(u+1)/2 + ½⌋ ∈ {0 … L−1}; code = b·2/(L−1) − 1; index = Σ_d b_d·basis_d with
/// basis = cumprod([1, L_0 … L_{D−2}]). Decoding: b_d = (index // basis_d) mod L_d. ACE-Step uses levels
/// [8, 8, 8, 5, 5, 5] (<see cref="AceStep"/>): basis [1, 8, 64, 512, 2560, 12800], 64 000 codes.
/// </summary>
public sealed class FsqCodebook
{
    private readonly int[] _levels;
    private readonly long[] _basis;
    private readonly double[] _halfWidths;
    private readonly double[] _softClampBounds;

    /// <summary>Creates a codebook with the given number of levels per dimension.</summary>
    /// <param name="levels">Levels per dimension, each at least 2; their product must fit in a long.</param>
    public FsqCodebook(IReadOnlyList<int> levels)
    {
        ArgumentNullException.ThrowIfNull(levels);
        if (levels.Count == 0)
        {
            throw new ArgumentException("At least one dimension is needed.", nameof(levels));
        }

        _levels = [.. levels];
        _basis = new long[_levels.Length];
        _halfWidths = new double[_levels.Length];
        _softClampBounds = new double[_levels.Length];
        long product = 1;
        for (var d = 0; d < _levels.Length; d++)
        {
            var level = _levels[d];
            if (level < 2)
            {
                throw new ArgumentOutOfRangeException(nameof(levels), level, "Every dimension needs at least 2 levels.");
            }

            _basis[d] = product;
            product = checked(product * level);
            _halfWidths[d] = (level - 1) / 2.0;
            _softClampBounds[d] = 1.0 + 1.0 / (level - 1);
        }

        CodebookSize = product;
    }

    /// <summary>The ACE-Step v1.5 audio-code codebook: levels [8, 8, 8, 5, 5, 5], 64 000 codes.</summary>
    public static FsqCodebook AceStep { get; } = new([8, 8, 8, 5, 5, 5]);

    /// <summary>Number of quantized dimensions (6 for ACE-Step).</summary>
    public int Dimensions => _levels.Length;

    /// <summary>Levels L_d per dimension.</summary>
    public IReadOnlyList<int> Levels => _levels;

    /// <summary>Mixed-radix place values basis_d = Π_{k&lt;d} L_k ([1, 8, 64, 512, 2560, 12800] for ACE-Step).</summary>
    public IReadOnlyList<long> Basis => _basis;

    /// <summary>Number of distinct codes Π_d L_d (64 000 for ACE-Step).</summary>
    public long CodebookSize { get; }

    /// <summary>Soft-clamp bounds c_d = 1 + 1/(L_d − 1) (8 → 1.142857, 5 → 1.25).</summary>
    public IReadOnlyList<double> SoftClampBounds => _softClampBounds;

    /// <summary>
    /// Soft clamp z [..., D] → tanh(z/c)·c per dimension (c = <see cref="SoftClampBounds"/>), in z's dtype. Values stay
    /// inside (−c, c); the hard clamp to [−1, 1] happens in <see cref="Quantize"/>.
    /// </summary>
    public Tensor SoftClamp(Tensor z)
    {
        CheckLastDim(z, nameof(z));
        using var scope = NewDisposeScope();
        var c = tensor(_softClampBounds, dtype: z.dtype, device: z.device);   // [D]
        return (tanh(z / c) * c).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Quantizes z [..., D] → (codes [..., D] on the symmetric grids, indices [...] long in 0 … size−1). Codes come in
    /// float64 when z is float64 and in float32 otherwise (bf16/fp16 inputs are widened first).
    /// </summary>
    public (Tensor Codes, Tensor Indices) Quantize(Tensor z)
    {
        CheckLastDim(z, nameof(z));
        using var scope = NewDisposeScope();
        var work = WorkType(z.dtype);
        var half = tensor(_halfWidths, dtype: work, device: z.device);                       // [D]
        var u = z.to_type(work).clamp(-1.0, 1.0);                                              // [..., D]
        var b = ((u + 1.0) * half + 0.5).floor_();                                             // [..., D] ∈ {0 … L−1}
        var codes = b / half - 1.0;
        var basis = tensor(_basis, dtype: ScalarType.Int64, device: z.device);                 // [D]
        var indices = (b.to_type(ScalarType.Int64) * basis).sum(-1);                           // [...]
        return (codes.MoveToOuterDisposeScope(), indices.MoveToOuterDisposeScope());
    }

    /// <summary>Decodes integer indices [...] (0 … size−1) → codes [..., D] in <paramref name="dtype"/> (float32 by default).</summary>
    public Tensor CodesFromIndices(Tensor indices, ScalarType dtype = ScalarType.Float32)
    {
        ArgumentNullException.ThrowIfNull(indices);
        if (!torch.is_integral(indices.dtype))
        {
            throw new ArgumentException($"Indices must be an integer tensor, got {indices.dtype}.", nameof(indices));
        }

        using var scope = NewDisposeScope();
        var work = WorkType(dtype);
        var basis = tensor(_basis, dtype: ScalarType.Int64, device: indices.device);          // [D]
        var levels = tensor(_levels.Select(l => (long)l).ToArray(), dtype: ScalarType.Int64, device: indices.device);
        var b = indices.to_type(ScalarType.Int64).unsqueeze(-1).floor_divide(basis).remainder(levels); // [..., D]
        var half = tensor(_halfWidths, dtype: work, device: indices.device);
        var codes = b.to_type(work) / half - 1.0;
        return codes.to_type(dtype).MoveToOuterDisposeScope();
    }

    private static ScalarType WorkType(ScalarType dtype) => dtype == ScalarType.Float64 ? ScalarType.Float64 : ScalarType.Float32;

    private void CheckLastDim(Tensor z, string name)
    {
        ArgumentNullException.ThrowIfNull(z, name);
        if (z.dim() == 0 || z.shape[^1] != Dimensions)
        {
            throw new ArgumentException($"Expected a last dimension of {Dimensions}, got shape [{string.Join(", ", z.shape)}].", name);
        }
    }
}
