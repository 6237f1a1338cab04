using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AceStep.Engine.Vae.Modules;

/// <summary>
/// Encoder block (diffusers <c>OobleckEncoderBlock</c>, spec §6.1): res_unit1 (d 1) → res_unit2 (d 3) → res_unit3
/// (d 9) → snake1 → conv1 (in → out, kernel 2s, stride s, padding ⌈s/2⌉). Parameters: <c>res_unit{1,2,3}.*</c>,
/// <c>snake1.*</c>, <c>conv1.{weight,bias}</c> [out, in, 2s].
/// </summary>
public sealed class OobleckEncoderBlock : nn.Module<Tensor, Tensor>
{
    private readonly OobleckResidualUnit[] _units;
    private readonly Snake1d _snake1;
    private readonly Conv1d _conv1;

    /// <summary>Creates the block with TorchSharp's default (seeded) initialisation.</summary>
    /// <param name="input">Input width.</param>
    /// <param name="output">Output width.</param>
    /// <param name="stride">Downsampling factor s (even, so the output length is exactly L / s).</param>
    public OobleckEncoderBlock(long input, long output, int stride) : base(nameof(OobleckEncoderBlock))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(input);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(output);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stride);
        Stride = stride;
        _units = OobleckResidualUnit.Dilations.Select(d => new OobleckResidualUnit(input, d)).ToArray();
        _snake1 = new Snake1d(input);
        _conv1 = nn.Conv1d(input, output, 2 * stride, stride: stride, padding: (stride + 1) / 2);
        for (var i = 0; i < _units.Length; i++)
            register_module($"res_unit{i + 1}", _units[i]);
        register_module("snake1", _snake1);
        register_module("conv1", _conv1);
    }

    /// <summary>Downsampling factor.</summary>
    public int Stride { get; }

    /// <summary>Applies the block to x [B, in, L] → [B, out, L / s] (x is left as it was).</summary>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = NewDisposeScope();
        return Consume(input.clone()).MoveToOuterDisposeScope();
    }

    /// <summary>The block on an input the caller owns and needs no longer: its contents are overwritten.</summary>
    internal Tensor Consume(Tensor input)
    {
        using var scope = NewDisposeScope();
        var scratch = empty_like(input);                                // shared by the three units
        foreach (var unit in _units)
            unit.AddInPlace(input, scratch);                            // [B, in, L]
        scratch.Dispose();
        _snake1.Apply(input, input);
        var weight = StoredWeight.As(_conv1.weight, input)!;
        return nn.functional.conv1d(input, weight, StoredWeight.As(_conv1.bias, input), stride: Stride, padding: (Stride + 1) / 2)
            .MoveToOuterDisposeScope();                                 // [B, out, L / s]
    }
}
