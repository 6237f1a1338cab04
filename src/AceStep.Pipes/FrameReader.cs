using System.Buffers;
using System.Buffers.Binary;

namespace AceStep.Pipes;

/// <summary>Reads frames from a stream, enforcing <see cref="FrameLimits"/> before allocating.</summary>
public sealed class FrameReader
{
    private readonly Stream _stream;
    private readonly FrameLimits _limits;
    private readonly byte[] _header = new byte[PipeProtocol.HeaderSize];

    /// <summary>Creates a reader over a connected stream.</summary>
    public FrameReader(Stream stream, FrameLimits? limits = null)
    {
        _stream = stream;
        _limits = limits ?? FrameLimits.Default;
    }

    /// <summary>
    /// Reads the next frame, or returns null when the peer closed the stream cleanly between frames.
    /// Throws <see cref="PipeProtocolException"/> for a truncated, oversized or unknown frame.
    /// </summary>
    public async ValueTask<Frame?> ReadAsync(CancellationToken cancellationToken)
    {
        var got = await ReadUpToAsync(_header, cancellationToken);
        if (got == 0)
        {
            return null;
        }
        if (got < _header.Length)
        {
            throw new PipeProtocolException(PipeProtocolException.Truncated,
                $"The connection ended after {got} of the {_header.Length} header bytes of a frame.");
        }

        var length = BinaryPrimitives.ReadUInt32LittleEndian(_header);
        var kind = (FrameKind)_header[4];
        if (!Enum.IsDefined(kind))
        {
            throw new PipeProtocolException(PipeProtocolException.UnexpectedFrame,
                $"Frame kind 0x{_header[4]:X2} is not part of protocol version {PipeProtocol.Version}.");
        }
        var limit = _limits.For(kind);
        if (length > (uint)limit)
        {
            throw new PipeProtocolException(PipeProtocolException.FrameTooLarge,
                $"{(kind == FrameKind.Attachment ? "An" : "A")} {kind} frame of {length} bytes is larger than the limit of {limit} bytes.");
        }

        // Small payloads (JSON, typical clips) reuse pooled buffers; large ones are plain arrays the GC gives back to the
        // OS once released: the shared pool keeps what it is handed, and four 400 MB attachments stayed resident for good.
        var pooled = length <= Frame.PooledMaxBytes;
        var payload = pooled ? ArrayPool<byte>.Shared.Rent((int)length) : GC.AllocateUninitializedArray<byte>((int)length);
        var frame = new Frame(kind, payload, (int)length, pooled);
        try
        {
            var read = await ReadUpToAsync(payload.AsMemory(0, (int)length), cancellationToken);
            if (read < length)
            {
                throw new PipeProtocolException(PipeProtocolException.Truncated,
                    $"The connection ended after {read} of the {length} payload bytes of a {kind} frame.");
            }
            return frame;
        }
        catch
        {
            frame.Dispose();
            throw;
        }
    }

    private async ValueTask<int> ReadUpToAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var n = await _stream.ReadAsync(buffer[total..], cancellationToken);
            if (n == 0)
            {
                break;
            }
            total += n;
        }
        return total;
    }
}
