using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Tests.Modules;

/// <summary>
/// Reference maths with plain loops over double arrays, deliberately independent of the modules' tensor code, plus
/// small helpers to move data between tensors and arrays.
/// </summary>
internal static class Naive
{
    public static double[] Data(Tensor t)
    {
        using var f = t.to_type(ScalarType.Float64).contiguous();
        return f.data<double>().ToArray();
    }

    public static Dictionary<string, double[]> Parameters(nn.Module module) =>
        module.named_parameters().ToDictionary(p => p.name, p => Data(p.parameter));

    /// <summary>x [rows, in] · Wᵀ with W [out, in] row-major → [rows, out].</summary>
    public static double[] Linear(double[] x, int rows, int inDim, double[] w, int outDim)
    {
        var y = new double[rows * outDim];
        for (var r = 0; r < rows; r++)
        {
            for (var o = 0; o < outDim; o++)
            {
                double acc = 0;
                for (var i = 0; i < inDim; i++)
                {
                    acc += x[r * inDim + i] * w[o * inDim + i];
                }

                y[r * outDim + o] = acc;
            }
        }

        return y;
    }

    /// <summary>RMSNorm of each consecutive group of <paramref name="dim"/> values.</summary>
    public static double[] RmsNorm(double[] x, int dim, double[] w, double eps = 1e-6)
    {
        var y = new double[x.Length];
        for (var start = 0; start < x.Length; start += dim)
        {
            double sum = 0;
            for (var i = 0; i < dim; i++)
            {
                sum += x[start + i] * x[start + i];
            }

            var inv = 1.0 / Math.Sqrt(sum / dim + eps);
            for (var i = 0; i < dim; i++)
            {
                y[start + i] = w[i] * x[start + i] * inv;
            }
        }

        return y;
    }

    public static double Silu(double v) => v / (1.0 + Math.Exp(-v));

    /// <summary>Rotates one head vector (length d) at position <paramref name="pos"/>, written out pair by pair:
    /// element i &lt; d/2 pairs with i + d/2 and both turn by pos · θ^(−2i/d).</summary>
    public static double[] Rope(double[] v, int pos, double theta)
    {
        var d = v.Length;
        var half = d / 2;
        var r = new double[d];
        for (var i = 0; i < half; i++)
        {
            var angle = pos * Math.Pow(theta, -2.0 * i / d);
            var (a, b) = (v[i], v[i + half]);
            r[i] = a * Math.Cos(angle) - b * Math.Sin(angle);
            r[i + half] = b * Math.Cos(angle) + a * Math.Sin(angle);
        }

        return r;
    }

    /// <summary>
    /// Full ACE-Step self-attention for one batch item x [L, hidden] from named parameters (q_proj.weight …), with
    /// an optional visibility predicate visible(i, j). Loops only.
    /// </summary>
    public static double[] SelfAttention(double[] x, int length, int hidden, int heads, int kvHeads, int headDim, double theta,
        IReadOnlyDictionary<string, double[]> p, Func<int, int, bool>? visible = null, string prefix = "")
    {
        var q = Linear(x, length, hidden, p[prefix + "q_proj.weight"], heads * headDim);
        var k = Linear(x, length, hidden, p[prefix + "k_proj.weight"], kvHeads * headDim);
        var v = Linear(x, length, hidden, p[prefix + "v_proj.weight"], kvHeads * headDim);
        q = RmsNorm(q, headDim, p[prefix + "q_norm.weight"]);
        k = RmsNorm(k, headDim, p[prefix + "k_norm.weight"]);
        double[] Head(double[] m, int headsIn, int pos, int h) => m.AsSpan((pos * headsIn + h) * headDim, headDim).ToArray();

        var group = heads / kvHeads;
        var context = new double[length * heads * headDim];
        for (var h = 0; h < heads; h++)
        {
            var kvh = h / group;
            for (var i = 0; i < length; i++)
            {
                var qi = Rope(Head(q, heads, i, h), i, theta);
                var scores = new double[length];
                var max = double.NegativeInfinity;
                for (var j = 0; j < length; j++)
                {
                    if (visible is not null && !visible(i, j))
                    {
                        scores[j] = double.NegativeInfinity;
                        continue;
                    }

                    var kj = Rope(Head(k, kvHeads, j, kvh), j, theta);
                    double dot = 0;
                    for (var e = 0; e < headDim; e++)
                    {
                        dot += qi[e] * kj[e];
                    }

                    scores[j] = dot / Math.Sqrt(headDim);
                    max = Math.Max(max, scores[j]);
                }

                double norm = 0;
                for (var j = 0; j < length; j++)
                {
                    scores[j] = Math.Exp(scores[j] - max);
                    norm += scores[j];
                }

                for (var j = 0; j < length; j++)
                {
                    var vj = Head(v, kvHeads, j, kvh);
                    for (var e = 0; e < headDim; e++)
                    {
                        context[(i * heads + h) * headDim + e] += scores[j] / norm * vj[e];
                    }
                }
            }
        }

        return Linear(context, length, heads * headDim, p[prefix + "o_proj.weight"], hidden);
    }

    public static void AssertClose(double[] expected, double[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * (1 + Math.Abs(expected[i])),
                $"index {i}: expected {expected[i]}, got {actual[i]}");
        }
    }
}
