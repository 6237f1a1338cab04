using System.Numerics;

namespace AceStep.Engine.Kernels;

/// <summary>
/// The element-wise parts of a transformer decode step over a few fp32 rows in native memory, computed as the model's
/// libtorch path computes them (fp32 throughout): at one token per row each is a few microseconds of work, far less than
/// the cost of dispatching it as a tensor operation, which is why a decode step runs them here.
/// </summary>
public static unsafe class DecodeOps
{
    /// <summary>
    /// RMS normalisation of <paramref name="count"/> vectors of <paramref name="dim"/> values (rows, or heads within
    /// rows): y = w ⊙ x / sqrt(mean(x²) + eps). <paramref name="y"/> may be <paramref name="x"/>.
    /// </summary>
    public static void RmsNorm(float* x, float* weight, float* y, int count, int dim, float eps)
    {
        for (var r = 0; r < count; r++)
        {
            var v = x + ((long)r * dim);
            var squares = Dot(v, v, dim);
            var inverse = 1f / MathF.Sqrt((squares / dim) + eps);
            var target = y + ((long)r * dim);
            var i = 0;
            if (Vector.IsHardwareAccelerated)
            {
                var scale = new Vector<float>(inverse);
                for (; i + Vector<float>.Count <= dim; i += Vector<float>.Count)
                {
                    var normed = Vector.Load(x + ((long)r * dim) + i) * scale;
                    Vector.Store(Vector.Load(weight + i) * normed, target + i);
                }
            }

            for (; i < dim; i++)
                target[i] = weight[i] * (x[((long)r * dim) + i] * inverse);
        }
    }

    /// <summary>
    /// Rotary position embedding of <paramref name="heads"/> vectors of <paramref name="headDim"/> values in place, with
    /// the HF convention: x' = x ⊙ cos + rotate_half(x) ⊙ sin, rotate_half(x) = [−x[D/2:], x[:D/2]]; <paramref name="cos"/>
    /// and <paramref name="sin"/> are the row's position's table rows [D].
    /// </summary>
    public static void Rope(float* x, int heads, int headDim, float* cos, float* sin)
    {
        var half = headDim / 2;
        for (var h = 0; h < heads; h++)
        {
            var v = x + ((long)h * headDim);
            for (var i = 0; i < half; i++)
            {
                var a = v[i];
                var b = v[i + half];
                v[i] = (a * cos[i]) + (-b * sin[i]);
                v[i + half] = (b * cos[i + half]) + (a * sin[i + half]);
            }
        }
    }

    /// <summary>gate[i] = SiLU(gate[i]) · up[i] for <paramref name="count"/> values (the SwiGLU gating, in place).</summary>
    public static void SiluMultiply(float* gate, float* up, long count)
    {
        for (long i = 0; i < count; i++)
        {
            var g = gate[i];
            gate[i] = g / (1f + MathF.Exp(-g)) * up[i];
        }
    }

    /// <summary>x[i] += d[i] for <paramref name="count"/> values (a residual connection).</summary>
    public static void Add(float* x, float* d, long count)
    {
        long i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i + Vector<float>.Count <= count; i += Vector<float>.Count)
                Vector.Store(Vector.Load(x + i) + Vector.Load(d + i), x + i);
        }

        for (; i < count; i++)
            x[i] += d[i];
    }

    /// <summary>Σ a[i]·b[i] over <paramref name="n"/> values (vectorised, then the tail).</summary>
    internal static float Dot(float* a, float* b, int n)
    {
        var i = 0;
        var sum = 0f;
        if (Vector.IsHardwareAccelerated)
        {
            var acc = Vector<float>.Zero;
            for (; i + Vector<float>.Count <= n; i += Vector<float>.Count)
                acc += Vector.Load(a + i) * Vector.Load(b + i);
            sum = Vector.Sum(acc);
        }

        for (; i < n; i++)
            sum += a[i] * b[i];
        return sum;
    }
}
