using System.Text.Json.Nodes;
using AceStep.Pipes;

namespace AceStep.Plugin.EngineLink;

/// <summary>Where a take job is.</summary>
public enum TakeState
{
    /// <summary>Nothing running.</summary>
    Idle,

    /// <summary>Connecting to (or starting) the engine.</summary>
    Connecting,

    /// <summary>The engine is working on it.</summary>
    Running,

    /// <summary>The take arrived and was handed to playback.</summary>
    Done,

    /// <summary>It failed; see the message.</summary>
    Failed,

    /// <summary>The producer cancelled it.</summary>
    Cancelled,
}

/// <summary>What the producer sees of the current job.</summary>
/// <param name="State">The state.</param>
/// <param name="Progress">0–100.</param>
/// <param name="Stage">The engine's stage (text-encoder, diffusion, …), or empty.</param>
/// <param name="Message">For a failure: what went wrong, in words; else empty.</param>
public sealed record TakeStatus(TakeState State, double Progress, string Stage, string Message)
{
    /// <summary>Nothing has run yet.</summary>
    public static TakeStatus Idle { get; } = new(TakeState.Idle, 0, string.Empty, string.Empty);
}

/// <summary>
/// Runs one take at a time off the audio thread: connects (starting the engine if needed), sends the task, follows its
/// progress, and hands the finished take — trimmed to the requested range, placed at its project position — to
/// <c>publish</c> (the playback side). A connection lost mid-job is retried once on a fresh connection with a new task
/// (the old one is cancelled if the engine still knows it).
/// </summary>
public sealed class TakeWorker : IAsyncDisposable
{
    private readonly EngineConnector _connector;
    private readonly Action<Take> _publish;
    private readonly object _gate = new();
    private volatile TakeStatus _status = TakeStatus.Idle;
    private CancellationTokenSource? _running;
    private Task _job = Task.CompletedTask;

    /// <summary>Creates the worker.</summary>
    /// <param name="connector">The engine connection.</param>
    /// <param name="publish">Receives each finished take (on the worker thread).</param>
    public TakeWorker(EngineConnector connector, Action<Take> publish)
    {
        _connector = connector ?? throw new ArgumentNullException(nameof(connector));
        _publish = publish ?? throw new ArgumentNullException(nameof(publish));
    }

    /// <summary>The current job's status; safe to read from any thread.</summary>
    public TakeStatus Status => _status;

    /// <summary>The running job (completed when idle), for callers that want to wait.</summary>
    public Task Completion
    {
        get
        {
            lock (_gate)
                return _job;
        }
    }

    /// <summary>Starts a take; false when one is already running.</summary>
    public bool TryStart(TakeRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_gate)
        {
            if (!_job.IsCompleted)
                return false;
            _running?.Dispose();
            _running = new CancellationTokenSource();
            var token = _running.Token;
            _status = new TakeStatus(TakeState.Connecting, 0, string.Empty, string.Empty);
            _job = Task.Run(() => RunAsync(request, token), CancellationToken.None);
            return true;
        }
    }

    /// <summary>Cancels the running take, if any.</summary>
    public void Cancel()
    {
        lock (_gate)
            _running?.Cancel();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Cancel();
        try
        {
            await Completion.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        lock (_gate)
            _running?.Dispose();
    }

    private async Task RunAsync(TakeRequest request, CancellationToken cancellationToken)
    {
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var client = await _connector.GetAsync(cancellationToken).ConfigureAwait(false);
                var taskUuid = Guid.NewGuid();
                try
                {
                    var take = await SendAsync(client, request, taskUuid, cancellationToken).ConfigureAwait(false);
                    if (take is not null)
                    {
                        _publish(take);
                        _status = new TakeStatus(TakeState.Done, 100, string.Empty, string.Empty);
                    }

                    return;
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    await CancelOnEngineAsync(client, taskUuid).ConfigureAwait(false);
                    throw;
                }
                catch (Exception e) when (attempt == 1 && e is IOException or ObjectDisposedException or EngineUnavailableException)
                {
                    // The engine went away mid-job (crash, restart): reconnect (starting it again if allowed) and retry.
                    await _connector.InvalidateAsync(client).ConfigureAwait(false);
                    _status = new TakeStatus(TakeState.Connecting, 0, string.Empty, "The engine connection was lost; retrying.");
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _status = new TakeStatus(TakeState.Cancelled, _status.Progress, string.Empty, "Cancelled.");
        }
        catch (Exception e) when (e is EngineUnavailableException or IOException or ArgumentException or InvalidDataException or ObjectDisposedException)
        {
            _status = new TakeStatus(TakeState.Failed, 0, string.Empty, e.Message);
        }
    }

    // Returns null when the engine answered with errors (the status then says why).
    private async Task<Take?> SendAsync(EnginePipeClient client, TakeRequest request, Guid taskUuid, CancellationToken cancellationToken)
    {
        var (task, attachment) = TaskBuilder.Build(request, taskUuid, client.NextAttachmentId());
        _status = new TakeStatus(TakeState.Running, 0, string.Empty, string.Empty);
        // new JsonArray(...) rather than [...]: a collection expression calls the generic JsonArray.Add<T>, which NativeAOT refuses.
        var pipeRequest = new PipeRequest(new JsonArray(task), attachment is null ? null : [attachment],
            (_, progress, stage) => _status = new TakeStatus(TakeState.Running, progress, stage, string.Empty));
        using var reply = await client.SendAsync(pipeRequest, cancellationToken).ConfigureAwait(false);
        if (reply.Reply.Errors is { Count: > 0 } errors)
        {
            _status = new TakeStatus(TakeState.Failed, 0, string.Empty,
                string.Join(" ", errors.Select(e => e.Parameter is { } p ? $"{e.Message} ({p})" : e.Message)));
            return null;
        }

        var item = reply.Reply.Data is { Count: > 0 } data
            ? data[0]
            : throw new InvalidDataException("The engine answered without a result.");
        if (item["audioAttachment"] is not JsonValue id || !reply.Attachments.TryGetValue(id.GetValue<uint>(), out var audio))
            throw new InvalidDataException("The engine's result carries no audio attachment.");
        var samples = Attachments.ToSamples(audio.Bytes.Span);
        var seed = item["seed"] is JsonValue s ? s.GetValue<long>() : 0;
        return Place(request, samples, seed);
    }

    // The engine returns the whole clip (repaint, cover) or the generated duration; the take is the range only, so
    // playback crossfades at the range edges and the audio around it stays the original.
    private static Take Place(TakeRequest request, float[] stereo, long seed)
    {
        const int channels = 2;
        var rangeFrames = request.RangeEnd - request.RangeStart;
        var offset = request.Mode == TakeMode.Generate ? 0 : request.RangeStart - request.ClipStart;
        var available = (stereo.Length / channels) - offset;
        if (available < rangeFrames)
            throw new InvalidDataException($"The engine returned {stereo.Length / channels} frames; the range needs {offset + rangeFrames}.");
        var audio = new float[rangeFrames * channels];
        Array.Copy(stereo, offset * channels, audio, 0, audio.Length);
        return new Take(request.RangeStart, audio, channels, seed);
    }

    private static async Task CancelOnEngineAsync(EnginePipeClient client, Guid taskUuid)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            using var _ = await client.SendAsync(new PipeRequest(new JsonArray(new JsonObject { ["taskType"] = "cancel", ["taskUUID"] = taskUuid.ToString() })), timeout.Token)
                .ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or EngineUnavailableException)
        {
            // Best effort: a vanished engine has nothing left to cancel.
        }
    }
}
