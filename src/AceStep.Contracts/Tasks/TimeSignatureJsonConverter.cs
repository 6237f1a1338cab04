using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AceStep.Contracts.Tasks;

/// <summary>
/// Reads <c>settings.timeSignature</c> as the wire allows it (a JSON integer, a numeric string, or <c>""</c> for "model
/// decides", read as null) and writes it as an integer. Range checks belong to the validator.
/// </summary>
public sealed class TimeSignatureJsonConverter : JsonConverter<int?>
{
    /// <inheritdoc />
    public override bool HandleNull => true;

    /// <inheritdoc />
    public override int? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.Number when reader.TryGetInt32(out var number):
                return number;
            case JsonTokenType.String:
                var text = reader.GetString()!.Trim();
                if (text.Length == 0)
                {
                    return null;
                }
                if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
                {
                    return parsed;
                }
                break;
        }
        throw new JsonException("settings.timeSignature is an integer, a numeric string or \"\".");
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, int? value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is { } number)
        {
            writer.WriteNumberValue(number);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
