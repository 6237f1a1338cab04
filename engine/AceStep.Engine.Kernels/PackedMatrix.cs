using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace AceStep.Engine.Kernels;

/// <summary>
/// A weight matrix [rows, columns] (row-major, one row per output feature, as in a checkpoint's <c>linear.weight</c>)
/// held in a <see cref="WeightFormat"/> in native memory, with the products an LM decode step needs: a few activation
/// rows times the matrix's transpose, every weight byte read once for all of them and the rows split across cores.
/// Owns its memory (or, from <see cref="Wrap"/>, reads an fp32 buffer its creator keeps alive). Not thread-safe to
/// dispose while in use; concurrent products are fine.
/// </summary>
public sealed unsafe class PackedMatrix : IDisposable
{
    // Below this many rows per worker, splitting costs more than it saves (a 64-row slice of a 1024-wide fp32 matrix is
    // 256 KiB, tens of microseconds of reading).
    private const int MinRowsPerWorker = 64;

    private readonly bool _ownsValues;

    // The 512-bit kernel (AVX-512) or the 256-bit one; fixed at packing, since the bf16 layout's block follows it.
    private readonly bool _wide;
    private byte* _values;
    private float* _scales;

    private PackedMatrix(byte* values, float* scales, int rows, int columns, WeightFormat format, bool ownsValues, bool wide)
    {
        _wide = wide;
        _values = values;
        _scales = scales;
        Rows = rows;
        Columns = columns;
        Format = format;
        _ownsValues = ownsValues;
    }

    /// <summary>Output features (the product's width).</summary>
    public int Rows { get; }

    /// <summary>Input features.</summary>
    public int Columns { get; }

    /// <summary>How the values are stored.</summary>
    public WeightFormat Format { get; }

    /// <summary>Bytes a full product reads from the matrix (values and int8 scales).</summary>
    public long ByteCount => (long)Rows * Columns * Format.BytesPerValue() + (Format == WeightFormat.Int8 ? Rows * 4L : 0);

    /// <summary>The kernel this process uses: 512-bit where .NET accelerates Vector512 (AVX-512), else 256-bit.</summary>
    public static string KernelName => Vector512.IsHardwareAccelerated ? "avx512" : "avx2";

    /// <summary>Stores a copy of <paramref name="weights"/> [rows·columns] in <paramref name="format"/>.</summary>
    /// <exception cref="ArgumentException">The span does not hold rows·columns values.</exception>
    public static PackedMatrix Pack(ReadOnlySpan<float> weights, int rows, int columns, WeightFormat format) =>
        Pack(weights, rows, columns, format, Vector512.IsHardwareAccelerated);

    // wide: the 512-bit kernel (tests choose both).
    internal static PackedMatrix Pack(ReadOnlySpan<float> weights, int rows, int columns, WeightFormat format, bool wide)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        if (weights.Length != (long)rows * columns)
            throw new ArgumentException($"Expected {(long)rows * columns} values for [{rows}, {columns}], got {weights.Length}.", nameof(weights));

