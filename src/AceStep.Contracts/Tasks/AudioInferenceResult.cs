using System.Text.Json.Serialization;

namespace AceStep.Contracts.Tasks;

/// <summary>
/// One result item of an <c>audioInference</c> task (also what <c>getResponse</c> returns per item). Exactly one of
/// <see cref="AudioUrl"/>, <see cref="AudioBase64Data"/>, <see cref="AudioDataUri"/> or (pipe)
/// <see cref="AudioAttachment"/> is set on a finished item.
/// </summary>
public sealed record AudioInferenceResult
{
    /// <summary>Always <c>audioInference</c>.</summary>
    [JsonPropertyName("taskType")]
    public string TaskType { get; init; } = TaskTypes.AudioInference;

    /// <summary>The task's UUID; shared by the task's results.</summary>
    [JsonPropertyName("taskUUID")]
    public required Guid TaskUuid { get; init; }

    /// <summary>This result's own UUID (usable as a later <c>inputs.audio</c>).</summary>
    [JsonPropertyName("audioUUID")]
    public required Guid AudioUuid { get; init; }

    /// <summary>With outputType <c>URL</c>.</summary>
    [JsonPropertyName("audioURL")]
    public Uri? AudioUrl { get; init; }

    /// <summary>With outputType <c>base64Data</c>.</summary>
    [JsonPropertyName("audioBase64Data")]
    public string? AudioBase64Data { get; init; }

    /// <summary>With outputType <c>dataURI</c>.</summary>
    [JsonPropertyName("audioDataURI")]
    public string? AudioDataUri { get; init; }

    /// <summary>Pipe extension, outputType <c>attachment</c>: the number of the binary attachment carrying the audio.</summary>
    [JsonPropertyName("audioAttachment")]
    public int? AudioAttachment { get; init; }

    /// <summary>The seed this result used.</summary>
    [JsonPropertyName("seed")]
    public long Seed { get; init; }

    /// <summary>USD, with <c>includeCost</c>.</summary>
    [JsonPropertyName("cost")]
    public decimal? Cost { get; init; }

    /// <summary>Set by <c>getResponse</c>.</summary>
    [JsonPropertyName("status")]
    public ResultStatus? Status { get; init; }

    /// <summary>0–100 while processing (<c>getResponse</c>).</summary>
    [JsonPropertyName("progress")]
    public int? Progress { get; init; }
}

/// <summary>The immediate answer to an <c>async</c> task: <c>{taskType, taskUUID}</c>.</summary>
public sealed record TaskAcknowledgement
{
    /// <summary>The task's type.</summary>
    [JsonPropertyName("taskType")]
    public required string TaskType { get; init; }

    /// <summary>The task's UUID.</summary>
    [JsonPropertyName("taskUUID")]
    public required Guid TaskUuid { get; init; }
}
