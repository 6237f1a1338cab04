using System.Text.Json.Serialization;

namespace AceStep.Contracts.Tasks;

/// <summary>
/// An <c>audioInference</c> task exactly as it travels (the seed document's field names), for clients that build
/// requests. Fields left null are not written. The engine does not deserialise into this type: it validates the raw
/// JSON with <see cref="Validation.AudioInferenceValidator"/>, which reports every problem and yields an
/// <see cref="AudioInferenceRequest"/>.
/// </summary>
public sealed record AudioInferenceTask
{
    /// <summary>Always <c>audioInference</c>.</summary>
    [JsonPropertyName("taskType")]
    public string TaskType { get; init; } = TaskTypes.AudioInference;

    /// <summary>UUID v4, unique per task.</summary>
    [JsonPropertyName("taskUUID")]
    public required Guid TaskUuid { get; init; }

    /// <summary>E.g. <c>runware:ace-step@v1.5-base</c>.</summary>
    [JsonPropertyName("model")]
    public required string Model { get; init; }

    /// <summary>What to generate, 2–3000 characters.</summary>
    [JsonPropertyName("positivePrompt")]
    public required string PositivePrompt { get; init; }

    /// <summary>What to avoid, 2–3000 characters; used only with CFGScale &gt; 1.</summary>
    [JsonPropertyName("negativePrompt")]
    public string? NegativePrompt { get; init; }

    /// <summary>Seconds, 6–300, step 0.1 (default 60); ignored with <c>inputs.audio</c>.</summary>
    [JsonPropertyName("duration")]
    public double? Duration { get; init; }

    /// <summary>0–2147483647; absent: random.</summary>
    [JsonPropertyName("seed")]
    public long? Seed { get; init; }

    /// <summary>Denoising steps, 1–300 (default 100).</summary>
    [JsonPropertyName("steps")]
    public int? Steps { get; init; }

    /// <summary>Guidance scale, 1–30, step 0.01 (default 10).</summary>
    [JsonPropertyName("CFGScale")]
    public double? CfgScale { get; init; }

    /// <summary>Fraction of steps using the input source, 0–1, step 0.01 (default 0.5).</summary>
    [JsonPropertyName("strength")]
    public double? Strength { get; init; }

    /// <summary>1–4 (default 1).</summary>
    [JsonPropertyName("numberResults")]
    public int? NumberResults { get; init; }

    /// <summary>Default <c>URL</c>.</summary>
    [JsonPropertyName("outputType")]
    public OutputType? OutputType { get; init; }

    /// <summary>Default <c>MP3</c>.</summary>
    [JsonPropertyName("outputFormat")]
    public OutputFormat? OutputFormat { get; init; }

    /// <summary>MP3/OGG encoding (and PCM_F32 rate/channels on the pipe).</summary>
    [JsonPropertyName("audioSettings")]
    public AudioInferenceTaskAudioSettings? AudioSettings { get; init; }

    /// <summary>Absolute http(s) URL receiving each finished item.</summary>
    [JsonPropertyName("webhookURL")]
    public Uri? WebhookUrl { get; init; }

    /// <summary>Default <c>sync</c>.</summary>
    [JsonPropertyName("deliveryMethod")]
    public DeliveryMethod? DeliveryMethod { get; init; }

    /// <summary>Absolute http(s) URL the finished file is PUT to.</summary>
    [JsonPropertyName("uploadEndpoint")]
    public Uri? UploadEndpoint { get; init; }

    /// <summary>Seconds a URL result is kept, ≥ 60 (default 86400).</summary>
    [JsonPropertyName("ttl")]
    public int? Ttl { get; init; }

    /// <summary>Add <c>cost</c> to each result (default false).</summary>
    [JsonPropertyName("includeCost")]
    public bool? IncludeCost { get; init; }

    /// <summary>Input resources.</summary>
    [JsonPropertyName("inputs")]
    public AudioInferenceTaskInputs? Inputs { get; init; }

    /// <summary>Musical and guidance settings.</summary>
    [JsonPropertyName("settings")]
    public AudioInferenceTaskSettings? Settings { get; init; }
}

/// <summary>The <c>inputs</c> object of an <see cref="AudioInferenceTask"/>.</summary>
public sealed record AudioInferenceTaskInputs
{
    /// <summary>
    /// A mediaUUID/audioUUID, an http(s) URL, a <c>data:audio/…;base64,</c> URI or, on the pipe,
    /// <c>attachment:&lt;n&gt;</c>.
    /// </summary>
    [JsonPropertyName("audio")]
    public string? Audio { get; init; }
}

/// <summary>The <c>audioSettings</c> object of an <see cref="AudioInferenceTask"/>.</summary>
public sealed record AudioInferenceTaskAudioSettings
{
    /// <summary>kbps, within the sample rate's row.</summary>
    [JsonPropertyName("bitrate")]
    public int? Bitrate { get; init; }

    /// <summary>1 or 2 (default 2).</summary>
    [JsonPropertyName("channels")]
    public int? Channels { get; init; }

    /// <summary>Hz, a row of the format's table.</summary>
    [JsonPropertyName("sampleRate")]
    public int? SampleRate { get; init; }
}

/// <summary>The <c>settings</c> object of an <see cref="AudioInferenceTask"/>.</summary>
public sealed record AudioInferenceTaskSettings
{
    /// <summary>30–300; absent: the model decides.</summary>
    [JsonPropertyName("bpm")]
    public int? Bpm { get; init; }

    /// <summary>0–1, step 0.01 (default 1); cover only.</summary>
    [JsonPropertyName("coverConditioningScale")]
    public double? CoverConditioningScale { get; init; }

    /// <summary>Default <c>apg</c>.</summary>
    [JsonPropertyName("guidanceType")]
    public GuidanceType? GuidanceType { get; init; }

    /// <summary>E.g. <c>A minor</c>, <c>F# minor</c>, <c>Bb major</c>.</summary>
    [JsonPropertyName("keyScale")]
    public string? KeyScale { get; init; }

    /// <summary>10–3000 characters; absent: instrumental.</summary>
    [JsonPropertyName("lyrics")]
    public string? Lyrics { get; init; }

    /// <summary>Seconds, 0–300 (repaint).</summary>
    [JsonPropertyName("repaintingEnd")]
    public double? RepaintingEnd { get; init; }

    /// <summary>Seconds, −300–300 (repaint; negative prepends).</summary>
    [JsonPropertyName("repaintingStart")]
    public double? RepaintingStart { get; init; }

    /// <summary>2, 3, 4 or 6; read from an integer or a numeric string, written as an integer.</summary>
    [JsonPropertyName("timeSignature")]
    [JsonConverter(typeof(TimeSignatureJsonConverter))]
    public int? TimeSignature { get; init; }

    /// <summary>One of the 51 codes (default <c>en</c>).</summary>
    [JsonPropertyName("vocalLanguage")]
    public string? VocalLanguage { get; init; }

    /// <summary>Engine extension, base model only: <c>lego</c>, <c>extract</c> or <c>complete</c>; absent: the job
    /// follows from the other fields.</summary>
    [JsonPropertyName("task")]
    public string? Task { get; init; }

    /// <summary>Engine extension (lego, extract): the stem, one of <see cref="StemTracks.All"/>.</summary>
    [JsonPropertyName("trackName")]
    public string? TrackName { get; init; }

    /// <summary>Engine extension (complete): the stems to add, each one of <see cref="StemTracks.All"/>.</summary>
    [JsonPropertyName("trackClasses")]
    public string[]? TrackClasses { get; init; }
}
