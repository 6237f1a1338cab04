using System.Text.Json;
using AceStep.Contracts;
using AceStep.Contracts.Validation;
using AceStep.Engine.Host.Http;
using AceStep.Engine.Host.Tasks;
using AceStep.Pipes;
using Microsoft.Extensions.Logging;

namespace AceStep.Engine.Host.Pipes;

/// <summary>
/// Serves one pipe connection: handshake, then JSON requests answered by id. Requests run concurrently so a
/// long task does not hold up a ping on the same connection. A protocol error is answered with a Fatal frame
/// and closes this connection only.
/// </summary>
public sealed class PipeConnectionHandler
{
    private static readonly TimeSpan s_handshakeTimeout = TimeSpan.FromSeconds(10);

    private readonly TaskDispatcher _dispatcher;
    private readonly MemoryRelief _relief;
    private readonly EngineIdentity _identity;
    private readonly FrameLimits _limits;
    private readonly ILogger<PipeConnectionHandler> _logger;

    /// <summary>Creates the handler.</summary>
    public PipeConnectionHandler(TaskDispatcher dispatcher, EngineIdentity identity, FrameLimits limits, MemoryRelief relief,
        ILogger<PipeConnectionHandler> logger)
    {
        _relief = relief;
        _dispatcher = dispatcher;
        _identity = identity;
        _limits = limits;
        _logger = logger;
    }

    /// <summary>Serves the connection until the client leaves, breaks the protocol, or the engine stops.</summary>
    public async Task ServeAsync(Stream stream, string clientId, CancellationToken stoppingToken)
    {
        await using var _ = stream;
        using var connection = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        using var writer = new FrameWriter(stream);
        var reader = new FrameReader(stream, _limits);
        var channel = new PipeClientChannel(writer, _limits.MaxAttachmentBytes * 2L);
        var inFlight = new List<Task>();
        try
        {
            await HandshakeAsync(reader, writer, connection.Token);
            inFlight.Add(channel.PumpEventsAsync(connection.Token));
            while (await reader.ReadAsync(connection.Token) is { } frame)
            {
                using (frame)
                {
                    switch (frame.Kind)
                    {
                        case FrameKind.Attachment:
                            // The channel keeps the frame's own buffer: no copy of the audio.
                            var (id, bytes) = Attachments.Take(frame);
                            channel.Receive(id, bytes);
                            break;
                        case FrameKind.Json:
                            var request = ParseRequest(frame.Payload.Span);
                            channel.Describe(request.Attachments);
                            inFlight.Add(AnswerAsync(request, writer, channel, clientId, connection.Token));
                            inFlight.RemoveAll(t => t.IsCompleted);
                            break;
                        default:
                            throw new PipeProtocolException(PipeProtocolException.UnexpectedFrame,
                                $"A {frame.Kind} frame is not expected here; send JSON request and Attachment frames.");
                    }
                }
            }
            _logger.LogDebug("Pipe client {ClientId} left", clientId);
        }
        catch (PipeProtocolException ex)
        {
            _logger.LogWarning("Pipe client {ClientId} broke the protocol ({Code}): {Message}", clientId, ex.Code, ex.Message);
            await TrySendFatalAsync(writer, ex, connection.Token);
        }
        catch (OperationCanceledException) when (connection.IsCancellationRequested)
        {
            // Engine shutdown.
        }
        catch (IOException ex)
        {
            _logger.LogDebug("Pipe client {ClientId} disconnected: {Message}", clientId, ex.Message);
        }
        finally
        {
            // Replies for a client that left have nowhere to go; stop waiting for them.
            await connection.CancelAsync();
            channel.Release();
            _relief.After(channel.TakeReceivedBytes());
            try
            {
                await Task.WhenAll(inFlight);
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
            {
                // Expected when the client is gone.
            }
        }
    }

    private async Task HandshakeAsync(FrameReader reader, FrameWriter writer, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(s_handshakeTimeout);
        using var hello = await reader.ReadAsync(timeout.Token)
            ?? throw new IOException("The client closed the pipe before its Hello.");
        if (hello.Kind != FrameKind.Hello)
        {
            throw new PipeProtocolException(PipeProtocolException.BadHandshake,
                $"The first frame must be a Hello; got a {hello.Kind} frame.");
        }
        Handshake.AcceptHello(hello.Payload.Span);
        await writer.WriteAsync(FrameKind.Welcome, Handshake.WelcomePayload(_identity), cancellationToken);
    }

    private static PipeMessage ParseRequest(ReadOnlySpan<byte> json)
    {
        PipeMessage? message;
        try
        {
            // The same strict reading as an HTTP body (valid UTF-8, no lone surrogate, no duplicate name), before any
            // value is read: a frame that breaks it is answered with a Fatal, never dropped without a word.
            StrictJson.Check(json);
            message = JsonSerializer.Deserialize(json, PipeJson.Default.PipeMessage);
        }
        catch (InvalidJsonTextException ex)
        {
            throw new PipeProtocolException(PipeProtocolException.MalformedMessage, "The JSON frame cannot be read: " + ex.Message);
        }
        catch (JsonException ex)
        {
            throw new PipeProtocolException(PipeProtocolException.MalformedMessage, "The JSON frame is not readable: " + ex.Message);
        }
        if (message is not { Type: PipeMessage.RequestType, Tasks: not null })
        {
            throw new PipeProtocolException(PipeProtocolException.MalformedMessage,
                "A JSON frame must be {\"type\":\"request\",\"id\":N,\"tasks\":[…]}.");
        }
        return message;
    }

    private async Task AnswerAsync(PipeMessage request, FrameWriter writer, PipeClientChannel channel, string clientId,
        CancellationToken cancellationToken)
    {
        TaskReply reply;
        try
        {
            reply = await _dispatcher.DispatchAsync(request.Tasks!, new TaskContext(TransportKind.Pipe, clientId, channel), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Every request id gets a reply: a client waiting on it must not wait for ever, whatever went wrong.
            var incident = Guid.NewGuid().ToString("N")[..12];
            _logger.LogError(ex, "Pipe request {RequestId} of {ClientId} failed inside the engine (incident {Incident})", request.Id, clientId, incident);
            reply = new TaskReply
            {
                Errors = [new TaskError
                {
                    Code = ErrorCodes.InternalError,
                    Message = $"The engine failed while handling this request; this is a bug. The engine log names it as incident {incident}.",
                }],
            };
        }
        var message = new PipeMessage
        {
            Type = PipeMessage.ReplyType,
            Id = request.Id,
            Data = reply.Data,
            Errors = reply.Errors,
            Attachments = channel.SentFor(reply.Data),
        };
        await writer.WriteAsync(FrameKind.Json, JsonSerializer.SerializeToUtf8Bytes(message, PipeJson.Default.PipeMessage), cancellationToken);
        _relief.After(channel.TakeReceivedBytes());
    }

    private static async Task TrySendFatalAsync(FrameWriter writer, PipeProtocolException ex, CancellationToken cancellationToken)
    {
        try
        {
            await writer.WriteAsync(FrameKind.Fatal, Handshake.FatalPayload(ex.Code, ex.Message), cancellationToken);
        }
        catch (Exception sendError) when (sendError is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client is already gone; closing is all that is left.
        }
    }
}
