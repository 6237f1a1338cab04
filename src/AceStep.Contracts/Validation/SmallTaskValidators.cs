using System.Text.Json.Nodes;
using AceStep.Contracts.Tasks;

namespace AceStep.Contracts.Validation;

/// <summary>Validates <c>getResponse {taskUUID}</c>: poll an asynchronous task.</summary>
public static class GetResponseValidator
{
    /// <summary>Validates one task object of type <c>getResponse</c>.</summary>
    public static TaskValidation<TaskUuidReference> Validate(JsonObject task, TransportKind transport) =>
        TaskUuidReferenceValidator.Validate(task, TaskTypes.GetResponse, "the UUID of the task to poll");
}

/// <summary>Validates <c>cancel {taskUUID}</c> (engine extension): stop a queued or running task.</summary>
public static class CancelValidator
{
    /// <summary>Validates one task object of type <c>cancel</c>.</summary>
    public static TaskValidation<TaskUuidReference> Validate(JsonObject task, TransportKind transport) =>
        TaskUuidReferenceValidator.Validate(task, TaskTypes.Cancel, "the UUID of the task to cancel");
}

/// <summary>The shared rules of <c>getResponse</c> and <c>cancel</c>: <c>taskUUID</c> names another task.</summary>
internal static class TaskUuidReferenceValidator
{
    private static readonly HashSet<string> s_fields = new(StringComparer.Ordinal) { "taskType", "taskUUID" };

    public static TaskValidation<TaskUuidReference> Validate(JsonObject task, string taskType, string what)
    {
        ArgumentNullException.ThrowIfNull(task);
        var r = TaskReader.Start(task, taskType);
        r.UnknownFields(task, "", s_fields);
        // The task named was created with a UUID v4; any UUID is read here, and one the engine does not know is
        // answered with taskNotFound later.
        var text = r.String(r.Required(task, "taskUUID", "taskUUID", what), "taskUUID", "a UUID");
        Guid uuid = default;
        if (text is not null && !TaskReader.TryParseUuid(text.Trim(), out uuid))
        {
            r.Invalid("taskUUID", $"taskUUID {TaskReader.Quote(text)} is not a UUID; give {what}, e.g. 'db9ad4da-7608-4fe2-9111-a9b0e6bc94a7'.", "UUID");
        }
        return r.HasErrors
            ? TaskValidation.Failure<TaskUuidReference>(r.Errors)
            : TaskValidation.Success(new TaskUuidReference { TaskType = taskType, TaskUuid = uuid });
    }
}

/// <summary>Validates <c>mediaStorage {operation, media, taskUUID?}</c>.</summary>
public static class MediaStorageValidator
{
    private static readonly HashSet<string> s_fields = new(StringComparer.Ordinal) { "taskType", "taskUUID", "operation", "media" };

