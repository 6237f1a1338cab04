using static TorchSharp.torch;

namespace AceStep.Engine.Vae.Tests;

/// <summary>
/// Reference maths with plain loops over double arrays, deliberately independent of the modules' tensor code, for
/// one batch item [C, L] stored row-major.
/// </summary>
internal static class Naive
{
    public static double[] Data(Tensor t)
    {
        using var f = t.to_type(ScalarType.Float64).contiguous();
        return f.data<double>().ToArray();
    }

    /// <summary>Snake with log-scale α, β per channel: x + 1/(e^β + 1e-9) · sin²(e^α · x).</summary>
    public static double[] Snake(double[] x, int channels, double[] alpha, double[] beta)
    {
        var length = x.Length / channels;
        var y = new double[x.Length];
        for (var c = 0; c < channels; c++)
        {
            var a = Math.Exp(alpha[c]);
            var inv = 1.0 / (Math.Exp(beta[c]) + 1e-9);
            for (var t = 0; t < length; t++)
            {
                var v = x[c * length + t];
                var s = Math.Sin(a * v);
                y[c * length + t] = v + inv * s * s;
            }
        }

        return y;
    }

    /// <summary>Conv1d with zero padding: x [in, L], w [out, in, k] → [out, (L + 2p − d(k−1) − 1)/s + 1].</summary>
    public static double[] Conv1d(double[] x, int inChannels, double[] w, int outChannels, int kernel, double[]? bias,
        int stride = 1, int padding = 0, int dilation = 1)
    {
        var length = x.Length / inChannels;
        var outLength = (length + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1;
        var y = new double[outChannels * outLength];
        for (var o = 0; o < outChannels; o++)
        {
            for (var t = 0; t < outLength; t++)
            {
                var acc = bias?[o] ?? 0.0;
                for (var i = 0; i < inChannels; i++)
                {
                    for (var k = 0; k < kernel; k++)
                    {
                        var src = t * stride - padding + k * dilation;
                        if (src >= 0 && src < length)
                            acc += w[(o * inChannels + i) * kernel + k] * x[i * length + src];
                    }
                }

                y[o * outLength + t] = acc;
            }
        }

        return y;
    }

    /// <summary>ConvTranspose1d: x [in, L], w [in, out, k]; input j scatters into outputs j·s − p + k.</summary>
    public static double[] ConvTranspose1d(double[] x, int inChannels, double[] w, int outChannels, int kernel, double[] bias,
        int stride, int padding)
    {
        var length = x.Length / inChannels;
        var outLength = (length - 1) * stride - 2 * padding + kernel;
        var y = new double[outChannels * outLength];
        for (var o = 0; o < outChannels; o++)
        {
            for (var t = 0; t < outLength; t++)
                y[o * outLength + t] = bias[o];
        }

        for (var i = 0; i < inChannels; i++)
        {
            for (var j = 0; j < length; j++)
            {
                for (var o = 0; o < outChannels; o++)
                {
                    for (var k = 0; k < kernel; k++)
                    {
                        var dst = j * stride - padding + k;
                        if (dst >= 0 && dst < outLength)
                            y[o * outLength + dst] += x[i * length + j] * w[(i * outChannels + o) * kernel + k];
                    }
                }
            }
        }

        return y;
    }

    /// <summary>W = g · v / ‖v‖ with v [d0, rest…] row-major and the norm over each dim-0 slice.</summary>
    public static double[] WeightNorm(double[] g, double[] v)
    {
        var slice = v.Length / g.Length;
        var w = new double[v.Length];
        for (var d = 0; d < g.Length; d++)
        {
            double sum = 0;
            for (var j = 0; j < slice; j++)
                sum += v[d * slice + j] * v[d * slice + j];
            var scale = g[d] / Math.Sqrt(sum);
            for (var j = 0; j < slice; j++)
                w[d * slice + j] = v[d * slice + j] * scale;
        }

        return w;
    }

    public static double[] Add(double[] a, double[] b) => a.Zip(b, (x, y) => x + y).ToArray();

    public static void Close(double[] expected, Tensor actual, double tolerance)
    {
        var got = Data(actual);
        Assert.Equal(expected.Length, got.Length);
        var scale = Math.Max(1.0, expected.Max(Math.Abs));
        for (var i = 0; i < expected.Length; i++)
        {
            if (Math.Abs(expected[i] - got[i]) > tolerance * scale)
                Assert.Fail($"Element {i}: expected {expected[i]}, got {got[i]} (tolerance {tolerance} × {scale}).");
        }
    }
}