        var count = (long)rows * columns;
        var values = NativeBuffer.Allocate((nuint)(count * format.BytesPerValue()));
        float* scales = null;
        try
        {
            switch (format)
            {
                case WeightFormat.Float32:
                    weights.CopyTo(new Span<float>(values, weights.Length));
                    break;
                case WeightFormat.BFloat16:
                    var halves = new Span<ushort>(values, weights.Length);
                    for (var r = 0; r < rows; r++)
                    {
                        var row = weights.Slice(r * columns, columns);
                        var target = halves.Slice(r * columns, columns);
                        for (var i = 0; i < columns; i++)
                            target[BFloat16Layout.StoredIndex(i, columns, wide ? 32 : 16)] = BFloat16.FromSingle(row[i]);
                    }
                    break;
                case WeightFormat.Int8:
                    scales = (float*)NativeBuffer.Allocate((nuint)(rows * 4L));
                    Quantise(weights, rows, columns, (sbyte*)values, scales);
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(format), format, null);
            }
        }
        catch
        {
            NativeBuffer.Free(values);
            if (scales is not null)
                NativeBuffer.Free(scales);
            throw;
        }

        return new PackedMatrix(values, scales, rows, columns, format, ownsValues: true, wide);
    }

    /// <summary>
    /// Reads fp32 weights in place (no copy): the caller keeps <paramref name="weights"/> [rows·columns] alive and
    /// unchanged for the matrix's lifetime.
    /// </summary>
    public static PackedMatrix Wrap(float* weights, int rows, int columns)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        return new PackedMatrix((byte*)weights, null, rows, columns, WeightFormat.Float32, ownsValues: false, Vector512.IsHardwareAccelerated);
    }

    /// <summary>
    /// y[m, j] = Σ_i W[firstRow + j, i] · x[m, i] for j &lt; <paramref name="rowCount"/>: <paramref name="m"/> activation
    /// rows [m, Columns] times a block of the matrix's rows, written to <paramref name="y"/> [m, rowCount].
    /// </summary>
    /// <exception cref="ArgumentException">A span is too short or the row block lies outside the matrix.</exception>
    public void Multiply(ReadOnlySpan<float> x, int m, Span<float> y, int firstRow, int rowCount)
    {
        ThrowIfDisposed();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(m);
        if (firstRow < 0 || rowCount <= 0 || firstRow + (long)rowCount > Rows)
            throw new ArgumentException($"Rows {firstRow}..{firstRow + (long)rowCount - 1} lie outside the matrix's {Rows}.", nameof(rowCount));
        if (x.Length < (long)m * Columns)
            throw new ArgumentException($"{m} activation rows of {Columns} need {(long)m * Columns} values, got {x.Length}.", nameof(x));
        if (y.Length < (long)m * rowCount)
            throw new ArgumentException($"The result needs {(long)m * rowCount} values, got {y.Length}.", nameof(y));

        fixed (float* xp = x)
        fixed (float* yp = y)
        {
            var job = new ProductJob(this, xp, m, yp, rowCount, firstRow);
            ParallelRows.Run(ref job, firstRow, rowCount, Threads(rowCount));
        }
    }

    /// <summary>The whole product: y [m, Rows] = x [m, Columns] · Wᵀ.</summary>
    public void Multiply(ReadOnlySpan<float> x, int m, Span<float> y) => Multiply(x, m, y, 0, Rows);

    /// <summary>Writes rows [firstRow, firstRow + rowCount) as fp32 into <paramref name="destination"/> [rowCount, Columns].</summary>
    public void Dequantise(int firstRow, int rowCount, Span<float> destination)
    {
        ThrowIfDisposed();
        if (firstRow < 0 || rowCount < 0 || firstRow + (long)rowCount > Rows)
            throw new ArgumentException($"Rows {firstRow}..{firstRow + (long)rowCount - 1} lie outside the matrix's {Rows}.", nameof(rowCount));
        if (destination.Length < (long)rowCount * Columns)
            throw new ArgumentException($"{rowCount} rows need {(long)rowCount * Columns} values, got {destination.Length}.", nameof(destination));

        fixed (float* dp = destination)
        {
            var job = new DequantiseJob(this, dp, firstRow);
            ParallelRows.Run(ref job, firstRow, rowCount, Threads(rowCount));
        }
    }

    /// <summary>Frees the stored values (a wrapped buffer is left to its owner).</summary>
    public void Dispose()
    {
        if (_values is null)
            return;
        if (_ownsValues)
            NativeBuffer.Free(_values);
        if (_scales is not null)
            NativeBuffer.Free(_scales);
        _values = null;
        _scales = null;
    }

    private static int Threads(int rowCount) => Math.Max(1, rowCount / MinRowsPerWorker);

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_values is null, this);

    private static void Quantise(ReadOnlySpan<float> weights, int rows, int columns, sbyte* values, float* scales)
    {
        for (var r = 0; r < rows; r++)
        {
            var row = weights.Slice(r * columns, columns);
            var max = 0f;
            foreach (var w in row)
                max = Math.Max(max, Math.Abs(w));
            if (!float.IsFinite(max))
                throw new ArgumentException($"Row {r} holds a value that is not finite; int8 cannot store it.", nameof(weights));
            var scale = max == 0 ? 1f : max / 127f;
            scales[r] = scale;
            var target = values + (long)r * columns;
            for (var i = 0; i < columns; i++)
                target[i] = (sbyte)Math.Clamp(MathF.Round(row[i] / scale, MidpointRounding.ToEven), -127, 127);
        }
    }

    private readonly struct ProductJob(PackedMatrix matrix, float* x, int m, float* y, int yStride, int yFirst) : IRowJob
    {
        public void Run(int begin, int end)
        {
            var values = matrix._values;
            var scales = matrix._scales;
            var columns = matrix.Columns;
            if (matrix._wide)
            {
                switch (matrix.Format)
                {
                    case WeightFormat.Float32:
                        RowProducts<Lanes512<Float32Rows512>, Acc512>.Run(values, null, columns, x, m, y, yStride, begin, end, yFirst);
                        break;
                    case WeightFormat.BFloat16:
                        RowProducts<Lanes512<BFloat16Rows512>, Acc512>.Run(values, null, columns, x, m, y, yStride, begin, end, yFirst);
                        break;
                    default:
                        RowProducts<Lanes512<Int8Rows512>, Acc512>.Run(values, scales, columns, x, m, y, yStride, begin, end, yFirst);
                        break;
                }

                return;
            }

            switch (matrix.Format)
            {
                case WeightFormat.Float32:
                    RowProducts<Lanes256<Float32Rows>, Acc256>.Run(values, null, columns, x, m, y, yStride, begin, end, yFirst);
                    break;
                case WeightFormat.BFloat16:
                    RowProducts<Lanes256<BFloat16Rows>, Acc256>.Run(values, null, columns, x, m, y, yStride, begin, end, yFirst);
                    break;
                default:
                    RowProducts<Lanes256<Int8Rows>, Acc256>.Run(values, scales, columns, x, m, y, yStride, begin, end, yFirst);
                    break;
            }
        }
    }

    private readonly struct DequantiseJob(PackedMatrix matrix, float* destination, int firstRow) : IRowJob
    {
        public void Run(int begin, int end)
        {
            var columns = matrix.Columns;
            for (var r = begin; r < end; r++)
            {
                var target = new Span<float>(destination + (long)(r - firstRow) * columns, columns);
                switch (matrix.Format)
                {
                    case WeightFormat.Float32:
                        new ReadOnlySpan<float>(matrix._values + (long)r * columns * 4, columns).CopyTo(target);
                        break;
                    case WeightFormat.BFloat16:
                        RowConversions.FromBFloat16(new ReadOnlySpan<ushort>(matrix._values + (long)r * columns * 2, columns), target, matrix._wide ? 32 : 16);
                        break;
                    default:
                        RowConversions.FromInt8(new ReadOnlySpan<sbyte>(matrix._values + (long)r * columns, columns), matrix._scales[r], target);
                        break;
                }
            }
        }
    }
}
