using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AceStep.Engine.Vae.Modules;

/// <summary>
/// Decoder block (diffusers <c>OobleckDecoderBlock</c>, spec §6.1): snake1 → conv_t1 (ConvTranspose1d in → out,
/// kernel 2s, stride s, padding ⌈s/2⌉) → res_unit1 (d 1) → res_unit2 (d 3) → res_unit3 (d 9). Parameters:
/// <c>snake1.*</c>, <c>conv_t1.{weight,bias}</c> with weight [in, out, 2s] (transposed-conv layout), <c>res_unit{1,2,3}.*</c>.
/// </summary>
public sealed class OobleckDecoderBlock : nn.Module<Tensor, Tensor>
{
    private readonly Snake1d _snake1;
    private readonly ConvTranspose1d _convT1;
    private readonly OobleckResidualUnit[] _units;

    /// <summary>Creates the block with TorchSharp's default (seeded) initialisation.</summary>
    /// <param name="input">Input width.</param>
    /// <param name="output">Output width.</param>
    /// <param name="stride">Upsampling factor s (even, so the output length is exactly s · L).</param>
    public OobleckDecoderBlock(long input, long output, int stride) : base(nameof(OobleckDecoderBlock))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(input);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(output);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stride);
        Stride = stride;
        _snake1 = new Snake1d(input);
        _convT1 = nn.ConvTranspose1d(input, output, 2 * stride, stride: stride, padding: (stride + 1) / 2);
        _units = OobleckResidualUnit.Dilations.Select(d => new OobleckResidualUnit(output, d)).ToArray();
        register_module("snake1", _snake1);
        register_module("conv_t1", _convT1);
        for (var i = 0; i < _units.Length; i++)
            register_module($"res_unit{i + 1}", _units[i]);
    }

    /// <summary>Upsampling factor.</summary>
    public int Stride { get; }

    /// <summary>Applies the block to x [B, in, L] → [B, out, s · L] (x is left as it was).</summary>
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
        _snake1.Apply(input, input);
        var h = _convT1.forward(input);                                 // [B, out, s·L]
        var scratch = empty_like(h);                                    // shared by the three units
        foreach (var unit in _units)
            unit.AddInPlace(h, scratch);                                // [B, out, s·L]
        return h.MoveToOuterDisposeScope();
    }
}
