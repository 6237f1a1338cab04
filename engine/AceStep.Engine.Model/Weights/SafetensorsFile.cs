using System.IO.MemoryMappedFiles;
using System.Text.Json;
using TorchSharp;

namespace AceStep.Engine.Model.Weights;

/// <summary>One tensor's entry in a safetensors header.</summary>
/// <param name="Name">The tensor's name in the file.</param>
/// <param name="DType">Element type as stored.</param>
/// <param name="Shape">Shape as stored (empty for a scalar).</param>
/// <param name="DataBegin">Start of its bytes, relative to the start of the data section.</param>
/// <param name="DataEnd">End (exclusive) of its bytes, relative to the start of the data section.</param>
public sealed record SafetensorsTensorInfo(string Name, SafetensorsDType DType, IReadOnlyList<long> Shape, long DataBegin, long DataEnd)
{
    /// <summary>Number of elements (1 for a scalar).</summary>
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>Number of bytes the tensor occupies.</summary>
    public long ByteLength => DataEnd - DataBegin;
}

/// <summary>
/// A memory-mapped, read-only safetensors file: an 8-byte little-endian header length N, N bytes of JSON header
/// (name → {dtype, shape, data_offsets}, plus an optional <c>__metadata__</c> string map), then the data section.
/// The whole header is validated on open (offsets inside the file, sizes matching shape × dtype, no overlaps, known
/// dtypes), so later reads cannot run off the mapping. Tensors are copied once, from the mapped view straight into
/// the new tensor's storage; the file stays mapped until <see cref="Dispose"/>.
/// </summary>
public sealed unsafe class SafetensorsFile : IDisposable
{
    /// <summary>Largest header accepted (the reference implementation's limit).</summary>
    public const long MaxHeaderBytes = 100L * 1024 * 1024;

    private readonly MemoryMappedFile? _map;
    private readonly MemoryMappedViewAccessor? _view;
    private readonly Dictionary<string, SafetensorsTensorInfo> _tensors;
    private byte* _base;
    private bool _disposed;

    private SafetensorsFile(string path, MemoryMappedFile? map, MemoryMappedViewAccessor? view, byte* basePointer, long dataStart,
        Dictionary<string, SafetensorsTensorInfo> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        FilePath = path;
        _map = map;
        _view = view;
        _base = basePointer;
        DataStart = dataStart;
        _tensors = tensors;
        Metadata = metadata;
    }

    /// <summary>Full path of the file.</summary>
    public string FilePath { get; }

    /// <summary>Byte offset of the data section in the file (8 + header length).</summary>
    public long DataStart { get; }

    /// <summary>The <c>__metadata__</c> map of the header (empty when absent).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>All tensors by name.</summary>
    public IReadOnlyDictionary<string, SafetensorsTensorInfo> Tensors => _tensors;

    /// <summary>Opens and validates a safetensors file.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="CheckpointFormatException">The file is not a valid safetensors file.</exception>
    public static SafetensorsFile Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        path = Path.GetFullPath(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Safetensors file not found: {path}", path);
        var length = new FileInfo(path).Length;
        if (length < 8)
            throw Format(path, null, $"is truncated: {length} bytes, shorter than the 8-byte header length");

        var map = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        MemoryMappedViewAccessor? view = null;
        var acquired = false;
        try
        {
            view = map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            byte* pointer = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            acquired = true;
            pointer += view.PointerOffset;

            var headerLength = (long)System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(new ReadOnlySpan<byte>(pointer, 8));
            if (headerLength > MaxHeaderBytes || headerLength < 0)
                throw Format(path, null, $"declares a header of {(ulong)headerLength} bytes, more than the {MaxHeaderBytes}-byte limit (not a safetensors file?)");
            if (8 + headerLength > length)
                throw Format(path, null, $"is truncated: the header declares {headerLength} bytes but the file has {length - 8} after the length");

            var dataStart = 8 + headerLength;
            var (tensors, metadata) = ParseHeader(path, new ReadOnlySpan<byte>(pointer + 8, (int)headerLength), length - dataStart);
            return new SafetensorsFile(path, map, view, pointer, dataStart, tensors, metadata);
        }
        catch
        {
            if (acquired)
                view!.SafeMemoryMappedViewHandle.ReleasePointer();
            view?.Dispose();
            map.Dispose();
            throw;
        }
    }

    /// <summary>True when the file holds a tensor of that name.</summary>
    public bool Contains(string name) => _tensors.ContainsKey(name);

    /// <summary>The header entry of a tensor.</summary>
    /// <exception cref="KeyNotFoundException">No tensor of that name (the message names the file).</exception>
    public SafetensorsTensorInfo GetInfo(string name) =>
        _tensors.TryGetValue(name, out var info)
            ? info
            : throw new KeyNotFoundException($"Tensor '{name}' is not in {FilePath}.");

