using System.Runtime.InteropServices;
using AceStep.Engine.Kernels;
using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Compact;

/// <summary>
/// A module whose [out, in] weight can be held as a <see cref="PackedMatrix"/> (<see cref="Projection"/>,
/// <see cref="TokenEmbedding"/>). <see cref="WeightPacking"/> finds them by their checkpoint name.
/// </summary>
public interface IPackableWeight
{
    /// <summary>The format the weight is held in now; null while it is a plain fp32 parameter only.</summary>
    WeightFormat? PackedFormat { get; }

    /// <summary>
    /// Holds the loaded weight as <paramref name="format"/>: fp32 reads the parameter in place (no copy, used for
    /// few-row products); bf16 and int8 store a compact copy and free the fp32 parameter, after which products over
    /// many rows use a temporary fp32 copy of the weight.
    /// </summary>
    void Pack(WeightFormat format);

    /// <summary>
    /// x [B, in] times a block of the weight's rows → [B, rowCount] (an output head restricted to the rows that can win):
    /// on the packed kernel for a few fp32 CPU rows, else on libtorch over just that block.
    /// </summary>
    Tensor MultiplyRows(Tensor x, int firstRow, int rowCount);
}

/// <summary>
/// The weight state shared by the packable modules: the fp32 parameter (registered as <c>weight</c> on the owner),
/// its packed form, and the products and conversions over either.
/// </summary>
internal sealed unsafe class PackableWeightState : IDisposable
{
    private PackedMatrix? _packed;
    private bool _floatReleased;

    public PackableWeightState(long rows, long columns)
    {
        if (rows > int.MaxValue || columns > int.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(rows), $"A [{rows}, {columns}] weight is too large to pack.");
        Rows = (int)rows;
        Columns = (int)columns;
    }

    public int Rows { get; }

    public int Columns { get; }

    public WeightFormat? Format => _packed?.Format;

    public bool FloatReleased => _floatReleased;

    public PackedMatrix? Packed => _packed;

    /// <summary>Packs <paramref name="weight"/> (the owner's fp32 CPU parameter); true when the owner must drop it.</summary>
    public bool Pack(Tensor weight, WeightFormat format)
    {
        if (_floatReleased)
            throw new InvalidOperationException($"This weight is already held as {Format?.Name()}; the fp32 values are gone.");
        if (weight.device_type != DeviceType.CPU || weight.dtype != ScalarType.Float32 || !weight.is_contiguous())
            throw new InvalidOperationException($"Only a contiguous fp32 CPU weight can be packed, got {weight.dtype} on {weight.device_type}.");
        if (weight.shape.Length != 2 || weight.shape[0] != Rows || weight.shape[1] != Columns)
            throw new InvalidOperationException($"Expected a [{Rows}, {Columns}] weight, got [{string.Join(", ", weight.shape)}].");

        _packed?.Dispose();
        var data = (float*)Weights.TensorMemory.DataPointer(weight);
        if (format == WeightFormat.Float32)
        {
            _packed = PackedMatrix.Wrap(data, Rows, Columns);
            return false;
        }

        _packed = PackedMatrix.Pack(new ReadOnlySpan<float>(data, checked(Rows * Columns)), Rows, Columns, format);
        _floatReleased = true;
        return true;
    }

    /// <summary>x [..., Columns] (fp32, CPU) → [..., rowCount]: rows firstRow.. of the packed weight.</summary>
    public Tensor Multiply(Tensor x, int firstRow, int rowCount)
    {
        var packed = _packed ?? throw new InvalidOperationException("The weight is not packed.");
        using var scope = NewDisposeScope();
        var input = x.contiguous();
        var m = checked((int)(input.numel() / Columns));
        var shape = x.shape.ToArray();
        shape[^1] = rowCount;
        var output = empty(shape, ScalarType.Float32);
        var xs = MemoryMarshal.Cast<byte, float>(input.bytes);
        var ys = MemoryMarshal.Cast<byte, float>(output.bytes);
        packed.Multiply(xs, m, ys, firstRow, rowCount);
        return output.MoveToOuterDisposeScope();
    }

    /// <summary>Rows [firstRow, firstRow + rowCount) as a new fp32 tensor [rowCount, Columns].</summary>
    public Tensor Dequantise(int firstRow, int rowCount)
    {
        var packed = _packed ?? throw new InvalidOperationException("The weight is not packed.");
        var output = empty([rowCount, Columns], ScalarType.Float32);
        if (rowCount > 0)
            packed.Dequantise(firstRow, rowCount, MemoryMarshal.Cast<byte, float>(output.bytes));
        return output;
    }

    /// <summary>The shared body of <see cref="IPackableWeight.MultiplyRows"/>; <paramref name="weight"/> is the owner's
    /// fp32 parameter (unused once released).</summary>
    public Tensor MultiplyRows(Tensor weight, Tensor x, int firstRow, int rowCount)
    {
        if (x.dim() != 2 || x.shape[1] != Columns)
            throw new ArgumentException($"Expected activations [B, {Columns}], got [{string.Join(", ", x.shape)}].", nameof(x));
        if (firstRow < 0 || rowCount <= 0 || firstRow + (long)rowCount > Rows)
            throw new ArgumentOutOfRangeException(nameof(rowCount), $"Rows {firstRow}..{firstRow + (long)rowCount - 1} lie outside the weight's {Rows}.");
        if (_packed is not null && Projection.UsesKernel(x))
            return Multiply(x, firstRow, rowCount);

        using var scope = NewDisposeScope();
        // narrow() of the row-major weight is a contiguous view: only those rows are read. W · xᵀ rather than
        // linear(x, W): for the few rows of a decode step libtorch reads the weight 2–2.5× faster in this orientation
        // (CompactGemvBenchmarks, docs/performance.md).
        var block = _floatReleased
            ? Dequantise(firstRow, rowCount).to(x.device).to_type(x.dtype)
            : weight.narrow(0, firstRow, rowCount);
        return block.matmul(x.t()).t().contiguous().MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        _packed?.Dispose();
        _packed = null;
    }
}
