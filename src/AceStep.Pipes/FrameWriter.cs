using System.Buffers.Binary;

namespace AceStep.Pipes;

/// <summary>
/// Writes frames to a stream. Safe for concurrent callers: frames from different tasks never interleave.
/// </summary>
public sealed class FrameWriter : IDisposable
{
    // Small frames go out in one write with their header; large payloads are written straight from the caller's
    // memory so a 200 MB attachment is never copied.
    private const int CoalesceLimit = 64 * 1024;

    private readonly Stream _stream;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly byte[] _scratch = new byte[PipeProtocol.HeaderSize + CoalesceLimit];

    /// <summary>Creates a writer over a connected stream.</summary>
    public FrameWriter(Stream stream) => _stream = stream;

    /// <summary>Writes one frame and flushes it.</summary>
    public ValueTask WriteAsync(FrameKind kind, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
        WriteAsync(kind, ReadOnlyMemory<byte>.Empty, payload, cancellationToken);

    /// <summary>Writes an Attachment frame: the id, then the bytes (not copied).</summary>
    public ValueTask WriteAttachmentAsync(uint id, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        var prefix = new byte[Attachments.IdSize];
        BinaryPrimitives.WriteUInt32LittleEndian(prefix, id);
        return WriteAsync(FrameKind.Attachment, prefix, bytes, cancellationToken);
    }

    private async ValueTask WriteAsync(FrameKind kind, ReadOnlyMemory<byte> prefix, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var length = prefix.Length + payload.Length;
            BinaryPrimitives.WriteUInt32LittleEndian(_scratch, (uint)length);
            _scratch[4] = (byte)kind;
            prefix.Span.CopyTo(_scratch.AsSpan(PipeProtocol.HeaderSize));
            var head = PipeProtocol.HeaderSize + prefix.Length;
            if (head + payload.Length <= _scratch.Length)
            {
                payload.Span.CopyTo(_scratch.AsSpan(head));
                await _stream.WriteAsync(_scratch.AsMemory(0, head + payload.Length), cancellationToken);
            }
            else
            {
                await _stream.WriteAsync(_scratch.AsMemory(0, head), cancellationToken);
                await _stream.WriteAsync(payload, cancellationToken);
            }
            await _stream.FlushAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();
}
