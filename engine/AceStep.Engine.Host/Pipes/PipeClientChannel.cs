using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using AceStep.Engine.Host.Tasks;
using AceStep.Pipes;

namespace AceStep.Engine.Host.Pipes;

/// <summary>
/// The per-connection state tasks use: attachments received and not yet consumed (bounded in bytes), outgoing
/// attachment ids, and a bounded progress-event queue drained by its own writer so workers never wait on a slow
/// client.
/// </summary>
internal sealed class PipeClientChannel : IClientChannel
{
    private readonly FrameWriter _writer;
    private readonly long _maxPendingBytes;
    private readonly ConcurrentDictionary<uint, PooledBytes> _pending = new();
    private readonly ConcurrentDictionary<uint, AttachmentInfo> _described = new();
    private readonly ConcurrentDictionary<uint, AttachmentInfo> _sent = new();
    private readonly Channel<PipeMessage> _events = Channel.CreateBounded<PipeMessage>(
        new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    private long _pendingBytes;
    private long _receivedBytes;
    private long _nextOutgoingId;

    public PipeClientChannel(FrameWriter writer, long maxPendingBytes)
    {
        _writer = writer;
        _maxPendingBytes = maxPendingBytes;
    }

    /// <summary>Stores an Attachment frame's bytes (owning them) until a request takes them.</summary>
    public void Receive(uint id, PooledBytes bytes)
    {
        Interlocked.Add(ref _receivedBytes, bytes.Length);
        if (Interlocked.Add(ref _pendingBytes, bytes.Length) > _maxPendingBytes)
        {
            bytes.Dispose();
            throw new PipeProtocolException(PipeProtocolException.FrameTooLarge,
                $"More than {_maxPendingBytes} bytes of attachments are waiting for a request that uses them.");
        }
        if (!_pending.TryAdd(id, bytes))
        {
            bytes.Dispose();
            throw new PipeProtocolException(PipeProtocolException.MalformedMessage, $"Attachment id {id} was sent twice.");
        }
    }

    /// <summary>Attachment bytes received since the last call (for <see cref="Http.MemoryRelief"/>).</summary>
    public long TakeReceivedBytes() => Interlocked.Exchange(ref _receivedBytes, 0);

    /// <summary>Records how a request describes its attachments.</summary>
    public void Describe(IReadOnlyList<AttachmentInfo>? attachments)
    {
        foreach (var info in attachments ?? [])
        {
            _described[info.Id] = info;
        }
    }

    public ReceivedAttachmentData? TakeAttachment(uint id)
    {
        if (!_pending.TryRemove(id, out var bytes))
        {
            return null;
        }
        Interlocked.Add(ref _pendingBytes, -bytes.Length);
        _described.TryRemove(id, out var info);
        return new ReceivedAttachmentData(info?.Format ?? AttachmentInfo.File, info?.SampleRate, info?.Channels, bytes);
    }

    /// <summary>Returns the buffers of attachments no request used (the connection is closing).</summary>
    public void Release()
    {
        foreach (var id in _pending.Keys)
        {
            if (_pending.TryRemove(id, out var bytes))
            {
                bytes.Dispose();
            }
        }
    }

    public async ValueTask<uint> SendAttachmentAsync(ReadOnlyMemory<byte> bytes, string format, int? sampleRate, int? channels,
        CancellationToken cancellationToken)
    {
        var id = (uint)Interlocked.Increment(ref _nextOutgoingId);
        _sent[id] = new AttachmentInfo(id, format, sampleRate, channels);
        await _writer.WriteAttachmentAsync(id, bytes, cancellationToken);
        return id;
    }

    /// <summary>The descriptions of sent attachments that <paramref name="data"/> items reference, for the reply.</summary>
    public IReadOnlyList<AttachmentInfo>? SentFor(IReadOnlyList<System.Text.Json.Nodes.JsonObject>? data)
    {
        var infos = new List<AttachmentInfo>();
        foreach (var item in data ?? [])
        {
            if (item["audioAttachment"] is System.Text.Json.Nodes.JsonValue value && value.TryGetValue<uint>(out var id)
                && _sent.TryRemove(id, out var info))
            {
                infos.Add(info);
            }
        }
        return infos.Count > 0 ? infos : null;
    }

    public void ReportProgress(Guid taskUuid, double progress, string stage) =>
        _events.Writer.TryWrite(new PipeMessage
        {
            Type = PipeMessage.ProgressType,
            TaskUuid = taskUuid.ToString(),
            Progress = Math.Round(progress, 1),
            Stage = stage,
        });

    /// <summary>Writes queued progress events until the connection ends.</summary>
    public async Task PumpEventsAsync(CancellationToken cancellationToken)
    {
        await foreach (var message in _events.Reader.ReadAllAsync(cancellationToken))
        {
            await _writer.WriteAsync(FrameKind.Json, JsonSerializer.SerializeToUtf8Bytes(message, PipeJson.Default.PipeMessage), cancellationToken);
        }
    }
}
