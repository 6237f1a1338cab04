using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AceStep.Engine.Kernels;

internal struct Acc256
{
    public Vector256<float> Low;
    public Vector256<float> High;
}

internal struct Acc512
{
    public Vector512<float> Low;
    public Vector512<float> High;
}

// 256-bit lanes: 16 values a step, read by the format as two vectors of 8.
internal unsafe struct Lanes256<TFormat> : IRowKernel<Acc256>
    where TFormat : IRowFormat
{
    public static int Step => 16;

    public static int BytesPerValue => TFormat.BytesPerValue;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Accumulate(byte* row, int index, float* x, ref Acc256 acc)
    {
        TFormat.Load16(row, index, out var w0, out var w1);
        acc.Low = Vector256.FusedMultiplyAdd(w0, Vector256.Load(x), acc.Low);
        acc.High = Vector256.FusedMultiplyAdd(w1, Vector256.Load(x + 8), acc.High);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Accumulate2(byte* row, int index, float* x0, float* x1, ref Acc256 a, ref Acc256 b)
    {
        TFormat.Load16(row, index, out var w0, out var w1);
        a.Low = Vector256.FusedMultiplyAdd(w0, Vector256.Load(x0), a.Low);
        a.High = Vector256.FusedMultiplyAdd(w1, Vector256.Load(x0 + 8), a.High);
        b.Low = Vector256.FusedMultiplyAdd(w0, Vector256.Load(x1), b.Low);
        b.High = Vector256.FusedMultiplyAdd(w1, Vector256.Load(x1 + 8), b.High);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(in Acc256 acc) => Vector256.Sum(acc.Low + acc.High);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float At(byte* row, int index) => TFormat.At(row, index);
}

// 512-bit lanes (AVX-512): 32 values a step; half the instructions for the same bytes, which matters once two
// activation rows share each load and converting bf16/int8 rather than memory sets the pace.
internal unsafe struct Lanes512<TFormat> : IRowKernel<Acc512>
    where TFormat : IRowFormat512
{
    public static int Step => 32;

    public static int BytesPerValue => TFormat.BytesPerValue;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Accumulate(byte* row, int index, float* x, ref Acc512 acc)
    {
        TFormat.Load32(row, index, out var w0, out var w1);
        acc.Low = Vector512.FusedMultiplyAdd(w0, Vector512.Load(x), acc.Low);
        acc.High = Vector512.FusedMultiplyAdd(w1, Vector512.Load(x + 16), acc.High);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Accumulate2(byte* row, int index, float* x0, float* x1, ref Acc512 a, ref Acc512 b)
    {
        TFormat.Load32(row, index, out var w0, out var w1);
        a.Low = Vector512.FusedMultiplyAdd(w0, Vector512.Load(x0), a.Low);
        a.High = Vector512.FusedMultiplyAdd(w1, Vector512.Load(x0 + 16), a.High);
        b.Low = Vector512.FusedMultiplyAdd(w0, Vector512.Load(x1), b.Low);
        b.High = Vector512.FusedMultiplyAdd(w1, Vector512.Load(x1 + 16), b.High);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(in Acc512 acc) => Vector512.Sum(acc.Low + acc.High);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float At(byte* row, int index) => TFormat.At(row, index);
}
