using System.Text.Json;
using System.Text.Json.Nodes;
using AceStep.Contracts;
using AceStep.Contracts.Sessions;
using AceStep.Pipes;

namespace AceStep.Plugin.EngineLink;

/// <summary>The engine refused a <c>pluginSession</c> operation (e.g. an engine without the session extension).</summary>
public sealed class SessionRefusedException : Exception
{
    /// <summary>Creates the exception with the engine's words.</summary>
    public SessionRefusedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public SessionRefusedException()
    {
    }

    /// <summary>Creates the exception around a cause.</summary>
    public SessionRefusedException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

/// <summary>
/// The plugin side of the <c>pluginSession</c> task (docs/plugin.md, "Control page"): registers an instance, replaces
/// its view, hands over takes for audition, long-polls the page's commands and says goodbye. Every call goes through
/// the shared <see cref="EngineConnector"/>; a call that finds the connection dead drops it, reconnects (starting the
/// engine when the connector may) and, because a restarted engine has forgotten the instance, opens the session
/// again before retrying once. Worker threads only.
/// </summary>
public sealed class SessionClient : IDisposable
{
    private readonly EngineConnector _connector;
    private readonly Guid _instanceId;
    private readonly SemaphoreSlim _openGate = new(1, 1);
    private EnginePipeClient? _openedOn;
    private string? _hostName;
    private string? _title;
    private int _openCount;

    /// <summary>Creates the client for one instance; nothing is sent until <see cref="OpenAsync"/>.</summary>
    public SessionClient(EngineConnector connector, Guid instanceId)
    {
        _connector = connector ?? throw new ArgumentNullException(nameof(connector));
        _instanceId = instanceId;
    }

    /// <summary>The instance this client speaks for.</summary>
    public Guid InstanceId => _instanceId;

    /// <summary>The control page address the last <c>open</c> answered, or null.</summary>
    public Uri? ControlUrl { get; private set; }

    /// <summary>Whether <see cref="OpenAsync"/> has succeeded (the session is re-opened on every reconnect).</summary>
    public bool IsOpen => ControlUrl is not null;

    /// <summary>
    /// How many times an <c>open</c> succeeded. A change tells a poller that the session was re-opened, possibly on a
    /// restarted engine whose command numbers start again from 1.
    /// </summary>
    public int OpenCount => Volatile.Read(ref _openCount);

