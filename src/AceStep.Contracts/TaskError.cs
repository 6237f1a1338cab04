using System.Text.Json.Nodes;
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

    /// <summary>
    /// Dotted path of the offending field (a JSON string), or the paths of the fields a cross-field rule spans (a JSON
    /// array); a plain string converts implicitly.
    /// </summary>
    [JsonPropertyName("parameter")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ErrorParameter? Parameter { get; init; }

    /// <summary>The task's type, when it could be read.</summary>
    [JsonPropertyName("taskType")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? TaskType { get; init; }

    /// <summary>The task's UUID, when it could be read.</summary>
    [JsonPropertyName("taskUUID")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? TaskUuid { get; init; }

    /// <summary>
    /// What the field accepts, where that helps: a JSON string (a range such as <c>"6 to 300, step 0.1"</c>) or an
    /// array of the allowed values.
    /// </summary>
    [JsonPropertyName("allowedValues")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonNode? AllowedValues { get; init; }

    /// <summary>Seconds to wait before retrying (with <see cref="ErrorCodes.QueueFull"/>).</summary>
    [JsonPropertyName("retryAfter")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? RetryAfter { get; init; }

    /// <summary>Where to read more, when there is a page for it.</summary>
    [JsonPropertyName("documentation")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Documentation { get; init; }
}
