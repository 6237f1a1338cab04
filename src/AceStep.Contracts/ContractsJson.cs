using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using AceStep.Contracts.Tasks;

namespace AceStep.Contracts;

/// <summary>Source-generated serialisation for the contract types (no reflection, NativeAOT-safe).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TaskReply))]
[JsonSerializable(typeof(TaskError))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(JsonArray))]
[JsonSerializable(typeof(AudioInferenceTask))]
[JsonSerializable(typeof(AudioInferenceResult))]
[JsonSerializable(typeof(TaskAcknowledgement))]
[JsonSerializable(typeof(TaskUuidReference))]
[JsonSerializable(typeof(MediaStorageRequest))]
[JsonSerializable(typeof(MediaStorageResult))]
[JsonSerializable(typeof(PingRequest))]
[JsonSerializable(typeof(PingResult))]
[JsonSerializable(typeof(AuthenticationRequest))]
[JsonSerializable(typeof(AuthenticationResult))]
[JsonSerializable(typeof(CancelResult))]
[JsonSerializable(typeof(AudioAnalysisRequest))]
[JsonSerializable(typeof(AudioAnalysisResult))]
[JsonSerializable(typeof(Sessions.PluginSessionRequest))]
[JsonSerializable(typeof(Sessions.PluginSessionResult))]
[JsonSerializable(typeof(Sessions.SessionCommand))]
[JsonSerializable(typeof(Sessions.SessionView))]
public sealed partial class ContractsJson : JsonSerializerContext
{
    // Replies are read by people (messages quote values like 'paint'); they are never embedded in HTML, so the
    // default escaping of quotes and non-ASCII only hurts readability.
    private static readonly ContractsJson s_readable = new(new JsonSerializerOptions
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    });

    /// <summary>
    /// The same contract with readable escaping (quotes and non-ASCII such as <c>♯</c> written as they are); what
    /// <see cref="ToUtf8"/> uses.
    /// </summary>
    public static ContractsJson Readable => s_readable;

    /// <summary>Serialises a reply as compact UTF-8 JSON.</summary>
    public static byte[] ToUtf8(TaskReply reply) => JsonSerializer.SerializeToUtf8Bytes(reply, s_readable.TaskReply);

    /// <summary>Reads a reply; throws <see cref="JsonException"/> on malformed input.</summary>
    public static TaskReply ReadReply(ReadOnlySpan<byte> utf8) =>
        JsonSerializer.Deserialize(utf8, Default.TaskReply) ?? throw new JsonException("The reply is JSON null.");

    /// <summary>
    /// A typed item as the JSON object a <see cref="TaskReply.Data"/> list holds, e.g.
    /// <c>ContractsJson.ToJsonObject(result, ContractsJson.Default.AudioInferenceResult)</c>.
    /// </summary>
    public static JsonObject ToJsonObject<T>(T value, JsonTypeInfo<T> typeInfo) =>
        JsonSerializer.SerializeToNode(value, typeInfo) as JsonObject
        ?? throw new JsonException($"{typeof(T).Name} did not serialise to a JSON object.");
}
