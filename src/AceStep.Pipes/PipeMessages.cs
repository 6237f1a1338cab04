using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using AceStep.Contracts;

namespace AceStep.Pipes;

/// <summary>Who answered the handshake.</summary>
/// <param name="Name">Always <c>acestep-engine</c>.</param>
/// <param name="Version">The engine's informational version.</param>
/// <param name="ProcessId">The engine's process id, so a client can tell a restarted engine from the same one.</param>
public sealed record EngineIdentity(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("pid")] int ProcessId);

/// <summary>The JSON of a <see cref="FrameKind.Fatal"/> frame.</summary>
public sealed record PipeFatal(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("message")] string Message);

/// <summary>
/// One JSON frame. <c>type</c> tells requests (<c>request</c>: <c>id</c> + <c>tasks</c>) from replies
/// (<c>reply</c>: <c>id</c> + <c>data</c>/<c>errors</c>, as on HTTP) and events.
/// </summary>
public sealed record PipeMessage
{
    /// <summary>Type of a client request.</summary>
    public const string RequestType = "request";

    /// <summary>Type of the engine's reply to one request.</summary>
    public const string ReplyType = "reply";

    /// <summary><c>request</c>, <c>reply</c> or an event type.</summary>
    [JsonPropertyName("type")]
    public required string Type { get; init; }

    /// <summary>Chosen by the client per request and echoed in its reply, so requests can overlap.</summary>
    [JsonPropertyName("id")]
    public long Id { get; init; }

    /// <summary>Request: the task array, exactly as POSTed over HTTP.</summary>
    [JsonPropertyName("tasks")]
    public JsonArray? Tasks { get; init; }

    /// <summary>Reply: result items.</summary>
    [JsonPropertyName("data")]
    public IReadOnlyList<JsonObject>? Data { get; init; }

    /// <summary>Reply: error items.</summary>
    [JsonPropertyName("errors")]
    public IReadOnlyList<TaskError>? Errors { get; init; }
}

/// <summary>Source-generated serialisation of the pipe's own messages.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(EngineIdentity))]
[JsonSerializable(typeof(PipeFatal))]
[JsonSerializable(typeof(PipeMessage))]
public sealed partial class PipeJson : JsonSerializerContext;