    /// <summary>
    /// Reads a tensor into a new TorchSharp tensor (owned by the caller, or by the caller's dispose scope). With no
    /// dtype/device it keeps the stored dtype on the CPU. A conversion to another dtype is done by libtorch (bf16 →
    /// fp32 is exact: bf16 is the high half of fp32); for a CUDA device the stored bytes are moved first and
    /// converted there, so only the stored size crosses the bus.
    /// </summary>
    /// <param name="name">Tensor name as stored.</param>
    /// <param name="dtype">Target dtype; null keeps the stored one.</param>
    /// <param name="device">Target device; null means the CPU.</param>
    public torch.Tensor ReadTensor(string name, torch.ScalarType? dtype = null, torch.Device? device = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var info = GetInfo(name);
        var stored = info.DType.ToScalarType();
        var raw = torch.empty(info.Shape.ToArray(), stored, torch.CPU);
        try
        {
            if (info.ByteLength > 0)
            {
                var source = _base + DataStart + info.DataBegin;
                Buffer.MemoryCopy(source, TensorMemory.DataPointer(raw), info.ByteLength, info.ByteLength);
                MappedPages.Release(source, info.ByteLength);
            }

            var targetType = dtype ?? stored;
            var targetDevice = device ?? torch.CPU;
            if (targetType == stored && targetDevice.type == DeviceType.CPU)
                return raw;

            torch.Tensor result;
            if (targetDevice.type == DeviceType.CPU)
            {
                result = raw.to(targetType);
            }
            else
            {
                using var moved = raw.to(targetDevice);
                result = moved.to(targetType);
            }

            raw.Dispose();
            return result;
        }
        catch
        {
            raw.Dispose();
            throw;
        }
    }

    /// <summary>Unmaps the file. Tensors already read stay valid (they own their storage).</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        if (_view is not null)
        {
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
            _view.Dispose();
        }

        _map?.Dispose();
        _base = null;
    }

    private static (Dictionary<string, SafetensorsTensorInfo>, IReadOnlyDictionary<string, string>) ParseHeader(
        string path, ReadOnlySpan<byte> header, long dataLength)
    {
        JsonDocument document;
        try
        {
            // The format allows trailing spaces as padding; JSON parsing ignores them.
            document = JsonDocument.Parse(header.ToArray());
        }
        catch (JsonException e)
        {
            throw new CheckpointFormatException($"Safetensors file {path}: the header is not valid JSON ({e.Message}).", e) { FilePath = path };
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw Format(path, null, "has a header that is not a JSON object");

            var tensors = new Dictionary<string, SafetensorsTensorInfo>(StringComparer.Ordinal);
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name == "__metadata__")
                {
                    if (property.Value.ValueKind != JsonValueKind.Object)
                        throw Format(path, null, "has a __metadata__ entry that is not an object");
                    foreach (var item in property.Value.EnumerateObject())
                        metadata[item.Name] = item.Value.ValueKind == JsonValueKind.String ? item.Value.GetString()! : item.Value.GetRawText();
                    continue;
                }

                var info = ParseEntry(path, property.Name, property.Value, dataLength);
                if (!tensors.TryAdd(info.Name, info))
                    throw Format(path, info.Name, "names the tensor twice");
            }

            CheckOverlaps(path, tensors.Values);
            return (tensors, metadata);
        }
    }

    private static SafetensorsTensorInfo ParseEntry(string path, string name, JsonElement entry, long dataLength)
    {
        if (entry.ValueKind != JsonValueKind.Object)
            throw Format(path, name, "has a header entry that is not an object");
        if (!entry.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
            throw Format(path, name, "has no dtype string");
        var dtypeText = dtypeElement.GetString()!;
        if (!SafetensorsDTypes.TryParse(dtypeText, out var dtype))
            throw Format(path, name, $"has unknown dtype '{dtypeText}' (supported: F32, F16, BF16, F64, I64, I32, I16, I8, U8, BOOL)");

        if (!entry.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array)
            throw Format(path, name, "has no shape array");
        var shape = new List<long>();
        foreach (var dim in shapeElement.EnumerateArray())
        {
            if (dim.ValueKind != JsonValueKind.Number || !dim.TryGetInt64(out var value) || value < 0)
                throw Format(path, name, $"has an invalid shape {shapeElement.GetRawText()}");
            shape.Add(value);
        }

        if (!entry.TryGetProperty("data_offsets", out var offsets) || offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2
            || !offsets[0].TryGetInt64(out var begin) || !offsets[1].TryGetInt64(out var end))
            throw Format(path, name, "has no valid data_offsets [begin, end]");
        if (begin < 0 || end < begin)
            throw Format(path, name, $"has invalid data_offsets [{begin}, {end}]");
        if (end > dataLength)
        {
            throw Format(path, name,
                $"is truncated or has out-of-range offsets: data_offsets [{begin}, {end}] reach past the {dataLength}-byte data section");
        }

        long expectedBytes;
        try
        {
            expectedBytes = checked(shape.Aggregate(1L, (a, b) => checked(a * b)) * dtype.ElementSize());
        }
        catch (OverflowException)
        {
            throw Format(path, name, $"has a shape too large to address: {ShapeText.Format(shape)}");
        }

        if (expectedBytes != end - begin)
        {
            throw Format(path, name,
                $"has data_offsets [{begin}, {end}] spanning {end - begin} bytes, but shape {ShapeText.Format(shape)} of {dtypeText} needs {expectedBytes}");
        }

        return new SafetensorsTensorInfo(name, dtype, shape, begin, end);
    }

    private static void CheckOverlaps(string path, IEnumerable<SafetensorsTensorInfo> tensors)
    {
        SafetensorsTensorInfo? previous = null;
        foreach (var info in tensors.Where(t => t.ByteLength > 0).OrderBy(t => t.DataBegin))
        {
            if (previous is not null && info.DataBegin < previous.DataEnd)
            {
                throw Format(path, info.Name,
                    $"has data_offsets [{info.DataBegin}, {info.DataEnd}] overlapping tensor '{previous.Name}' [{previous.DataBegin}, {previous.DataEnd}]");
            }

            previous = info;
        }
    }

    private static CheckpointFormatException Format(string path, string? tensor, string problem) =>
        new(tensor is null
            ? $"Safetensors file {path} {problem}."
            : $"Safetensors file {path}: tensor '{tensor}' {problem}.")
        { FilePath = path, TensorName = tensor };
}
