using System.Text.Json.Serialization;

namespace AceStep.Contracts.Tasks;

/// <summary>A task that names another task: <c>getResponse {taskUUID}</c> and <c>cancel {taskUUID}</c>.</summary>
public sealed record TaskUuidReference
{
    /// <summary><c>getResponse</c> or <c>cancel</c>.</summary>
    [JsonPropertyName("taskType")]
    public required string TaskType { get; init; }

    /// <summary>The task polled or cancelled.</summary>
    [JsonPropertyName("taskUUID")]
    public required Guid TaskUuid { get; init; }
}

/// <summary>A <c>mediaStorage</c> task: upload an input audio once, or delete it.</summary>
public sealed record MediaStorageRequest
{
    /// <summary>Always <c>mediaStorage</c>.</summary>
    [JsonPropertyName("taskType")]
    public string TaskType { get; init; } = TaskTypes.MediaStorage;

    /// <summary>Optional UUID echoed in the reply.</summary>
    [JsonPropertyName("taskUUID")]
    public Guid? TaskUuid { get; init; }

    /// <summary>Upload or delete.</summary>
    [JsonPropertyName("operation")]
    public required MediaOperation Operation { get; init; }

    /// <summary>
    /// Upload: a data URI, raw base64, an http(s) URL or (pipe) <c>attachment:&lt;n&gt;</c>. Delete: the mediaUUID.
    /// </summary>
    [JsonPropertyName("media")]
    public required string Media { get; init; }

    /// <summary>What <see cref="Media"/> holds once validated (null for raw base64 and on the wire).</summary>
    [JsonIgnore]
    public AudioInputKind? MediaKind { get; init; }

    /// <summary>Delete: the parsed mediaUUID; upload with <c>attachment:n</c>: null.</summary>
    [JsonIgnore]
    public Guid? MediaUuid { get; init; }

    /// <summary>Upload with <c>attachment:n</c> on the pipe: n.</summary>
    [JsonIgnore]
    public int? MediaAttachment { get; init; }
}

/// <summary>The answer to <c>mediaStorage</c>: <c>{mediaUUID, mediaURL}</c> (upload) or <c>{mediaUUID}</c> (delete).</summary>
public sealed record MediaStorageResult
{
    /// <summary>Always <c>mediaStorage</c>.</summary>
    [JsonPropertyName("taskType")]
    public string TaskType { get; init; } = TaskTypes.MediaStorage;

    /// <summary>The task's UUID when it had one.</summary>
    [JsonPropertyName("taskUUID")]
    public Guid? TaskUuid { get; init; }

    /// <summary>The stored media's UUID, usable as <c>inputs.audio</c>.</summary>
    [JsonPropertyName("mediaUUID")]
    public required Guid MediaUuid { get; init; }

    /// <summary>Where the engine serves it (upload only).</summary>
    [JsonPropertyName("mediaURL")]
    public Uri? MediaUrl { get; init; }
}

/// <summary>A <c>ping</c> task: <c>{taskType, ping?}</c>.</summary>
public sealed record PingRequest
{
    /// <summary>Always <c>ping</c>.</summary>
    [JsonPropertyName("taskType")]
    public string TaskType { get; init; } = TaskTypes.Ping;

    /// <summary>Optional; <c>true</c> by convention.</summary>
    [JsonPropertyName("ping")]
    public bool? Ping { get; init; }

    /// <summary>Optional UUID echoed in the reply.</summary>
    [JsonPropertyName("taskUUID")]
    public Guid? TaskUuid { get; init; }
}

/// <summary>The answer to <c>ping</c>: <c>{taskType, pong: true}</c>.</summary>
public sealed record PingResult
{
    /// <summary>Always <c>ping</c>.</summary>
    [JsonPropertyName("taskType")]
    public string TaskType { get; init; } = TaskTypes.Ping;

    /// <summary>The task's UUID when it had one.</summary>
    [JsonPropertyName("taskUUID")]
    public Guid? TaskUuid { get; init; }

    /// <summary>Always true.</summary>
    [JsonPropertyName("pong")]
    public bool Pong { get; init; } = true;
}

/// <summary>An <c>authentication</c> task: <c>{taskType, apiKey}</c>.</summary>
public sealed record AuthenticationRequest
{
    /// <summary>Always <c>authentication</c>.</summary>
    [JsonPropertyName("taskType")]
    public string TaskType { get; init; } = TaskTypes.Authentication;

    /// <summary>The key to check.</summary>
    [JsonPropertyName("apiKey")]
    public required string ApiKey { get; init; }

    /// <summary>Optional UUID echoed in the reply.</summary>
    [JsonPropertyName("taskUUID")]
    public Guid? TaskUuid { get; init; }
}

/// <summary>The answer to a successful <c>authentication</c> (a wrong key answers <c>invalidApiKey</c>).</summary>
public sealed record AuthenticationResult
{
    /// <summary>Always <c>authentication</c>.</summary>
    [JsonPropertyName("taskType")]
    public string TaskType { get; init; } = TaskTypes.Authentication;

    /// <summary>The task's UUID when it had one.</summary>
    [JsonPropertyName("taskUUID")]
    public Guid? TaskUuid { get; init; }
}

/// <summary>The answer to <c>cancel</c>: the task named, and whether anything was still running or queued.</summary>
public sealed record CancelResult
{
    /// <summary>Always <c>cancel</c>.</summary>
    [JsonPropertyName("taskType")]
    public string TaskType { get; init; } = TaskTypes.Cancel;

    /// <summary>The cancelled task.</summary>
    [JsonPropertyName("taskUUID")]
    public required Guid TaskUuid { get; init; }

    /// <summary>True when queued or running items were stopped; false when all had finished already.</summary>
    [JsonPropertyName("cancelled")]
    public bool Cancelled { get; init; }
}
