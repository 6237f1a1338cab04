using System.Runtime.CompilerServices;

namespace AceStep.Engine.Kernels;

// A vector width's part of the product: TAcc holds two vector accumulators; one step multiplies Step consecutive
// stored values of a row with the same values of one or two activation rows (Lanes256, Lanes512).
internal unsafe interface IRowKernel<TAcc>
    where TAcc : struct
{
    static abstract int Step { get; }

    static abstract int BytesPerValue { get; }

    static abstract void Accumulate(byte* row, int index, float* x, ref TAcc acc);

    static abstract void Accumulate2(byte* row, int index, float* x0, float* x1, ref TAcc a, ref TAcc b);

    static abstract float Sum(in TAcc acc);

    // One value of the row's tail (the columns after its last whole step), stored in order.
    static abstract float At(byte* row, int index);
}

// y[m, r] = scale[r] · Σ_i W[r, i] · x[m, i] for the stored rows [begin, end). Activation rows are taken in pairs so
// each weight value is read once for both rows of a CFG pair (the conditional and unconditional rows of an LM decode
// step) — the one thing libtorch's CPU linear does badly at two rows.
internal static unsafe class RowProducts<TKernel, TAcc>
    where TKernel : IRowKernel<TAcc>
    where TAcc : struct
{
    public static void Run(byte* weights, float* scales, int columns, float* x, int m, float* y, int yStride, int begin, int end, int yFirst)
    {
        var rowBytes = (long)columns * TKernel.BytesPerValue;
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
        TAcc accA = default, accB = default;
        var i = 0;
        for (; i + TKernel.Step <= columns; i += TKernel.Step)
            TKernel.Accumulate2(row, i, x0 + i, x1 + i, ref accA, ref accB);

        a = TKernel.Sum(accA);
        b = TKernel.Sum(accB);
        for (; i < columns; i++)
        {
            var w = TKernel.At(row, i);
            a += w * x0[i];
            b += w * x1[i];
        }
    }

    // One activation row: two accumulator pairs (two steps an iteration), since with a single row the FMA latency
    // chain, not memory, would otherwise set the pace.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Dot1(byte* row, float* x0, int columns)
    {
        TAcc first = default, second = default;
        var i = 0;
        for (; i + (2 * TKernel.Step) <= columns; i += 2 * TKernel.Step)
        {
            TKernel.Accumulate(row, i, x0 + i, ref first);
            TKernel.Accumulate(row, i + TKernel.Step, x0 + i + TKernel.Step, ref second);
        }

        for (; i + TKernel.Step <= columns; i += TKernel.Step)
            TKernel.Accumulate(row, i, x0 + i, ref first);

        var a = TKernel.Sum(first) + TKernel.Sum(second);
        for (; i < columns; i++)
            a += TKernel.At(row, i) * x0[i];
        return a;
    }
}
