using System.Runtime.InteropServices;
using AceStep.Engine.Kernels;
using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Compact;

/// <summary>
/// A module whose [out, in] weight can be held other than as a plain fp32 parameter (<see cref="Projection"/>,
/// <see cref="TokenEmbedding"/>). <see cref="WeightPacking"/> finds them by their checkpoint name.
/// </summary>
public interface IPackableWeight
{
    /// <summary>How the weight is held now; null while it is the plain fp32 parameter.</summary>
    WeightHolding? Holding { get; }

    /// <summary>Holds the loaded fp32 weight as <paramref name="holding"/> (once; the fp32 values may be freed).</summary>
    void Hold(WeightHolding holding);

    /// <summary>
    /// x [B, in] times a block of the weight's rows → [B, rowCount] fp32 (an output head restricted to the rows that
    /// can win): on the packed kernel for a few fp32 CPU rows, else on libtorch over just that block.
    /// </summary>
    Tensor MultiplyRows(Tensor x, int firstRow, int rowCount);
}

/// <summary>
/// The weight state shared by the packable modules: the owner's parameter (registered as <c>weight</c>), its packed form
/// or bf16 replacement, and the products and conversions over whichever is held.
/// </summary>
internal sealed unsafe class PackableWeightState : IDisposable
{
    private PackedMatrix? _packed;

    public PackableWeightState(long rows, long columns)
    {
        if (rows > int.MaxValue || columns > int.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(rows), $"A [{rows}, {columns}] weight is too large to pack.");
        Rows = (int)rows;
        Columns = (int)columns;
    }

    public int Rows { get; }

    public int Columns { get; }

    public WeightHolding? Holding { get; private set; }

    /// <summary>The packed matrix, when held <see cref="WeightHolding.Packed"/>.</summary>
    public PackedMatrix? Packed => _packed;

    /// <summary>True when the parameter no longer holds the weight's values (packed in a compact format).</summary>
    public bool FloatReleased => _packed is { Format: not WeightFormat.Float32 };

    /// <summary>
    /// Applies <paramref name="holding"/> to <paramref name="weight"/> (the owner's fp32 CPU parameter) and returns the
    /// parameter the owner must register from now on: the same one, an empty tensor (packed compactly: the values live
    /// in the packed matrix) or a bf16 copy.
    /// </summary>
    public Tensor Hold(Tensor weight, WeightHolding holding)
    {
        ArgumentNullException.ThrowIfNull(holding);
        if (Holding is not null)
            throw new InvalidOperationException($"This weight is already held ({Holding.Describe()}).");
        if (weight.dtype != ScalarType.Float32 || !weight.is_contiguous())
            throw new InvalidOperationException($"Only a contiguous fp32 weight can be re-held, got {weight.dtype}.");
        if (weight.shape.Length != 2 || weight.shape[0] != Rows || weight.shape[1] != Columns)
            throw new InvalidOperationException($"Expected a [{Rows}, {Columns}] weight, got [{string.Join(", ", weight.shape)}].");

        Tensor result;
        switch (holding)
        {
            case WeightHolding.Packed packed:
                if (weight.device_type != DeviceType.CPU)
                    throw new InvalidOperationException("The packed kernel runs on the CPU; this weight lives on " + weight.device_type + ".");
                var data = (float*)Weights.TensorMemory.DataPointer(weight);
                if (packed.Format == WeightFormat.Float32)
                {
                    _packed = PackedMatrix.Wrap(data, Rows, Columns);
                    result = weight;
                }
                else
                {
                    _packed = PackedMatrix.Pack(new ReadOnlySpan<float>(data, checked(Rows * Columns)), Rows, Columns, packed.Format);
                    result = empty(0);
                }

                break;
            case WeightHolding.BFloat16Tensor:
                result = weight.to_type(ScalarType.BFloat16);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(holding), holding, null);
        }

