using System.Text.Json.Nodes;
using AceStep.Contracts;
using AceStep.Contracts.Sessions;
using AceStep.Contracts.Validation;
using AceStep.Engine.Host.Tasks;
using AceStep.Pipes;

namespace AceStep.Engine.Host.Sessions;

/// <summary>
/// <c>pluginSession</c> (engine extension, pipe only): a plugin instance opens its control page, publishes what the
/// page shows, hands over take audio and long-polls for what the producer did on the page. The engine stores and
/// relays; it never acts on the commands itself.
/// </summary>
public sealed class PluginSessionHandler : ITaskHandler
{
    private readonly SessionRegistry _sessions;

    /// <summary>Creates the handler.</summary>
    public PluginSessionHandler(SessionRegistry sessions) => _sessions = sessions;

    /// <inheritdoc />
    public string TaskType => TaskTypes.PluginSession;

    /// <inheritdoc />
    public async ValueTask<TaskOutcome> HandleAsync(JsonObject task, TaskContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var validation = PluginSessionValidator.Validate(task, context.Transport);
        if (!validation.IsValid)
        {
            return new TaskOutcome([], validation.Errors);
        }
        var request = validation.Value;
        var result = new PluginSessionResult { Operation = request.Operation, InstanceId = request.InstanceId, TaskUuid = request.TaskUuid };
        try
        {
            switch (request.Operation)
            {
                case SessionOperations.Open:
                    var opened = _sessions.Open(request.InstanceId, request.HostName, request.Title);
                    result = result with { ControlUrl = opened.ControlUrl, Revision = opened.View.Revision };
                    break;
                case SessionOperations.Update:
                    result = result with { Revision = Session(request).Update(request.View!, _sessions.Time.GetUtcNow()) };
                    break;
                case SessionOperations.PutTake:
                    var session = Session(request);
                    var wav = ReadTake(request, context);
                    result = result with { AudioUrl = session.PutTake(request.TakeId!, wav, _sessions.Time.GetUtcNow()) };
                    break;
                case SessionOperations.Poll:
                    var commands = await Session(request).PollAsync(request.AfterSequence ?? 0,
                        TimeSpan.FromSeconds(request.WaitSeconds ?? PluginSessionValidator.DefaultWaitSeconds), _sessions.Time, cancellationToken);
                    result = result with { Commands = commands };
                    break;
                case SessionOperations.Close:
                    _sessions.Close(request.InstanceId);
                    break;
            }
        }
        catch (SessionClosedException ex)
        {
            return Failure(request, ErrorCodes.Invalid("instanceId"), ex.Message, "instanceId");
        }
        catch (SessionLimitException ex)
        {
            return Failure(request, ErrorCodes.Invalid("instanceId"), ex.Message, "instanceId");
        }
        catch (TakeAudioException ex)
        {
            return Failure(request, ex.Code, ex.Message, "audio");
        }
        return TaskOutcome.Of(ContractsJson.ToJsonObject(result, ContractsJson.Default.PluginSessionResult));
    }

    private InstanceSession Session(PluginSessionRequest request) =>
        _sessions.FindOrRevive(request.InstanceId) ?? throw new SessionClosedException(request.InstanceId);

    private static byte[] ReadTake(PluginSessionRequest request, TaskContext context)
    {
        var id = uint.Parse(request.Audio!.AsSpan("attachment:".Length), System.Globalization.CultureInfo.InvariantCulture);
        using var attachment = context.Channel?.TakeAttachment(id)
            ?? throw new TakeAudioException(ErrorCodes.MediaNotFound, $"Attachment {id} was not sent on this connection before the putTake that uses it.");
        if (attachment.Format != AttachmentInfo.PcmF32)
        {
            throw new TakeAudioException(ErrorCodes.Invalid("audio"),
                $"Attachment {id} is '{attachment.Format}'; putTake takes PCM_F32 audio (interleaved float32 with sampleRate and channels).");
        }
        try
        {
            return TakeAudio.ToWav(attachment.Bytes.Span, attachment.SampleRate ?? 0, attachment.Channels ?? 0);
        }
        catch (ArgumentException ex)
        {
            throw new TakeAudioException(ErrorCodes.Invalid("audio"), $"Attachment {id}: {ex.Message}");
        }
    }

    private TaskOutcome Failure(PluginSessionRequest request, string code, string message, string parameter) =>
        new([], [new TaskError
        {
            Code = code,
            Message = message,
            Parameter = parameter,
            TaskType = TaskType,
            TaskUuid = request.TaskUuid?.ToString(),
        }]);

    private sealed class TakeAudioException(string code, string message) : Exception(message)
    {
        public string Code { get; } = code;
    }
}
