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

    /// <summary>Type of a progress event for a running task, sent to the connection that submitted it.</summary>
    public const string ProgressType = "progress";

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

    /// <summary>
    /// Request: the attachments its tasks reference as <c>attachment:&lt;id&gt;</c>, each sent as an Attachment frame
    /// before this message. Reply: the attachments the engine sent before it, referenced by result items'
    /// <c>audioAttachment</c>.
    /// </summary>
    [JsonPropertyName("attachments")]
    public IReadOnlyList<AttachmentInfo>? Attachments { get; init; }

    /// <summary>Progress event: the task it is about.</summary>
    [JsonPropertyName("taskUUID")]
    public string? TaskUuid { get; init; }

    /// <summary>Progress event: 0–100.</summary>
    [JsonPropertyName("progress")]
    public double? Progress { get; init; }

    /// <summary>Progress event: what runs now.</summary>
    [JsonPropertyName("stage")]
    public string? Stage { get; init; }
}

/// <summary>What an attachment holds.</summary>
/// <param name="Id">The id in the Attachment frame's first four bytes.</param>
/// <param name="Format"><c>PCM_F32</c> (interleaved little-endian float32) or <c>file</c> (an encoded file FFmpeg reads).</param>
/// <param name="SampleRate">For PCM: frames per second.</param>
/// <param name="Channels">For PCM: channels per frame.</param>
public sealed record AttachmentInfo(
    [property: JsonPropertyName("id")] uint Id,
    [property: JsonPropertyName("format")] string Format,
    [property: JsonPropertyName("sampleRate")] int? SampleRate = null,
    [property: JsonPropertyName("channels")] int? Channels = null)
{
    /// <summary>Raw interleaved little-endian float32 samples.</summary>
    public const string PcmF32 = "PCM_F32";

    /// <summary>An encoded audio file (WAV, FLAC, MP3, OGG, …).</summary>
    public const string File = "file";
}

/// <summary>Source-generated serialisation of the pipe's own messages.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(EngineIdentity))]
[JsonSerializable(typeof(PipeFatal))]
[JsonSerializable(typeof(PipeMessage))]
public sealed partial class PipeJson : JsonSerializerContext;
