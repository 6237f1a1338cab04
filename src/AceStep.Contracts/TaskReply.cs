using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace AceStep.Contracts;

/// <summary>
/// The reply to one request array: <c>{"data":[…]}</c>, <c>{"errors":[…]}</c> or both. Data items are kept as
/// JSON objects because each task type answers with its own shape.
/// </summary>
public sealed record TaskReply
{
    /// <summary>Successful result items, in request order.</summary>
    [JsonPropertyName("data")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<JsonObject>? Data { get; init; }

    /// <summary>Error items, in request order.</summary>
    [JsonPropertyName("errors")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<TaskError>? Errors { get; init; }

    /// <summary>True when at least one task produced a data item.</summary>
    [JsonIgnore]
    public bool AnyAccepted => Data is { Count: > 0 };
}