    /// <summary>Registers the instance; answers its control page address.</summary>
    /// <exception cref="EngineUnavailableException">No engine answers.</exception>
    /// <exception cref="SessionRefusedException">The engine refused (e.g. it has no session extension).</exception>
    public async Task<Uri> OpenAsync(string? hostName, string? title, CancellationToken cancellationToken)
    {
        _hostName = hostName;
        _title = title;
        var client = await _connector.GetAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await OpenOnAsync(client, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsConnectionLoss(e))
        {
            await _connector.InvalidateAsync(client).ConfigureAwait(false);
            client = await _connector.GetAsync(cancellationToken).ConfigureAwait(false);
            return await OpenOnAsync(client, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Replaces the page's view; answers the engine's revision.</summary>
    public async Task<long?> UpdateAsync(SessionView view, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(view);
        var result = await SendAsync(Request(SessionOperations.Update) with { View = view }, null, cancellationToken).ConfigureAwait(false);
        return result.Revision;
    }

    /// <summary>Hands a take's audio (interleaved float) to the page for audition; answers where the page fetches it.</summary>
    public async Task<Uri?> PutTakeAsync(string takeId, float[] interleaved, int sampleRate, int channels, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(interleaved);
        var result = await SendAsync(Request(SessionOperations.PutTake) with { TakeId = takeId },
            (interleaved, sampleRate, channels), cancellationToken).ConfigureAwait(false);
        return result.AudioUrl;
    }

    /// <summary>Waits up to <paramref name="wait"/> for commands after <paramref name="afterSequence"/> (oldest first).</summary>
    public async Task<IReadOnlyList<SessionCommand>> PollAsync(long afterSequence, TimeSpan wait, CancellationToken cancellationToken)
    {
        var result = await SendAsync(Request(SessionOperations.Poll) with
        {
            AfterSequence = afterSequence,
            WaitSeconds = Math.Clamp(wait.TotalSeconds, 0, 30),
        }, null, cancellationToken).ConfigureAwait(false);
        return result.Commands ?? [];
    }

    /// <summary>Says goodbye (best effort: an engine that is gone needs no goodbye).</summary>
    public async Task CloseAsync(CancellationToken cancellationToken)
    {
        if (!IsOpen)
            return;
        try
        {
            var client = await _connector.GetAsync(cancellationToken).ConfigureAwait(false);
            await SendOnceAsync(client, Request(SessionOperations.Close), null, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsConnectionLoss(e) || e is SessionRefusedException or OperationCanceledException)
        {
            // Nothing left to tell.
        }

        ControlUrl = null;
        _openedOn = null;
    }

    /// <summary>Releases the open gate (the connection belongs to the connector).</summary>
    public void Dispose() => _openGate.Dispose();

    private PluginSessionRequest Request(string operation) => new() { Operation = operation, InstanceId = _instanceId };

    private async Task<PluginSessionResult> SendAsync(PluginSessionRequest request, (float[] Audio, int Rate, int Channels)? audio,
        CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var client = await _connector.GetAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                // A new connection may be a restarted engine that has never heard of this instance.
                if (!ReferenceEquals(client, Volatile.Read(ref _openedOn)))
                    await OpenOnAsync(client, cancellationToken).ConfigureAwait(false);
                return await SendOnceAsync(client, request, audio, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (attempt == 1 && IsConnectionLoss(e))
            {
                await _connector.InvalidateAsync(client).ConfigureAwait(false);
            }
        }
    }

    private async Task<Uri> OpenOnAsync(EnginePipeClient client, CancellationToken cancellationToken)
    {
        await _openGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (ReferenceEquals(client, _openedOn) && ControlUrl is { } known)
                return known;
            var result = await SendOnceAsync(client, Request(SessionOperations.Open) with { HostName = _hostName, Title = _title }, null,
                cancellationToken).ConfigureAwait(false);
            ControlUrl = result.ControlUrl ?? throw new SessionRefusedException("The engine opened the session without a control page address.");
            Volatile.Write(ref _openedOn, client);
            Interlocked.Increment(ref _openCount);
            return ControlUrl;
        }
        finally
        {
            _openGate.Release();
        }
    }

    private static async Task<PluginSessionResult> SendOnceAsync(EnginePipeClient client, PluginSessionRequest request,
        (float[] Audio, int Rate, int Channels)? audio, CancellationToken cancellationToken)
    {
        OutgoingAttachment[]? attachments = null;
        if (audio is { } pcm)
        {
            var id = client.NextAttachmentId();
            request = request with { Audio = $"attachment:{id}" };
            attachments = [new OutgoingAttachment(new AttachmentInfo(id, AttachmentInfo.PcmF32, pcm.Rate, pcm.Channels), Attachments.FromSamples(pcm.Audio))];
        }

        var task = JsonSerializer.SerializeToNode(request, ContractsJson.Default.PluginSessionRequest)
            ?? throw new InvalidOperationException("The session request did not serialise.");
        using var reply = await client.SendAsync(new PipeRequest(new JsonArray(task), attachments), cancellationToken).ConfigureAwait(false);
        if (reply.Reply.Errors is { Count: > 0 } errors)
        {
            throw new SessionRefusedException(string.Join(" ", errors.Select(e => e.Parameter is { } p ? $"{e.Message} ({p})" : e.Message)));
        }

        var item = reply.Reply.Data is { Count: > 0 } data
            ? data[0]
            : throw new SessionRefusedException("The engine answered the session task without a result.");
        try
        {
            return item.Deserialize(ContractsJson.Default.PluginSessionResult)
                ?? throw new SessionRefusedException("The engine's session result is empty.");
        }
        catch (JsonException e)
        {
            throw new SessionRefusedException("The engine's session result is not understood: " + e.Message, e);
        }
    }

    // A protocol error on the read side means the stream broke mid-frame (e.g. the engine was killed): the connection
    // is as good as lost, and a fresh one works.
    private static bool IsConnectionLoss(Exception e) =>
        e is IOException or ObjectDisposedException or EngineUnavailableException or PipeProtocolException;
}
