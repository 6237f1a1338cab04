using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace AceStep.Engine.Kernels;

// The 512-bit twins of RowFormats (CPUs where .NET accelerates Vector512: AVX-512), reading 32 consecutive values.
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
