using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace AceStep.Contracts;

/// <summary>Source-generated serialisation for the contract types (no reflection, NativeAOT-safe).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TaskReply))]
[JsonSerializable(typeof(TaskError))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(JsonArray))]
public sealed partial class ContractsJson : JsonSerializerContext
{
    // Replies are read by people (messages quote values like 'paint'); they are never embedded in HTML, so the
    // default escaping of quotes and non-ASCII only hurts readability.
    private static readonly ContractsJson s_readable = new(new JsonSerializerOptions
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    });

    /// <summary>Serialises a reply as compact UTF-8 JSON.</summary>
    public static byte[] ToUtf8(TaskReply reply) => JsonSerializer.SerializeToUtf8Bytes(reply, s_readable.TaskReply);

    /// <summary>Reads a reply; throws <see cref="JsonException"/> on malformed input.</summary>
    public static TaskReply ReadReply(ReadOnlySpan<byte> utf8) =>
        JsonSerializer.Deserialize(utf8, Default.TaskReply) ?? throw new JsonException("The reply is JSON null.");
}
