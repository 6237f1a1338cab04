using System.Collections.Concurrent;
using System.IO.Pipes;
using System.Text.Json;
using System.Text.Json.Nodes;
using AceStep.Contracts;

namespace AceStep.Pipes;

/// <summary>
/// A connection to the engine over its named pipe. Requests may overlap: each carries an id and a background
/// reader hands every reply to the caller that waits for it.
/// </summary>
public sealed class EnginePipeClient : IAsyncDisposable
{
    private readonly Stream _stream;
    private readonly FrameReader _reader;
    private readonly FrameWriter _writer;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<PipeReply>> _pending = new();
    private readonly ConcurrentDictionary<string, ProgressHandler> _progress = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<uint, PooledBytes> _received = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _readLoop = Task.CompletedTask;
    private long _nextId;
    private long _nextAttachmentId;
    private volatile Exception? _broken;

    private EnginePipeClient(Stream stream, EngineIdentity engine)
    {
        _stream = stream;
        _reader = new FrameReader(stream);
        _writer = new FrameWriter(stream);
        Engine = engine;
    }

    /// <summary>The engine that answered the handshake.</summary>
    public EngineIdentity Engine { get; }

    /// <summary>
    /// Connects to the engine's pipe and performs the handshake. Throws <see cref="EngineUnavailableException"/>
    /// when no engine listens within <paramref name="timeout"/>.
    /// </summary>
    public static async Task<EnginePipeClient> ConnectAsync(string? pipeName = null, TimeSpan? timeout = null,
        CancellationToken cancellationToken = default)
    {
        var name = pipeName ?? EngineEndpoints.PipeName();
        var pipe = new NamedPipeClientStream(".", name, PipeDirection.InOut,
            PipeOptions.Asynchronous | PipeOptions.CurrentUserOnly);
        try
        {
            await pipe.ConnectAsync(timeout ?? TimeSpan.FromSeconds(5), cancellationToken);
        }
        catch (Exception ex) when (ex is TimeoutException or IOException)
        {
            await pipe.DisposeAsync();
            throw new EngineUnavailableException(
                $"No AceStep engine is listening on pipe '{name}'. Start it with scripts/engine.sh (or 'acestep-engine').", ex);
        }
        return await HandshakeAsync(pipe, cancellationToken);
    }

