using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace AceStep.Engine.Kernels;

/// <summary>Stored rows back to fp32 (for products over many activation rows, which libtorch's GEMM does best).</summary>
internal static class RowConversions
{
    public static void FromBFloat16(ReadOnlySpan<ushort> source, Span<float> destination, int block)
    {
        var i = 0;
        if (block == 32)
        {
            for (; i + 32 <= source.Length; i += 32)
            {
                var wide = Vector512.Create(MemoryMarshal.Cast<ushort, uint>(source.Slice(i, 32)));
                Vector512.ShiftLeft(wide, 16).AsSingle().CopyTo(destination.Slice(i, 16));
                (wide & Vector512.Create(0xFFFF0000u)).AsSingle().CopyTo(destination.Slice(i + 16, 16));
            }

            for (; i < source.Length; i++)
                destination[i] = BFloat16.ToSingle(source[i]);
            return;
        }

        for (; i + 16 <= source.Length; i += 16)
        {
            // The interleaved block layout of BFloat16Rows: low halves are values 0..7, high halves 8..15.
            var pairs = Vector256.Create(MemoryMarshal.Cast<ushort, uint>(source.Slice(i, 16)));
            Vector256.ShiftLeft(pairs, 16).AsSingle().CopyTo(destination.Slice(i, 8));
            (pairs & Vector256.Create(0xFFFF0000u)).AsSingle().CopyTo(destination.Slice(i + 8, 8));
        }

        for (; i < source.Length; i++)
            destination[i] = BFloat16.ToSingle(source[i]);
    }

    public static void FromInt8(ReadOnlySpan<sbyte> source, float scale, Span<float> destination)
    {
        var s = Vector256.Create(scale);
        var i = 0;
        for (; i + 16 <= source.Length; i += 16)
        {
            var (s0, s1) = Vector128.Widen(Vector128.Create(source.Slice(i, 16)));
            var (lo, hi) = Vector256.Widen(Vector256.Create(s0, s1));
            (Vector256.ConvertToSingle(lo) * s).CopyTo(destination.Slice(i, 8));
            (Vector256.ConvertToSingle(hi) * s).CopyTo(destination.Slice(i + 8, 8));
        }

        for (; i < source.Length; i++)
            destination[i] = source[i] * scale;
    }
}