    /// <summary>Validates one task object of type <c>mediaStorage</c>.</summary>
    public static TaskValidation<MediaStorageRequest> Validate(JsonObject task, TransportKind transport)
    {
        ArgumentNullException.ThrowIfNull(task);
        var r = TaskReader.Start(task, TaskTypes.MediaStorage);
        var taskUuid = r.TaskUuidV4(task, required: false);
        r.UnknownFields(task, "", s_fields);

        MediaOperation? operation = null;
        var operationText = r.String(r.Required(task, "operation", "operation", "'upload' or 'delete'"), "operation", "'upload' or 'delete'");
        if (operationText is not null)
        {
            if (WireNames.TryParseMediaOperation(operationText.Trim(), out var parsed))
            {
                operation = parsed;
            }
            else
            {
                r.Invalid("operation", $"operation is {TaskReader.Quote(operationText)}; allowed: upload, delete.", TaskReader.Strings("upload", "delete"));
            }
        }

        var what = operation == MediaOperation.Delete
            ? "the mediaUUID to delete"
            : "the audio to store: a data:audio/…;base64, URI, base64 data or an http(s) URL";
        var media = r.String(r.Required(task, "media", "media", what), "media", what)?.Trim();
        AudioInputKind? kind = null;
        Guid? mediaUuid = null;
        int? attachment = null;
        if (media is not null && operation is { } op)
        {
            if (op == MediaOperation.Delete)
            {
                if (TaskReader.TryParseUuid(media, out var uuid))
                {
                    kind = AudioInputKind.Uuid;
                    mediaUuid = uuid;
                }
                else
                {
                    r.Invalid("media", $"media {TaskReader.Quote(media)} is not a UUID; to delete, give the mediaUUID that the upload answered.", "UUID");
                }
            }
            else
            {
                kind = AudioInputs.Classify(media, out _, out var n);
                switch (kind)
                {
                    case AudioInputKind.Attachment when transport != TransportKind.Pipe:
                        r.Unsupported("media", $"media {TaskReader.Quote(media)} refers to a binary attachment, which exists on the named pipe only; over HTTP send {what}.");
                        break;
                    case AudioInputKind.Attachment:
                        attachment = n;
                        break;
                    case AudioInputKind.DataUri or AudioInputKind.Url or AudioInputKind.Base64:
                        break;
                    default:
                        r.Invalid("media", $"media {TaskReader.Quote(media)} is not {what}" +
                                           (transport == TransportKind.Pipe ? ", or 'attachment:<n>'." : "."));
                        kind = null;
                        break;
                }
            }
        }

        return r.HasErrors
            ? TaskValidation.Failure<MediaStorageRequest>(r.Errors)
            : TaskValidation.Success(new MediaStorageRequest
            {
                TaskUuid = taskUuid,
                Operation = operation!.Value,
                Media = media!,
                MediaKind = kind,
                MediaUuid = mediaUuid,
                MediaAttachment = attachment,
            });
    }
}

/// <summary>Validates <c>ping {ping?}</c>.</summary>
public static class PingValidator
{
    private static readonly HashSet<string> s_fields = new(StringComparer.Ordinal) { "taskType", "taskUUID", "ping" };

    /// <summary>Validates one task object of type <c>ping</c>.</summary>
    public static TaskValidation<PingRequest> Validate(JsonObject task, TransportKind transport)
    {
        ArgumentNullException.ThrowIfNull(task);
        var r = TaskReader.Start(task, TaskTypes.Ping);
        var taskUuid = r.TaskUuidV4(task, required: false);
        r.UnknownFields(task, "", s_fields);
        var ping = r.Boolean(TaskReader.Get(task, "ping"), "ping");
        return r.HasErrors
            ? TaskValidation.Failure<PingRequest>(r.Errors)
            : TaskValidation.Success(new PingRequest { Ping = ping, TaskUuid = taskUuid });
    }
}

/// <summary>Validates <c>authentication {apiKey}</c>. Whether the key is right is the engine's business.</summary>
public static class AuthenticationValidator
{
    private static readonly HashSet<string> s_fields = new(StringComparer.Ordinal) { "taskType", "taskUUID", "apiKey" };

    /// <summary>Validates one task object of type <c>authentication</c>.</summary>
    public static TaskValidation<AuthenticationRequest> Validate(JsonObject task, TransportKind transport)
    {
        ArgumentNullException.ThrowIfNull(task);
        var r = TaskReader.Start(task, TaskTypes.Authentication);
        var taskUuid = r.TaskUuidV4(task, required: false);
        r.UnknownFields(task, "", s_fields);
        var apiKey = r.String(r.Required(task, "apiKey", "apiKey", "the API key to check"), "apiKey", "the API key");
        if (apiKey is not null && string.IsNullOrWhiteSpace(apiKey))
        {
            r.Invalid("apiKey", "apiKey is empty; send the key the engine was configured with.");
        }
        return r.HasErrors
            ? TaskValidation.Failure<AuthenticationRequest>(r.Errors)
            : TaskValidation.Success(new AuthenticationRequest { ApiKey = apiKey!, TaskUuid = taskUuid });
    }
}
