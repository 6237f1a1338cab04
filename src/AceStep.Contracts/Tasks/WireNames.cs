namespace AceStep.Contracts.Tasks;

/// <summary>The exact strings the wire uses for the contract's enums, and the reverse look-ups.</summary>
public static class WireNames
{
    /// <summary><c>URL</c>, <c>base64Data</c>, <c>dataURI</c>, <c>attachment</c>.</summary>
    public static string ToWire(this OutputType value) => value switch
    {
        OutputType.Url => "URL",
        OutputType.Base64Data => "base64Data",
        OutputType.DataUri => "dataURI",
        OutputType.Attachment => "attachment",
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, null),
    };

    /// <summary><c>MP3</c>, <c>WAV</c>, <c>FLAC</c>, <c>OGG</c>, <c>PCM_F32</c>.</summary>
    public static string ToWire(this OutputFormat value) => value switch
    {
        OutputFormat.Mp3 => "MP3",
        OutputFormat.Wav => "WAV",
        OutputFormat.Flac => "FLAC",
        OutputFormat.Ogg => "OGG",
        OutputFormat.PcmF32 => "PCM_F32",
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, null),
    };

    /// <summary><c>sync</c>, <c>async</c>.</summary>
    public static string ToWire(this DeliveryMethod value) => value switch
    {
        DeliveryMethod.Sync => "sync",
        DeliveryMethod.Async => "async",
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, null),
    };

    /// <summary><c>apg</c>, <c>cfg</c>.</summary>
    public static string ToWire(this GuidanceType value) => value switch
    {
        GuidanceType.Apg => "apg",
        GuidanceType.Cfg => "cfg",
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, null),
    };

    /// <summary><c>upload</c>, <c>delete</c>.</summary>
    public static string ToWire(this MediaOperation value) => value switch
    {
        MediaOperation.Upload => "upload",
        MediaOperation.Delete => "delete",
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, null),
    };

    /// <summary>The file extension of a format (<c>mp3</c>, <c>wav</c>, <c>flac</c>, <c>ogg</c>, <c>f32</c>).</summary>
    public static string FileExtension(this OutputFormat value) => value switch
    {
        OutputFormat.Mp3 => "mp3",
        OutputFormat.Wav => "wav",
        OutputFormat.Flac => "flac",
        OutputFormat.Ogg => "ogg",
        OutputFormat.PcmF32 => "f32",
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, null),
    };

    /// <summary>The MIME type of a format, as used in data URIs and upload Content-Type.</summary>
    public static string MimeType(this OutputFormat value) => value switch
    {
        OutputFormat.Mp3 => "audio/mpeg",
        OutputFormat.Wav => "audio/wav",
        OutputFormat.Flac => "audio/flac",
        OutputFormat.Ogg => "audio/ogg",
        OutputFormat.PcmF32 => "application/octet-stream",
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, null),
    };

    /// <summary>Reads <c>outputType</c>; letter case is ignored.</summary>
    public static bool TryParseOutputType(string text, out OutputType value) =>
        TryParse(text, s_outputTypes, out value);

    /// <summary>Reads <c>outputFormat</c>; letter case is ignored.</summary>
    public static bool TryParseOutputFormat(string text, out OutputFormat value) =>
        TryParse(text, s_outputFormats, out value);

    /// <summary>Reads <c>deliveryMethod</c>; letter case is ignored.</summary>
    public static bool TryParseDeliveryMethod(string text, out DeliveryMethod value) =>
        TryParse(text, s_deliveryMethods, out value);

    /// <summary>Reads <c>settings.guidanceType</c>; letter case is ignored.</summary>
    public static bool TryParseGuidanceType(string text, out GuidanceType value) =>
        TryParse(text, s_guidanceTypes, out value);

    /// <summary>Reads <c>operation</c>; letter case is ignored.</summary>
    public static bool TryParseMediaOperation(string text, out MediaOperation value) =>
        TryParse(text, s_mediaOperations, out value);

    private static readonly OutputType[] s_outputTypes = Enum.GetValues<OutputType>();
    private static readonly OutputFormat[] s_outputFormats = Enum.GetValues<OutputFormat>();
    private static readonly DeliveryMethod[] s_deliveryMethods = Enum.GetValues<DeliveryMethod>();
    private static readonly GuidanceType[] s_guidanceTypes = Enum.GetValues<GuidanceType>();
    private static readonly MediaOperation[] s_mediaOperations = Enum.GetValues<MediaOperation>();

    private static bool TryParse<T>(string text, T[] values, out T value) where T : struct, Enum
    {
        foreach (var candidate in values)
        {
            if (string.Equals(Wire(candidate), text, StringComparison.OrdinalIgnoreCase))
            {
                value = candidate;
                return true;
            }
        }
        value = default;
        return false;
    }

    private static string Wire<T>(T value) where T : struct, Enum => value switch
    {
        OutputType v => v.ToWire(),
        OutputFormat v => v.ToWire(),
        DeliveryMethod v => v.ToWire(),
        GuidanceType v => v.ToWire(),
        MediaOperation v => v.ToWire(),
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, null),
    };

    /// <summary>The <c>settings.task</c> names of the base model's stem jobs, as the wire spells them.</summary>
    public static IReadOnlyList<string> StemTaskNames { get; } = ["lego", "extract", "complete"];

    /// <summary>Reads <c>settings.task</c>; letter case and surrounding spaces are ignored.</summary>
    public static bool TryParseStemTask(string text, out JobKind value)
    {
        ArgumentNullException.ThrowIfNull(text);
        value = text.Trim().ToLowerInvariant() switch
        {
            "lego" => JobKind.Lego,
            "extract" => JobKind.Extract,
            "complete" => JobKind.Complete,
            _ => JobKind.TextToMusic,
        };
        return value != JobKind.TextToMusic;
    }

    /// <summary>The <c>settings.task</c> value of a stem job; null for the jobs the other fields select.</summary>
    public static string? StemTaskName(JobKind kind) => kind switch
    {
        JobKind.Lego => "lego",
        JobKind.Extract => "extract",
        JobKind.Complete => "complete",
        _ => null,
    };
}
