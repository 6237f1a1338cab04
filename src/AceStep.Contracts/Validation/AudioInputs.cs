using System.Globalization;

namespace AceStep.Contracts.Validation;

/// <summary>Recognises the forms an input audio reference may take.</summary>
internal static class AudioInputs
{
    public const string AttachmentPrefix = "attachment:";

    /// <summary>What a reference is; null when it is none of the accepted forms.</summary>
    public static Tasks.AudioInputKind? Classify(string text, out Guid uuid, out int attachment)
    {
        uuid = Guid.Empty;
        attachment = 0;
        if (TaskReader.TryParseUuid(text, out uuid))
        {
            return Tasks.AudioInputKind.Uuid;
        }
        if (text.StartsWith(AttachmentPrefix, StringComparison.Ordinal))
        {
            var number = text.AsSpan(AttachmentPrefix.Length);
            return number.Length > 0 && number[0] != '0' &&
                   int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out attachment) && attachment > 0
                ? Tasks.AudioInputKind.Attachment
                : null;
        }
        if (text.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            return IsAudioDataUri(text) ? Tasks.AudioInputKind.DataUri : null;
        }
        return TaskReader.TryHttpUri(text, out _) ? Tasks.AudioInputKind.Url
            : IsBase64(text) ? Tasks.AudioInputKind.Base64
            : null;
    }

    /// <summary><c>data:audio/&lt;subtype&gt;[;param=value…];base64,&lt;base64&gt;</c> with a non-empty payload.</summary>
    public static bool IsAudioDataUri(string text)
    {
        var comma = text.IndexOf(',', StringComparison.Ordinal);
        if (comma < 0)
        {
            return false;
        }
        var header = text.AsSpan(5, comma - 5);
        if (!header.StartsWith("audio/", StringComparison.OrdinalIgnoreCase) ||
            !header.EndsWith(";base64", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        var mediaType = header[..header.IndexOf(';')];
        return mediaType.Length > "audio/".Length && IsBase64(text.AsSpan(comma + 1));
    }

    /// <summary>Standard base64: alphabet characters, padded to a multiple of four, not empty.</summary>
    public static bool IsBase64(ReadOnlySpan<char> payload)
    {
        if (payload.Length == 0 || payload.Length % 4 != 0)
        {
            return false;
        }
        var padding = payload.EndsWith("==") ? 2 : payload.EndsWith("=") ? 1 : 0;
        foreach (var c in payload[..^padding])
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '/'))
            {
                return false;
            }
        }
        return true;
    }
}