    /// <summary>Performs the handshake over an already connected stream (used by tests and other transports).</summary>
    public static async Task<EnginePipeClient> HandshakeAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        try
        {
            var writer = new FrameWriter(stream);
            await writer.WriteAsync(FrameKind.Hello, Handshake.HelloPayload(), cancellationToken);
            writer.Dispose();
            using var frame = await new FrameReader(stream).ReadAsync(cancellationToken)
                ?? throw new EngineUnavailableException("The engine closed the pipe during the handshake.");
            switch (frame.Kind)
            {
                case FrameKind.Welcome:
                    var (_, identity) = Handshake.ReadWelcome(frame.Payload.Span);
                    var client = new EnginePipeClient(stream, identity);
                    client._readLoop = Task.Run(client.ReadLoopAsync, CancellationToken.None);
                    return client;
                case FrameKind.Fatal:
                    var fatal = Handshake.ReadFatal(frame.Payload.Span);
                    throw new PipeProtocolException(fatal.Code, fatal.Message);
                default:
                    throw new PipeProtocolException(PipeProtocolException.UnexpectedFrame,
                        $"The engine answered the handshake with a {frame.Kind} frame.");
            }
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends a task array and waits for its reply.</summary>
    public async Task<TaskReply> SendAsync(JsonArray tasks, CancellationToken cancellationToken = default) =>
        (await SendAsync(new PipeRequest(tasks), cancellationToken)).Reply;

    /// <summary>A fresh id for an attachment of this connection.</summary>
    public uint NextAttachmentId() => (uint)Interlocked.Increment(ref _nextAttachmentId);

    /// <summary>
    /// Sends the request's attachments, then the request, and waits for the reply and the attachments it
    /// references. Progress events for the request's tasks go to <see cref="PipeRequest.Progress"/>.
    /// </summary>
    public async Task<PipeReply> SendAsync(PipeRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ObjectDisposedException.ThrowIf(_stop.IsCancellationRequested, this);
        if (_broken is { } broken)
        {
            throw new EngineUnavailableException("The connection to the engine is broken: " + broken.Message, broken);
        }
        var id = Interlocked.Increment(ref _nextId);
        var waiter = new TaskCompletionSource<PipeReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = waiter;
        var watched = request.Progress is null ? [] : TaskUuids(request.Tasks).ToArray();
        foreach (var uuid in watched)
        {
            _progress[uuid] = request.Progress!;
        }
        try
        {
            foreach (var attachment in request.Attachments ?? [])
            {
                await _writer.WriteAttachmentAsync(attachment.Info.Id, attachment.Bytes, cancellationToken);
            }
            var message = new PipeMessage
            {
                Type = PipeMessage.RequestType,
                Id = id,
                Tasks = request.Tasks,
                Attachments = request.Attachments?.Select(a => a.Info).ToArray(),
            };
            var bytes = JsonSerializer.SerializeToUtf8Bytes(message, PipeJson.Default.PipeMessage);
            await _writer.WriteAsync(FrameKind.Json, bytes, cancellationToken);
            return await waiter.Task.WaitAsync(cancellationToken);
        }
        finally
        {
            _pending.TryRemove(id, out _);
            foreach (var uuid in watched)
            {
                _progress.TryRemove(uuid, out _);
            }
        }
    }

    private static IEnumerable<string> TaskUuids(JsonArray tasks) =>
        tasks.OfType<JsonObject>()
            .Select(t => t["taskUUID"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null)
            .OfType<string>();

    /// <summary>Sends a <c>ping</c> task; true when the engine answered <c>pong</c>.</summary>
    public async Task<bool> PingAsync(CancellationToken cancellationToken = default)
    {
        var reply = await SendAsync(new JsonArray(new JsonObject { ["taskType"] = TaskTypes.Ping, ["ping"] = true }), cancellationToken); // not a collection expression: that calls the generic JsonArray.Add<T>, which NativeAOT rejects (IL2026/IL3050)
        return reply.Data is [var item] && item["pong"]?.GetValue<bool>() == true;
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                using var frame = await _reader.ReadAsync(_stop.Token)
                    ?? throw new EngineUnavailableException("The engine closed the connection.");
                switch (frame.Kind)
                {
                    case FrameKind.Json:
                        Dispatch(frame.Payload.Span);
                        break;
                    case FrameKind.Attachment:
                        var (attachmentId, bytes) = Attachments.Take(frame);
                        _received[attachmentId] = bytes;
                        break;
                    case FrameKind.Fatal:
                        var fatal = Handshake.ReadFatal(frame.Payload.Span);
                        throw new PipeProtocolException(fatal.Code, fatal.Message);
                    default:
                        throw new PipeProtocolException(PipeProtocolException.UnexpectedFrame,
                            $"The engine sent an unexpected {frame.Kind} frame.");
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            FailAll(new ObjectDisposedException(nameof(EnginePipeClient)));
        }
        catch (Exception ex)
        {
            _broken = ex;
            FailAll(ex is EngineUnavailableException ? ex : new EngineUnavailableException(ex.Message, ex));
        }
    }

    private void Dispatch(ReadOnlySpan<byte> json)
    {
        PipeMessage? message;
        try
        {
            message = JsonSerializer.Deserialize(json, PipeJson.Default.PipeMessage);
        }
        catch (JsonException ex)
        {
            throw new PipeProtocolException(PipeProtocolException.MalformedMessage, "The engine sent unreadable JSON: " + ex.Message);
        }
        switch (message)
        {
            case { Type: PipeMessage.ReplyType } when _pending.TryGetValue(message.Id, out var waiter):
                var attachments = new Dictionary<uint, ReceivedAttachment>();
                foreach (var info in message.Attachments ?? [])
                {
                    if (_received.TryRemove(info.Id, out var bytes))
                    {
                        attachments[info.Id] = new ReceivedAttachment(info, bytes);
                    }
                }
                waiter.TrySetResult(new PipeReply(new TaskReply { Data = message.Data, Errors = message.Errors }, attachments));
                break;
            case { Type: PipeMessage.ProgressType, TaskUuid: { } uuid } when _progress.TryGetValue(uuid, out var handler):
                handler(uuid, message.Progress ?? 0, message.Stage ?? "");
                break;
            default:
                // Unknown message types are ignored so newer engines can add events.
                break;
        }
    }

    private void FailAll(Exception ex)
    {
        foreach (var waiter in _pending.Values)
        {
            waiter.TrySetException(ex);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }
        await _stop.CancelAsync();
        await _stream.DisposeAsync();
        try
        {
            await _readLoop;
        }
        catch (OperationCanceledException)
        {
            // The loop ends by cancellation; nothing is left to report.
        }
        _writer.Dispose();
        _stop.Dispose();
    }
}
