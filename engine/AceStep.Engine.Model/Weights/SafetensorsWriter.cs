using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using TorchSharp;

namespace AceStep.Engine.Model.Weights;

/// <summary>
/// Writes tensors in the official safetensors layout: u64 little-endian header length, the JSON header (tensors in
/// name order, each {dtype, shape, data_offsets}, then <c>__metadata__</c> when given) padded with spaces to a
/// multiple of 8 bytes, then each tensor's contiguous little-endian bytes back to back in the same order. Used by
/// tests to build small checkpoints and by tools to convert.
/// </summary>
public static class SafetensorsWriter
{
    /// <summary>Writes <paramref name="tensors"/> to <paramref name="path"/> (overwriting it).</summary>
    /// <param name="path">File to create.</param>
    /// <param name="tensors">Name → tensor, any device; each must have a dtype the format names (F32, F16, BF16, …).</param>
    /// <param name="metadata">Optional string map stored as <c>__metadata__</c>.</param>
    /// <exception cref="ArgumentException">A tensor has a dtype safetensors cannot store, or a name is empty or reserved.</exception>
    public static void Write(string path, IReadOnlyDictionary<string, torch.Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(tensors);

        var names = tensors.Keys.OrderBy(n => n, StringComparer.Ordinal).ToList();
        var dtypes = new Dictionary<string, SafetensorsDType>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (string.IsNullOrEmpty(name) || name == "__metadata__")
                throw new ArgumentException($"Tensor name '{name}' cannot be stored.", nameof(tensors));
            if (!SafetensorsDTypes.TryFromScalarType(tensors[name].dtype, out var dtype))
                throw new ArgumentException($"Tensor '{name}' has dtype {tensors[name].dtype}, which safetensors cannot store.", nameof(tensors));
            dtypes[name] = dtype;
        }

        var header = BuildHeader(names, tensors, dtypes, metadata);
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
        stream.Write(length);
        stream.Write(header);
        foreach (var name in names)
            WriteData(stream, tensors[name]);
    }

    private static byte[] BuildHeader(List<string> names, IReadOnlyDictionary<string, torch.Tensor> tensors,
        Dictionary<string, SafetensorsDType> dtypes, IReadOnlyDictionary<string, string>? metadata)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            long offset = 0;
            foreach (var name in names)
            {
                var tensor = tensors[name];
                var bytes = tensor.numel() * dtypes[name].ElementSize();
                json.WriteStartObject(name);
                json.WriteString("dtype", dtypes[name].ToHeaderName());
                json.WriteStartArray("shape");
                foreach (var dim in tensor.shape)
                    json.WriteNumberValue(dim);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + bytes);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += bytes;
            }

            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject("__metadata__");
                foreach (var (key, value) in metadata.OrderBy(p => p.Key, StringComparer.Ordinal))
                    json.WriteString(key, value);
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        var padding = (int)((8 - (buffer.Length % 8)) % 8);
        for (var i = 0; i < padding; i++)
            buffer.WriteByte((byte)' ');
        return buffer.ToArray();
    }

    private static unsafe void WriteData(Stream stream, torch.Tensor tensor)
    {
        if (tensor.numel() == 0)
            return;
        using var scope = torch.NewDisposeScope();
        var cpu = tensor.device_type == DeviceType.CPU ? tensor : tensor.cpu();
        var contiguous = cpu.contiguous();
        var pointer = TensorMemory.DataPointer(contiguous);
        var remaining = contiguous.numel() * contiguous.ElementSize;
        const int chunk = 1 << 24;
        while (remaining > 0)
        {
            var count = (int)Math.Min(remaining, chunk);
            stream.Write(new ReadOnlySpan<byte>(pointer, count));
            pointer += count;
            remaining -= count;
        }
    }
}
