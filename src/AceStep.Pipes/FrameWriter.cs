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
    public async ValueTask WriteAsync(FrameKind kind, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            BinaryPrimitives.WriteUInt32LittleEndian(_scratch, (uint)payload.Length);
            _scratch[4] = (byte)kind;
            if (payload.Length <= CoalesceLimit)
            {
                payload.Span.CopyTo(_scratch.AsSpan(PipeProtocol.HeaderSize));
                await _stream.WriteAsync(_scratch.AsMemory(0, PipeProtocol.HeaderSize + payload.Length), cancellationToken);
            }
            else
            {
                await _stream.WriteAsync(_scratch.AsMemory(0, PipeProtocol.HeaderSize), cancellationToken);
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
