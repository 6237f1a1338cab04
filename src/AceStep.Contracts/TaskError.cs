using System.Text.Json.Serialization;

namespace AceStep.Contracts;

/// <summary>One item of a reply's <c>errors</c> array.</summary>
public sealed record TaskError
{
    /// <summary>Machine-readable code, e.g. <c>invalidKeyScale</c>.</summary>
    [JsonPropertyName("code")]
    public required string Code { get; init; }

    /// <summary>What was wrong and what is allowed, written for a person.</summary>
    [JsonPropertyName("message")]
    public required string Message { get; init; }

    /// <summary>Dotted path of the offending field, when one field is at fault.</summary>
    [JsonPropertyName("parameter")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Parameter { get; init; }

    /// <summary>The task's type, when it could be read.</summary>
    [JsonPropertyName("taskType")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? TaskType { get; init; }

    /// <summary>The task's UUID, when it could be read.</summary>
    [JsonPropertyName("taskUUID")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? TaskUuid { get; init; }
}
