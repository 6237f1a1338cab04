using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace AceStep.Pipes;

/// <summary>The Attachment frame's layout: u32 little-endian id, then the bytes.</summary>
public static class Attachments
{
    /// <summary>Bytes of the id that opens every Attachment payload.</summary>
    public const int IdSize = 4;

    /// <summary>Splits an Attachment payload into its id and bytes.</summary>
    public static (uint Id, ReadOnlyMemory<byte> Bytes) Split(ReadOnlyMemory<byte> payload)
    {
        CheckLength(payload.Length);
        return (BinaryPrimitives.ReadUInt32LittleEndian(payload.Span), payload[IdSize..]);
    }

    /// <summary>Takes an Attachment frame's payload (no copy): its id, and an owner of the bytes after the id.</summary>
    public static (uint Id, PooledBytes Bytes) Take(Frame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        CheckLength(frame.Length);
        var payload = frame.TakePayload();
        var id = BinaryPrimitives.ReadUInt32LittleEndian(payload.Memory.Span);
        return (id, payload.Skip(IdSize));
    }

    private static void CheckLength(int length)
    {
        if (length < IdSize)
        {
            throw new PipeProtocolException(PipeProtocolException.MalformedMessage,
                $"An Attachment frame of {length} bytes is shorter than its {IdSize}-byte id.");
        }
    }

    /// <summary>
    /// The bytes of interleaved float32 samples, without copying them (a minute of 48 kHz stereo is 23 MB).
    /// Little-endian, as on every platform the engine runs on.
    /// </summary>
    public static ReadOnlyMemory<byte> FromSamples(float[] samples)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("The pipe protocol sends little-endian float32 samples.");
        }
        return new FloatBytes(samples).Memory;
    }

    /// <summary>Reads interleaved float32 samples; throws when the length is not a whole number of samples.</summary>
    public static float[] ToSamples(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length % sizeof(float) != 0)
        {
            throw new InvalidDataException($"{bytes.Length} bytes are not a whole number of float32 samples.");
        }
        return MemoryMarshal.Cast<byte, float>(bytes).ToArray();
    }
}

/// <summary>Views a float array as bytes so it can be written to a stream without a copy.</summary>
internal sealed class FloatBytes : MemoryManager<byte>
{
    private readonly float[] _samples;
    private GCHandle _pin;

    public FloatBytes(float[] samples) => _samples = samples;

    public override Span<byte> GetSpan() => MemoryMarshal.AsBytes(_samples.AsSpan());

    public override unsafe MemoryHandle Pin(int elementIndex = 0)
    {
        if (!_pin.IsAllocated)
        {
            _pin = GCHandle.Alloc(_samples, GCHandleType.Pinned);
        }
        return new MemoryHandle((byte*)_pin.AddrOfPinnedObject() + elementIndex);
    }

    public override void Unpin()
    {
        if (_pin.IsAllocated)
        {
            _pin.Free();
        }
    }

    protected override void Dispose(bool disposing) => Unpin();
}
