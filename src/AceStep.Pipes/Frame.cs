using System.Buffers;

namespace AceStep.Pipes;

/// <summary>One received frame. Its payload is rented: dispose the frame when done with it.</summary>
public sealed class Frame : IDisposable
{
    private byte[]? _rented;

    internal Frame(FrameKind kind, byte[] rented, int length)
    {
        Kind = kind;
        _rented = rented;
        Length = length;
    }

    /// <summary>The frame's kind.</summary>
    public FrameKind Kind { get; }

    /// <summary>Payload length in bytes.</summary>
    public int Length { get; }

    /// <summary>The payload; valid until <see cref="Dispose"/>.</summary>
    public ReadOnlyMemory<byte> Payload =>
        _rented is { } buffer ? buffer.AsMemory(0, Length) : throw new ObjectDisposedException(nameof(Frame));

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _rented, null) is { } buffer)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
