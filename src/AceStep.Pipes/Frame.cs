using System.Buffers;

namespace AceStep.Pipes;

/// <summary>One received frame. Its payload is rented: dispose the frame when done with it.</summary>
public sealed class Frame : IDisposable
{
    /// <summary>
    /// Largest payload read into a buffer of <see cref="ArrayPool{T}.Shared"/> (8 MiB: every JSON frame and clips of
    /// about 20 s of 48 kHz stereo float); larger payloads get their own array, so memory goes back when they are done.
    /// </summary>
    public const int PooledMaxBytes = 8 * 1024 * 1024;

    private byte[]? _rented;
    private readonly bool _pooled;

    internal Frame(FrameKind kind, byte[] rented, int length, bool pooled = true)
    {
        Kind = kind;
        _rented = rented;
        Length = length;
        _pooled = pooled;
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
        return new PooledBytes(buffer, 0, Length, _pooled);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _rented, null) is { } buffer && _pooled)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

/// <summary>Bytes in a buffer rented from <see cref="ArrayPool{T}.Shared"/> (or, when large, an array of their own); disposing returns a rented buffer.</summary>
public sealed class PooledBytes : IDisposable
{
    private byte[]? _buffer;
    private readonly int _offset;
    private readonly bool _pooled;

    internal PooledBytes(byte[] buffer, int offset, int length, bool pooled = true)
    {
        _buffer = buffer;
        _offset = offset;
        Length = length;
        _pooled = pooled;
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
        return new PooledBytes(buffer, _offset + count, Length - count, _pooled);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _buffer, null) is { } buffer && _pooled)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
