using System.Text.Json.Serialization;

namespace AceStep.Contracts.Tasks;

/// <summary>
/// Which pipeline an <c>audioInference</c> task runs: derived from the fields for the seed document's jobs, named by the
/// engine extension <c>settings.task</c> for the base model's stem jobs (lego, extract, complete).
/// </summary>
public enum JobKind
{
    /// <summary>No <c>inputs.audio</c>: generate <c>duration</c> seconds from the prompt.</summary>
    TextToMusic,

    /// <summary><c>inputs.audio</c> with <c>settings.repaintingStart</c> and/or <c>settings.repaintingEnd</c>.</summary>
    Repaint,

    /// <summary><c>inputs.audio</c> alone: a cover of the source.</summary>
    Cover,

    /// <summary>
    /// <c>settings.task</c> <c>lego</c> (base model): a new stem (<c>settings.trackName</c>) played over the source, over
    /// the whole source or the span <c>settings.repaintingStart</c>–<c>repaintingEnd</c>, laid out like a repaint.
    /// </summary>
    Lego,

    /// <summary><c>settings.task</c> <c>extract</c> (base model): the source's <c>settings.trackName</c> stem alone.</summary>
    Extract,

    /// <summary><c>settings.task</c> <c>complete</c> (base model): accompaniment (<c>settings.trackClasses</c>) around the source.</summary>
    Complete,
}

/// <summary>How result audio is delivered (<c>outputType</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OutputType>))]
public enum OutputType
{
    /// <summary><c>URL</c>: <c>audioURL</c> served by the engine for <c>ttl</c> seconds (default).</summary>
    [JsonStringEnumMemberName("URL")]
    Url,

    /// <summary><c>base64Data</c>: <c>audioBase64Data</c>.</summary>
    [JsonStringEnumMemberName("base64Data")]
    Base64Data,

    /// <summary><c>dataURI</c>: <c>audioDataURI</c>.</summary>
    [JsonStringEnumMemberName("dataURI")]
    DataUri,

    /// <summary><c>attachment</c> (named pipe only): a binary attachment, numbered by <c>audioAttachment</c>.</summary>
    [JsonStringEnumMemberName("attachment")]
    Attachment,
}

/// <summary>The file format of result audio (<c>outputFormat</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OutputFormat>))]
public enum OutputFormat
{
    /// <summary><c>MP3</c> (default); takes <c>audioSettings</c>.</summary>
    [JsonStringEnumMemberName("MP3")]
    Mp3,

    /// <summary><c>WAV</c>: 48 kHz stereo 24-bit PCM.</summary>
    [JsonStringEnumMemberName("WAV")]
    Wav,

    /// <summary><c>FLAC</c>: 48 kHz stereo 24-bit.</summary>
    [JsonStringEnumMemberName("FLAC")]
    Flac,

    /// <summary><c>OGG</c> (Vorbis); takes <c>audioSettings</c>.</summary>
    [JsonStringEnumMemberName("OGG")]
    Ogg,

    /// <summary>
    /// <c>PCM_F32</c> (named pipe only, with outputType <c>attachment</c>): raw interleaved little-endian float32 at
    /// <c>audioSettings.sampleRate</c>/<c>channels</c>.
    /// </summary>
    [JsonStringEnumMemberName("PCM_F32")]
    PcmF32,
}

/// <summary>When results are answered (<c>deliveryMethod</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DeliveryMethod>))]
public enum DeliveryMethod
{
    /// <summary><c>sync</c>: the reply carries the results (default).</summary>
    [JsonStringEnumMemberName("sync")]
    Sync,

    /// <summary><c>async</c>: the reply acknowledges; results come by <c>getResponse</c> or webhook.</summary>
    [JsonStringEnumMemberName("async")]
    Async,
}

/// <summary>How guidance is applied (<c>settings.guidanceType</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<GuidanceType>))]
public enum GuidanceType
{
    /// <summary><c>apg</c>: Adaptive Projected Guidance (default).</summary>
    [JsonStringEnumMemberName("apg")]
    Apg,

    /// <summary><c>cfg</c>: Classifier-Free Guidance.</summary>
    [JsonStringEnumMemberName("cfg")]
    Cfg,
}

/// <summary>What a <c>mediaStorage</c> task does (<c>operation</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MediaOperation>))]
public enum MediaOperation
{
    /// <summary><c>upload</c>: store <c>media</c>, answer its <c>mediaUUID</c>.</summary>
    [JsonStringEnumMemberName("upload")]
    Upload,

    /// <summary><c>delete</c>: delete the media whose UUID is <c>media</c>.</summary>
    [JsonStringEnumMemberName("delete")]
    Delete,
}

/// <summary>The state of one result item as <c>getResponse</c> reports it (<c>status</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ResultStatus>))]
public enum ResultStatus
{
    /// <summary><c>processing</c>: queued or running; <c>progress</c> says how far.</summary>
    [JsonStringEnumMemberName("processing")]
    Processing,

    /// <summary><c>success</c>: the audio is ready.</summary>
    [JsonStringEnumMemberName("success")]
    Success,

    /// <summary><c>error</c>: failed; the item is reported in <c>errors</c>.</summary>
    [JsonStringEnumMemberName("error")]
    Error,
}

/// <summary>What kind of reference <c>inputs.audio</c> (or <c>mediaStorage</c>'s <c>media</c>) holds.</summary>
public enum AudioInputKind
{
    /// <summary>A UUID: a <c>mediaUUID</c> from <c>mediaStorage</c> or an earlier result's <c>audioUUID</c>.</summary>
    Uuid,

    /// <summary>An absolute http(s) URL to download.</summary>
    Url,

    /// <summary>A <c>data:audio/…;base64,</c> URI.</summary>
    DataUri,

    /// <summary><c>attachment:&lt;n&gt;</c> (named pipe only): binary attachment number n of the request.</summary>
    Attachment,

    /// <summary>Raw base64 of an encoded audio file, without a data-URI header.</summary>
    Base64,
}
