using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace AceStep.Engine.Kernels;

// The 512-bit twins of RowFormats (CPUs where .NET accelerates Vector512: AVX-512), reading 32 consecutive values.
// Half the instructions of the 256-bit path for the same bytes, which matters when two activation rows share each load
// and the conversion of bf16/int8 sets the pace rather than memory.
internal unsafe interface IRowFormat512
{
    static abstract int BytesPerValue { get; }

    static abstract void Load32(byte* row, int index, out Vector512<float> low, out Vector512<float> high);

    // One value of the row's tail (the columns after its last whole block of 32).
    static abstract float At(byte* row, int index);
}

internal unsafe struct Float32Rows512 : IRowFormat512
{
    public static int BytesPerValue => 4;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Load32(byte* row, int index, out Vector512<float> low, out Vector512<float> high)
    {
        var p = (float*)row + index;
        low = Vector512.Load(p);
        high = Vector512.Load(p + 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float At(byte* row, int index) => ((float*)row)[index];
}

// Blocks of 32 interleaved like BFloat16Rows' blocks of 16: lane k holds value k low and value k + 16 high.
internal unsafe struct BFloat16Rows512 : IRowFormat512
{
    public static int BytesPerValue => 2;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Load32(byte* row, int index, out Vector512<float> low, out Vector512<float> high)
    {
        var pairs = Vector512.Load((uint*)((ushort*)row + index));
        low = Vector512.ShiftLeft(pairs, 16).AsSingle();
        high = (pairs & Vector512.Create(0xFFFF0000u)).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float At(byte* row, int index) => BFloat16.ToSingle(((ushort*)row)[index]);
}

internal unsafe struct Int8Rows512 : IRowFormat512
{
    public static int BytesPerValue => 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Load32(byte* row, int index, out Vector512<float> low, out Vector512<float> high)
    {
        // vpmovsxbd zmm from memory: 16 values per instruction.
        var p = (sbyte*)row + index;
        low = Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(Vector128.Load(p)));
        high = Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(Vector128.Load(p + 16)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float At(byte* row, int index) => ((sbyte*)row)[index];
}

// RowProducts over 512-bit vectors: same contract, 32 values an iteration per activation row.
internal static unsafe class RowProducts512<TFormat>
    where TFormat : IRowFormat512
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
        var a0 = Vector512<float>.Zero;
        var a1 = Vector512<float>.Zero;
        var b0 = Vector512<float>.Zero;
        var b1 = Vector512<float>.Zero;
        var i = 0;
        for (; i + 32 <= columns; i += 32)
        {
            TFormat.Load32(row, i, out var w0, out var w1);
            a0 = Vector512.FusedMultiplyAdd(w0, Vector512.Load(x0 + i), a0);
            a1 = Vector512.FusedMultiplyAdd(w1, Vector512.Load(x0 + i + 16), a1);
            b0 = Vector512.FusedMultiplyAdd(w0, Vector512.Load(x1 + i), b0);
            b1 = Vector512.FusedMultiplyAdd(w1, Vector512.Load(x1 + i + 16), b1);
        }

        a = Vector512.Sum(a0 + a1);
        b = Vector512.Sum(b0 + b1);
        for (; i < columns; i++)
        {
            var w = TFormat.At(row, i);
            a += w * x0[i];
            b += w * x1[i];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Dot1(byte* row, float* x0, int columns)
    {
        var a0 = Vector512<float>.Zero;
        var a1 = Vector512<float>.Zero;
        var a2 = Vector512<float>.Zero;
        var a3 = Vector512<float>.Zero;
        var i = 0;
        for (; i + 64 <= columns; i += 64)
        {
            TFormat.Load32(row, i, out var w0, out var w1);
            TFormat.Load32(row, i + 32, out var w2, out var w3);
            a0 = Vector512.FusedMultiplyAdd(w0, Vector512.Load(x0 + i), a0);
            a1 = Vector512.FusedMultiplyAdd(w1, Vector512.Load(x0 + i + 16), a1);
            a2 = Vector512.FusedMultiplyAdd(w2, Vector512.Load(x0 + i + 32), a2);
            a3 = Vector512.FusedMultiplyAdd(w3, Vector512.Load(x0 + i + 48), a3);
        }

        for (; i + 32 <= columns; i += 32)
        {
            TFormat.Load32(row, i, out var w0, out var w1);
            a0 = Vector512.FusedMultiplyAdd(w0, Vector512.Load(x0 + i), a0);
            a1 = Vector512.FusedMultiplyAdd(w1, Vector512.Load(x0 + i + 16), a1);
        }

        var a = Vector512.Sum((a0 + a1) + (a2 + a3));
        for (; i < columns; i++)
            a += TFormat.At(row, i) * x0[i];
        return a;
    }
}
