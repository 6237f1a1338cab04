using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;

namespace AceStep.Contracts;

/// <summary>
/// The one reader of untrusted JSON text (HTTP request bodies, pipe JSON frames, control-page commands). It accepts
/// only what RFC 8259 calls interoperable: valid UTF-8, no escaped lone surrogate (<c>"\ud800"</c>), no property name
/// twice in one object, at most <see cref="MaxDepth"/> levels. Anything else is an
/// <see cref="InvalidJsonTextException"/> naming the byte where it went wrong, checked before a single value is read,
/// so no reader further in can meet text it cannot turn into a .NET string.
/// </summary>
/// <remarks>
/// System.Text.Json alone accepts invalid UTF-8 and lone surrogates inside strings while parsing and throws
/// <see cref="InvalidOperationException"/> only when the value is first read, deep inside a handler; that reached
/// users as HTTP 500 and as pipe requests that were never answered.
/// </remarks>
public static class StrictJson
{
    /// <summary>Deepest nesting accepted (a task is at most four levels deep; the rest is margin).</summary>
    public const int MaxDepth = 64;

    private static readonly JsonDocumentOptions s_documentOptions = new() { MaxDepth = MaxDepth, AllowDuplicateProperties = false };

    /// <summary>Checks <paramref name="utf8"/> and parses it; throws <see cref="InvalidJsonTextException"/> when it breaks a rule.</summary>
    public static JsonNode? Parse(ReadOnlySpan<byte> utf8)
    {
        Check(utf8);
        try
        {
            return JsonNode.Parse(utf8, documentOptions: s_documentOptions);
        }
        catch (JsonException ex)
        {
            // Check already read the whole text; this is only a second line of defence.
            throw new InvalidJsonTextException(ex.Message, ex.BytePositionInLine ?? 0, ex);
        }
    }

    /// <summary>
    /// Throws <see cref="InvalidJsonTextException"/> unless <paramref name="utf8"/> is one JSON value that breaks
    /// none of the rules above.
    /// </summary>
    public static void Check(ReadOnlySpan<byte> utf8)
    {
        if (!Utf8.IsValid(utf8))
        {
            var at = FirstInvalidUtf8(utf8);
            throw new InvalidJsonTextException(
                $"The JSON text is not valid UTF-8: byte {at} (0x{utf8[at]:X2}) does not start or continue a UTF-8 character. Send UTF-8 text.", at);
        }
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = MaxDepth });
        var names = new Stack<HashSet<string>>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        names.Push(new HashSet<string>(StringComparer.Ordinal));
                        break;
                    case JsonTokenType.EndObject:
                        names.Pop();
                        break;
                    case JsonTokenType.PropertyName:
                        var name = ReadString(ref reader, "property name");
                        if (!names.Peek().Add(name))
                        {
                            throw new InvalidJsonTextException(
                                $"The property '{Shorten(name)}' appears twice in one object (byte {reader.TokenStartIndex}); each name may appear once.",
                                reader.TokenStartIndex);
                        }
                        break;
                    case JsonTokenType.String when reader.ValueIsEscaped:
                        // Unescaped strings are valid UTF-8 already; only escapes can spell a lone surrogate. Checked on
                        // the raw text, without making a string: a base64 input of 40 MB is one such value.
                        if (!SurrogateEscapesArePaired(reader.ValueSpan))
                        {
                            ReadString(ref reader, "string");   // throws with the message
                        }
                        break;
                }
            }
        }
        catch (JsonException ex)
        {
            throw new InvalidJsonTextException(
                $"The text is not valid JSON: {ex.Message}", reader.TokenStartIndex, ex);
        }
    }

    /// <summary>
    /// False when the escaped JSON string text <paramref name="raw"/> (between the quotes, as written) has a <c>\uD800</c>–
    /// <c>\uDBFF</c> escape not followed by a <c>\uDC00</c>–<c>\uDFFF</c> one, or a low one without a high one before it.
    /// The reader has already checked that every escape is well-formed.
    /// </summary>
    internal static bool SurrogateEscapesArePaired(ReadOnlySpan<byte> raw)
    {
        var expectLow = false;
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] != (byte)'\\')
            {
                if (expectLow)
                {
                    return false;
                }
                continue;
            }
            var escaped = raw[++i];
            if (escaped != (byte)'u')
            {
                if (expectLow)
                {
                    return false;
                }
                continue;
            }
            var unit = Hex(raw.Slice(i + 1, 4));
            i += 4;
            if (unit is >= 0xD800 and <= 0xDBFF)
            {
                if (expectLow)
                {
                    return false;
                }
                expectLow = true;
            }
            else if (unit is >= 0xDC00 and <= 0xDFFF)
            {
                if (!expectLow)
                {
                    return false;
                }
                expectLow = false;
            }
            else if (expectLow)
            {
                return false;
            }
        }
        return !expectLow;
    }

    private static int Hex(ReadOnlySpan<byte> four)
    {
        var value = 0;
        foreach (var b in four)
        {
            value = (value << 4) | (b <= (byte)'9' ? b - '0' : (b | 0x20) - 'a' + 10);
        }
        return value;
    }

    private static string ReadString(ref Utf8JsonReader reader, string what)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException ex)
        {
            throw new InvalidJsonTextException(
                $"A {what} at byte {reader.TokenStartIndex} escapes a lone UTF-16 surrogate (such as \\ud800 without its pair); " +
                "JSON strings must hold Unicode characters.", reader.TokenStartIndex, ex);
        }
    }

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> utf8)
    {
        var chars = ArrayPool<char>.Shared.Rent(4096);
        try
        {
            var offset = 0;
            while (offset < utf8.Length)
            {
                var status = Utf8.ToUtf16(utf8[offset..], chars, out var read, out _, replaceInvalidSequences: false);
                offset += read;
                if (status is OperationStatus.InvalidData or OperationStatus.NeedMoreData)
                {
                    return Math.Min(offset, utf8.Length - 1);
                }
                if (status == OperationStatus.Done)
                {
                    break;
                }
            }
            return Math.Max(0, utf8.Length - 1);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    private static string Shorten(string text) =>
        text.Length <= 48 ? text : string.Create(CultureInfo.InvariantCulture, $"{text[..48]}… ({text.Length} characters)");
}

/// <summary>JSON text that <see cref="StrictJson"/> refuses; the message says what and where, for the user.</summary>
public sealed class InvalidJsonTextException : Exception
{
    /// <summary>Creates the exception.</summary>
    public InvalidJsonTextException(string message, long bytePosition, Exception? inner = null) : base(message, inner) =>
        BytePosition = bytePosition;

    /// <summary>Where in the text (bytes from its start, or from its line for syntax errors) the problem was found.</summary>
    public long BytePosition { get; }
}
