using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AceStep.Engine.Kernels;

// y[m, r] = scale[r] · Σ_i W[r, i] · x[m, i] for the stored rows [begin, end) of one format. Activation rows are taken
// in pairs so each weight value is read once for both rows of a CFG pair (the conditional and unconditional rows of an
// LM decode step) — the one thing libtorch's CPU linear does badly at two rows.
internal static unsafe class RowProducts<TFormat>
    where TFormat : IRowFormat
{
    public static void Run(byte* weights, float* scales, int columns, float* x, int m, float* y, int yStride, int begin, int end, int yFirst)
    {
        var rowBytes = (long)columns * TFormat.BytesPerValue;
        for (var r = begin; r < end; r++)
        {
            var row = weights + r * rowBytes;
            var scale = scales is null ? 1f : scales[r];
            var column = r - yFirst;
            var i = 0;
            for (; i + 1 < m; i += 2)
            {
                Dot2(row, x + (long)i * columns, x + (long)(i + 1) * columns, columns, out var a, out var b);
                y[(long)i * yStride + column] = a * scale;
                y[(long)(i + 1) * yStride + column] = b * scale;
            }

            if (i < m)
                y[(long)i * yStride + column] = Dot1(row, x + (long)i * columns, columns) * scale;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Dot2(byte* row, float* x0, float* x1, int columns, out float a, out float b)
    {
        var a0 = Vector256<float>.Zero;
        var a1 = Vector256<float>.Zero;
        var b0 = Vector256<float>.Zero;
        var b1 = Vector256<float>.Zero;
        var i = 0;
        for (; i + 16 <= columns; i += 16)
        {
            TFormat.Load16(row, i, out var w0, out var w1);
            a0 = Vector256.FusedMultiplyAdd(w0, Vector256.Load(x0 + i), a0);
            a1 = Vector256.FusedMultiplyAdd(w1, Vector256.Load(x0 + i + 8), a1);
            b0 = Vector256.FusedMultiplyAdd(w0, Vector256.Load(x1 + i), b0);
            b1 = Vector256.FusedMultiplyAdd(w1, Vector256.Load(x1 + i + 8), b1);
        }

        a = Vector256.Sum(a0 + a1);
        b = Vector256.Sum(b0 + b1);
        for (; i < columns; i++)
        {
            var w = TFormat.At(row, i);
            a += w * x0[i];
            b += w * x1[i];
        }
    }

    // One activation row: four independent sums (32 values an iteration), since with a single row the FMA latency
    // chain, not memory, would otherwise set the pace.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Dot1(byte* row, float* x0, int columns)
    {
        var a0 = Vector256<float>.Zero;
        var a1 = Vector256<float>.Zero;
        var a2 = Vector256<float>.Zero;
        var a3 = Vector256<float>.Zero;
        var i = 0;
        for (; i + 32 <= columns; i += 32)
        {
            TFormat.Load16(row, i, out var w0, out var w1);
            TFormat.Load16(row, i + 16, out var w2, out var w3);
            a0 = Vector256.FusedMultiplyAdd(w0, Vector256.Load(x0 + i), a0);
            a1 = Vector256.FusedMultiplyAdd(w1, Vector256.Load(x0 + i + 8), a1);
            a2 = Vector256.FusedMultiplyAdd(w2, Vector256.Load(x0 + i + 16), a2);
            a3 = Vector256.FusedMultiplyAdd(w3, Vector256.Load(x0 + i + 24), a3);
        }

        for (; i + 16 <= columns; i += 16)
        {
            TFormat.Load16(row, i, out var w0, out var w1);
            a0 = Vector256.FusedMultiplyAdd(w0, Vector256.Load(x0 + i), a0);
            a1 = Vector256.FusedMultiplyAdd(w1, Vector256.Load(x0 + i + 8), a1);
        }

        var a = Vector256.Sum((a0 + a1) + (a2 + a3));
        for (; i < columns; i++)
            a += TFormat.At(row, i) * x0[i];
        return a;
    }
}