        Holding = holding;
        return result;
    }

    /// <summary>x [..., in] → [..., out] on whatever is held (<paramref name="weight"/>: the registered parameter).</summary>
    public Tensor Linear(Tensor weight, Tensor x)
    {
        if (_packed is not null && UsesKernel(x))
            return Multiply(x, 0, Rows);
        switch (Holding)
        {
            case null:
            case WeightHolding.Packed { Format: WeightFormat.Float32 }:
                return nn.functional.linear(x, weight);
            case WeightHolding.BFloat16Tensor { Matmul: true }:
            {
                using var scope = NewDisposeScope();
                return nn.functional.linear(x.to_type(ScalarType.BFloat16), weight).to_type(x.dtype).MoveToOuterDisposeScope();
            }

            default:
            {
                using var scope = NewDisposeScope();
                return nn.functional.linear(x, Float32(weight, 0, Rows).to(x.device).to_type(x.dtype)).MoveToOuterDisposeScope();
            }
        }
    }

    /// <summary>The shared body of <see cref="IPackableWeight.MultiplyRows"/>.</summary>
    public Tensor MultiplyRows(Tensor weight, Tensor x, int firstRow, int rowCount)
    {
        if (x.dim() != 2 || x.shape[1] != Columns)
            throw new ArgumentException($"Expected activations [B, {Columns}], got [{string.Join(", ", x.shape)}].", nameof(x));
        if (firstRow < 0 || rowCount <= 0 || firstRow + (long)rowCount > Rows)
            throw new ArgumentOutOfRangeException(nameof(rowCount), $"Rows {firstRow}..{firstRow + (long)rowCount - 1} lie outside the weight's {Rows}.");
        if (_packed is not null && UsesKernel(x))
            return Multiply(x, firstRow, rowCount);

        using var scope = NewDisposeScope();
        // narrow() of the row-major weight is a contiguous view: only those rows are read. W · xᵀ rather than
        // linear(x, W): for the few rows of a decode step libtorch reads the weight 2–2.5× faster in this orientation
        // (CompactGemvBenchmarks, docs/performance.md).
        var block = Holding is WeightHolding.BFloat16Tensor { Matmul: true }
            ? weight.narrow(0, firstRow, rowCount).matmul(x.to_type(ScalarType.BFloat16).t())
            : Float32(weight, firstRow, rowCount).to(x.device).to_type(x.dtype).matmul(x.t());
        return block.t().to_type(ScalarType.Float32).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>Rows [firstRow, firstRow + rowCount) in fp32: a view of the fp32 parameter, else a new tensor.</summary>
    public Tensor Float32(Tensor weight, int firstRow, int rowCount)
    {
        if (FloatReleased)
        {
            var output = empty([rowCount, Columns], ScalarType.Float32);
            if (rowCount > 0)
                _packed!.Dequantise(firstRow, rowCount, MemoryMarshal.Cast<byte, float>(output.bytes));
            return output;
        }

        var rows = weight.narrow(0, firstRow, rowCount);
        return rows.dtype == ScalarType.Float32 ? rows : rows.to_type(ScalarType.Float32);
    }

    /// <summary>The rows of <paramref name="ids"/> from the compactly packed weight as a new fp32 tensor [ids, Columns].</summary>
    /// <exception cref="ArgumentOutOfRangeException">An id outside the weight's rows, named.</exception>
    public Tensor Gather(long[] ids)
    {
        var packed = _packed ?? throw new InvalidOperationException("The weight is not packed.");
        var output = empty([ids.Length, Columns], ScalarType.Float32);
        var rows = MemoryMarshal.Cast<byte, float>(output.bytes);
        for (var i = 0; i < ids.Length; i++)
        {
            if (ids[i] < 0 || ids[i] >= Rows)
            {
                output.Dispose();
                throw new ArgumentOutOfRangeException(nameof(ids), $"Token id {ids[i]} lies outside the table's {Rows} rows.");
            }

            packed.Dequantise((int)ids[i], 1, rows.Slice(i * Columns, Columns));
        }

        return output;
    }

    public void Dispose()
    {
        _packed?.Dispose();
        _packed = null;
    }

    /// <summary>A few fp32 CPU rows: the case the packed kernel is for.</summary>
    internal static bool UsesKernel(Tensor input) =>
        input.device_type == DeviceType.CPU
        && input.dtype == ScalarType.Float32
        && input.dim() >= 1
        && input.numel() / input.shape[^1] <= Projection.PackedRowLimit;

    // x [..., Columns] (fp32, CPU) → [..., rowCount]: rows firstRow.. of the packed weight.
    private Tensor Multiply(Tensor x, int firstRow, int rowCount)
    {
        using var scope = NewDisposeScope();
        var input = x.contiguous();
        var m = checked((int)(input.numel() / Columns));
        var shape = x.shape.ToArray();
        shape[^1] = rowCount;
        var output = empty(shape, ScalarType.Float32);
        var xs = MemoryMarshal.Cast<byte, float>(input.bytes);
        var ys = MemoryMarshal.Cast<byte, float>(output.bytes);
        _packed!.Multiply(xs, m, ys, firstRow, rowCount);
        return output.MoveToOuterDisposeScope();
    }
}
