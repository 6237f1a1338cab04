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

    // Values of one slice of the upsampling's tap products (32 MiB of fp32): big enough for a full-rate GEMM.
    private const long ZSliceValues = 8L * 1024 * 1024;

    /// <summary>Upsampling factor.</summary>
    public int Stride { get; }

    // Input frames per slice of the upsampling's tap products; null: as many as fit ZSliceValues (tests slice finer).
    internal long? SliceFrames { get; set; }

    /// <summary>Applies the block to x [B, in, L] → [B, out, s · L] (x is left as it was).</summary>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = NewDisposeScope();
        return Consume(input.clone()).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The block on an input the caller owns and needs no longer: its contents are overwritten and it is freed once
    /// upsampled, before the residual units allocate their scratch (in the last block, at 48 kHz, each of these tensors
    /// is 128 channels per sample).
    /// </summary>
    internal Tensor Consume(Tensor input)
    {
        using var scope = NewDisposeScope();
        _snake1.Apply(input, input);
        var h = Upsample(input);                                        // [B, out, s·L]
        input.Dispose();
        var scratch = empty_like(h);                                    // shared by the three units
        foreach (var unit in _units)
            unit.AddInPlace(h, scratch);                                // [B, out, s·L]
        return h.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// conv_t1 as one matrix product and three strided copies or sums. With kernel 2s and stride s every output
    /// sample gets exactly two taps: from input frame q (tap r + p) and its neighbour (tap r + p ± s), p = s/2. So Z = Wᵀ x
    /// ([out·2s, in] · [in, L], every weight meeting every input once — the layer's FLOP count and no more) holds every
    /// tap's product, and each output phase is a shifted sum of two slices of Z. libtorch's transposed convolution
    /// ran this layer at 0.24–0.8 of the GEMM rate; this form at 0.5–1.0 (docs/performance.md).
    /// </summary>
    private Tensor Upsample(Tensor x)
    {
        var weight = StoredWeight.As(_convT1.weight, x)!;               // [in, out, 2s]
        var s = Stride;
        if (s % 2 != 0)
            return nn.functional.conv_transpose1d(x, weight, StoredWeight.As(_convT1.bias, x), stride: s, padding: (s + 1) / 2);   // odd strides: not in ACE-Step
        using var scope = NewDisposeScope();
        long batch = x.shape[0], inputs = weight.shape[0], outputs = weight.shape[1], frames = x.shape[2];
        var p = s / 2;
        var taps = weight.view(inputs, outputs * 2 * s).t();           // [out·2s, in], a transposed view (no copy)
        var y = empty(batch, outputs, frames, s, dtype: x.dtype, device: x.device);   // sample t = q·s + ρ
        // Z in slices of input frames (each with its neighbours on both sides) rather than whole: whole, it is twice the
        // block's output — 0.5 GB in the last block of a 10 s decode window at 48 kHz, the largest tensor of a take.
        var slice = SliceFrames ?? Math.Max(1, ZSliceValues / (outputs * 2 * s));
        for (long b = 0; b < batch; b++)
        {
            var item = y[b];                                           // [out, L, s]
            var source = x[b];                                         // [in, L]
            for (long first = 0; first < frames; first += slice)
            {
                var count = Math.Min(slice, frames - first);
                var from = Math.Max(0, first - 1);                     // frame q − 1 of the slice's first frame
                var to = Math.Min(frames, first + count + 1);          // frame q + 1 of its last
                // [out·2s, to − from] viewed [out, 2s, to − from]: (output channel, tap k, input frame n).
                using var z = taps.mm(source.narrow(1, from, to - from)).view(outputs, 2 * s, to - from);
                // Output sample t = q·s + ρ sits at t + p = q·s + ρ + p of the uncropped result. Every phase ρ reads
                // frame q at tap ρ + p; phases ρ < s − p also read frame q − 1 at tap s + ρ + p, and phases ρ ≥ s − p
                // frame q + 1 at tap ρ + p − s.
                item.narrow(1, first, count).copy_(z.narrow(1, p, s).narrow(2, first - from, count).transpose(1, 2));
                var withPrevious = Math.Max(first, 1);                 // output frames that have a frame before them
                var previousCount = first + count - withPrevious;
                if (previousCount > 0)
                {
                    item.narrow(2, 0, s - p).narrow(1, withPrevious, previousCount)
                        .add_(z.narrow(1, s + p, s - p).narrow(2, withPrevious - 1 - from, previousCount).transpose(1, 2));
                }

                var nextCount = Math.Min(first + count, frames - 1) - first;   // output frames that have a frame after them
                if (nextCount > 0)
                {
                    item.narrow(2, s - p, p).narrow(1, first, nextCount)
                        .add_(z.narrow(1, 0, p).narrow(2, first + 1 - from, nextCount).transpose(1, 2));
                }
            }
        }

        if (StoredWeight.As(_convT1.bias, x) is { } bias)
            y.add_(bias.view(1, outputs, 1, 1));
        return y.view(batch, outputs, frames * s).MoveToOuterDisposeScope();
    }
}
