using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace AceStep.Engine.Kernels;

// How the product kernels read 16 consecutive values of a stored row as fp32. One struct per format so the JIT
// specialises the loops (no per-value branch or call).
internal unsafe interface IRowFormat
{
    static abstract int BytesPerValue { get; }

    static abstract void Load16(byte* row, int index, out Vector256<float> low, out Vector256<float> high);

    // One value of the row's tail (the columns after its last whole block of 16).
    static abstract float At(byte* row, int index);
}

internal unsafe struct Float32Rows : IRowFormat
{
    public static int BytesPerValue => 4;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Load16(byte* row, int index, out Vector256<float> low, out Vector256<float> high)
    {
        var p = (float*)row + index;
        low = Vector256.Load(p);
        high = Vector256.Load(p + 8);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float At(byte* row, int index) => ((float*)row)[index];
}

// bf16 is the upper half of an fp32, so conversion is a shift — but widening 16 packed halves to 32-bit lanes
// crosses 128-bit lanes and costs shuffles the product cannot afford when two activation rows share each load. So
// every block of 16 values is stored interleaved (BFloat16Layout): each 32-bit lane holds value k in its low half and
// value k + 8 in its high half; a shift left gives values 0..7 and a mask gives 8..15, in place.
internal unsafe struct BFloat16Rows : IRowFormat
{
    public static int BytesPerValue => 2;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Load16(byte* row, int index, out Vector256<float> low, out Vector256<float> high)
    {
        var pairs = Vector256.Load((uint*)((ushort*)row + index));
        low = Vector256.ShiftLeft(pairs, 16).AsSingle();
        high = (pairs & Vector256.Create(0xFFFF0000u)).AsSingle();
    }

    // Only called for a row's tail beyond its last whole block, which is stored in order.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float At(byte* row, int index) => BFloat16.ToSingle(((ushort*)row)[index]);
}

/// <summary>
/// Where value i of a bf16 row is stored: within each whole block (16 values for the 256-bit kernel, 32 for the 512-bit
/// one), value k and value k + block/2 share a 32-bit lane (k low, k + block/2 high); a row's tail beyond its last whole
/// block is stored in order.
/// </summary>
internal static class BFloat16Layout
{
    public static int StoredIndex(int index, int columns, int block)
    {
        var start = index - (index % block);
        if (start + block > columns)
            return index;
        var k = index - start;
        var half = block / 2;
        return start + (k < half ? 2 * k : (2 * (k - half)) + 1);
    }
}

// int8 values as fp32; the row's scale is applied once to each finished dot product.
internal unsafe struct Int8Rows : IRowFormat
{
    public static int BytesPerValue => 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Load16(byte* row, int index, out Vector256<float> low, out Vector256<float> high)
    {
        var p = (sbyte*)row + index;
        if (Avx2.IsSupported)
        {
            // vpmovsxbd straight from memory: 8 values per instruction, no shuffles.
            low = Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(p));
            high = Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(p + 8));
            return;
        }

        var (s0, s1) = Vector128.Widen(Vector128.Load(p));
        var (lo, hi) = Vector256.Widen(Vector256.Create(s0, s1));
        low = Vector256.ConvertToSingle(lo);
        high = Vector256.ConvertToSingle(hi);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float At(byte* row, int index) => ((sbyte*)row)[index];
}

/// <summary>Conversions between fp32 and bfloat16 bit patterns.</summary>
public static class BFloat16
{
    /// <summary>The bf16 bits of <paramref name="value"/>, rounded to nearest even (NaN stays NaN).</summary>
    public static ushort FromSingle(float value)
    {
        var bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value))
            return (ushort)((bits >> 16) | 0x40);
        var rounding = 0x7FFFu + ((bits >> 16) & 1);
        return (ushort)((bits + rounding) >> 16);
    }

    /// <summary>The fp32 value of bf16 bits (exact).</summary>
    public static float ToSingle(ushort bits) => BitConverter.UInt32BitsToSingle((uint)bits << 16);
}
