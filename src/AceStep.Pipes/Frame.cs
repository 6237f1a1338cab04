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

    /// <summary>
    /// Takes the payload out of the frame without copying it: the returned owner hands the pooled buffer back when
    /// disposed (a megabytes-large attachment is then reused, not allocated and faulted in again). The frame is
    /// empty afterwards.
    /// </summary>
    public PooledBytes TakePayload()
    {
        var buffer = Interlocked.Exchange(ref _rented, null) ?? throw new ObjectDisposedException(nameof(Frame));
        return new PooledBytes(buffer, 0, Length);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _rented, null) is { } buffer)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

/// <summary>Bytes in a buffer rented from <see cref="ArrayPool{T}.Shared"/>; disposing returns the buffer.</summary>
public sealed class PooledBytes : IDisposable
{
    private byte[]? _buffer;
    private readonly int _offset;

    internal PooledBytes(byte[] buffer, int offset, int length)
    {
        _buffer = buffer;
        _offset = offset;
        Length = length;
    }

    /// <summary>Number of bytes.</summary>
    public int Length { get; }

    /// <summary>The bytes; valid until <see cref="Dispose"/>.</summary>
    public ReadOnlyMemory<byte> Memory =>
        _buffer is { } buffer ? buffer.AsMemory(_offset, Length) : throw new ObjectDisposedException(nameof(PooledBytes));

    /// <summary>The same buffer without its first <paramref name="count"/> bytes; this owner is emptied.</summary>
    public PooledBytes Skip(int count)
    {
        var buffer = Interlocked.Exchange(ref _buffer, null) ?? throw new ObjectDisposedException(nameof(PooledBytes));
        return new PooledBytes(buffer, _offset + count, Length - count);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _buffer, null) is { } buffer)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
