using AceStep.Engine.Kernels;
using AceStep.Engine.Model.Tests.Modules;

namespace AceStep.Engine.Model.Tests.Compact;

/// <summary>
/// The engine's few-row product over packed weights, against a double-precision reference over the values each format
/// stores (so a wrong conversion, layout, scale, tail or row split shows as an error far above float rounding).
/// </summary>
public class PackedMatrixTests
{
    // Widths with a SIMD tail (37, 24, 72 = 64 + 8), exact blocks (32, 1024), and row counts large enough to be split
    // across threads (300 rows ≥ 2 × 64) and small enough not to be; each on the 256-bit and the 512-bit kernel (the
    // bf16 layout's block differs between them).
    public static TheoryData<WeightFormat, int, int, int, bool> Shapes()
    {
        var data = new TheoryData<WeightFormat, int, int, int, bool>();
        foreach (var wide in new[] { false, true })
        {
            if (wide && !System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated)
                continue;
            foreach (var format in new[] { WeightFormat.Float32, WeightFormat.BFloat16, WeightFormat.Int8 })
            {
                data.Add(format, 300, 37, 2, wide);
                data.Add(format, 7, 32, 1, wide);
                data.Add(format, 129, 1024, 3, wide);
                data.Add(format, 5, 24, 5, wide);
                data.Add(format, 9, 72, 4, wide);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Products_equal_the_reference_over_the_stored_values(WeightFormat format, int rows, int columns, int m, bool wide)
    {
        var w = Random(rows * columns, seed: rows + columns);
        var x = Random(m * columns, seed: 7);
        using var packed = PackedMatrix.Pack(w, rows, columns, format, wide);
        var stored = new float[rows * columns];
        packed.Dequantise(0, rows, stored);
        var y = new float[m * rows];
        packed.Multiply(x, m, y);

        var reference = Reference(stored, rows, columns, x, m);
        AssertClose(reference, y, 1e-5, $"{format} [{rows}×{columns}] × {m} rows, {(wide ? 512 : 256)}-bit");
        // And the stored values are what the format promises of the original weight.
        var worst = w.Zip(stored, (a, b) => Math.Abs(a - b)).Max();
        var bound = format switch { WeightFormat.Float32 => 0, WeightFormat.BFloat16 => 1.0 / 256, _ => 1.0 / 127 };
        Assert.True(worst <= bound * 1.0001, $"{format}: a stored value is {worst} from the weight (allowed {bound} for |w| ≤ 1)");
    }

    [Fact]
    public void A_block_of_rows_equals_that_block_of_the_full_product()
    {
        const int rows = 200, columns = 40, m = 2;
        var w = Random(rows * columns, seed: 3);
        var x = Random(m * columns, seed: 4);
        using var packed = PackedMatrix.Pack(w, rows, columns, WeightFormat.BFloat16);
        var full = new float[m * rows];
        packed.Multiply(x, m, full);
        var block = new float[m * 64];
        packed.Multiply(x, m, block, firstRow: 100, rowCount: 64);
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < 64; j++)
                Assert.Equal(full[i * rows + 100 + j], block[i * 64 + j]);
        }
    }

    [Fact]
    public void A_wrapped_fp32_buffer_is_read_in_place()
    {
        var w = Random(12 * 20, seed: 5);
        var x = Random(20, seed: 6);
        var y = new float[12];
        var pin = System.Runtime.InteropServices.GCHandle.Alloc(w, System.Runtime.InteropServices.GCHandleType.Pinned);
        try
        {
            using var wrapped = Wrap(pin.AddrOfPinnedObject(), 12, 20);
            w[3 * 20] += 1; // the product must see the change: nothing was copied
            wrapped.Multiply(x, 1, y);
        }
        finally
        {
            pin.Free();
        }

        AssertClose(Reference(w, 12, 20, x, 1), y, 1e-6, "wrapped");
    }

    [Fact]
    public void BFloat16_rounds_to_nearest_even()
    {
        Assert.Equal(0x3F80, BFloat16.FromSingle(1.0f));
        Assert.Equal(0x3F80, BFloat16.FromSingle(BitConverter.UInt32BitsToSingle(0x3F808000))); // tie, even stays
        Assert.Equal(0x3F82, BFloat16.FromSingle(BitConverter.UInt32BitsToSingle(0x3F818000))); // tie, odd rounds up
        Assert.Equal(0x3F81, BFloat16.FromSingle(BitConverter.UInt32BitsToSingle(0x3F808001))); // above the tie
        Assert.True(float.IsNaN(BFloat16.ToSingle(BFloat16.FromSingle(float.NaN))));
    }

    [Fact]
    public void Bad_shapes_and_values_are_refused_with_the_numbers()
    {
        var w = Random(6, seed: 1);
        // 6 values cannot be a [4, 2] matrix.
        var wrongCount = Assert.Throws<ArgumentException>(() => PackedMatrix.Pack(w, 4, 2, WeightFormat.Int8));
        Assert.Contains("[4, 2]", wrongCount.Message, StringComparison.Ordinal);

        using var packed = PackedMatrix.Pack(w, 3, 2, WeightFormat.Float32);
        // Two activation rows of 2 need 4 values, not 3; rows 2..3 run past the matrix's 3.
        Assert.Throws<ArgumentException>(() => packed.Multiply(new float[3], 2, new float[6]));
        Assert.Throws<ArgumentException>(() => packed.Multiply(new float[2], 1, new float[2], firstRow: 2, rowCount: 2));
        Assert.Throws<ArgumentException>(() => packed.Multiply(new float[2], 1, new float[1]));

        // int8 has no code for infinity: a checkpoint with one must be refused, not silently saturated.
        var infinite = new[] { 1f, float.PositiveInfinity };
        var error = Assert.Throws<ArgumentException>(() => PackedMatrix.Pack(infinite, 1, 2, WeightFormat.Int8));
        Assert.Contains("not finite", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Disposed_matrices_refuse_work()
    {
        var packed = PackedMatrix.Pack(Random(4, seed: 2), 2, 2, WeightFormat.BFloat16);
        packed.Dispose();
        Assert.Throws<ObjectDisposedException>(() => packed.Multiply(new float[2], 1, new float[2]));
    }

    private static unsafe PackedMatrix Wrap(IntPtr data, int rows, int columns) => PackedMatrix.Wrap((float*)data, rows, columns);

    internal static float[] Random(int count, int seed)
    {
        var random = new Random(seed);
        var values = new float[count];
        for (var i = 0; i < count; i++)
            values[i] = (float)(random.NextDouble() * 2 - 1);
        return values;
    }

    // x [m, columns] · Wᵀ in double precision over the values given.
    private static double[] Reference(float[] w, int rows, int columns, float[] x, int m) =>
        Naive.Linear(Array.ConvertAll(x, v => (double)v), m, columns, Array.ConvertAll(w, v => (double)v), rows);

    private static void AssertClose(double[] expected, float[] actual, double relative, string what)
    {
        var scale = expected.Max(Math.Abs);
        for (var i = 0; i < expected.Length; i++)
        {
            var error = Math.Abs(expected[i] - actual[i]);
            Assert.True(error <= relative * scale, $"{what}: element {i} is {actual[i]}, expected {expected[i]} (error {error:E2}, scale {scale:E2})");
        }
    }
}
