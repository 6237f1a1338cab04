using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AceStep.Engine.Vae.Modules;

/// <summary>
/// A stride-1, dilation-1 <see cref="Conv1d"/> with few input or few output channels (the VAE's ends: 2 audio channels
/// in or out, 64 latent channels in, 128 latent-statistics channels out) as one matrix product. libtorch's direct
/// convolution ran these layers at about 0.05 of the GEMM rate, 80 ms for the decoder's last layer on 2 s of audio
/// although it is 0.3 GFLOP. With the narrow side on the inside of the product the shifted copies stay small:
/// few inputs — the k shifted copies of the input are gathered into [in·k, L] and multiplied by the weight
/// [out, in·k]; few outputs — the weight as [k·out, in] multiplies the input once and the k partial outputs are
/// summed at their shifts.
/// </summary>
internal static class NarrowConv
{
    /// <summary>conv(x) for x [B, in, L], the conv's own weight [out, in, k] and bias, zero padding, stride 1, dilation 1.</summary>
    public static Tensor Forward(Conv1d conv, Tensor x, long padding)
    {
        var weight = conv.weight!;
        long outputs = weight.shape[0], inputs = weight.shape[1], kernel = weight.shape[2];
        long batch = x.shape[0], length = x.shape[2];
        var outLength = length + 2 * padding - kernel + 1;
        using var scope = NewDisposeScope();
        Tensor y;
        if (inputs <= outputs)
        {
            // cols[b, i, j, t] = padded[b, i, t + j]: the weight's own [in, k] order, so it multiplies as [out, in·k].
            var padded = nn.functional.pad(x, [padding, padding]);     // [B, in, L + 2p], small: few channels
            var shifts = Enumerable.Range(0, (int)kernel).Select(j => padded.narrow(2, j, outLength)).ToArray();
            var cols = stack(shifts, 2).view(batch, inputs * kernel, outLength);
            y = weight.view(outputs, inputs * kernel).matmul(cols);    // [B, out, L']
        }
        else
        {
            // parts[b, j, o, t] = Σ_i w[o, i, j] · x[b, i, t]; y[b, o, t] = Σ_j parts[b, j, o, t + j − p] where that
            // index is inside x (the zero padding contributes nothing, so x itself is never padded or copied).
            var taps = weight.permute(2, 0, 1).reshape(kernel * outputs, inputs);
            var parts = taps.matmul(x).view(batch, kernel, outputs, length);
            y = zeros(batch, outputs, outLength, dtype: x.dtype, device: x.device);
            for (long j = 0; j < kernel; j++)
            {
                var first = Math.Max(0, padding - j);                  // first output t whose source t + j − p ≥ 0
                var end = Math.Min(outLength, length + padding - j);   // first output t whose source is ≥ L
                if (end > first)
                    y.narrow(2, first, end - first).add_(parts.select(1, j).narrow(2, first + j - padding, end - first));
            }
        }

        if (conv.bias is { } bias)
            y.add_(bias.view(1, outputs, 1));
        return y.MoveToOuterDisposeScope();
    }
}
