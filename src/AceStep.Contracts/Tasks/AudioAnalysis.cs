using System.Text.Json.Serialization;

namespace AceStep.Contracts.Tasks;

/// <summary>
/// A validated <c>inputs.audio</c> reference: the text as given (trimmed), what kind it is, and the UUID or attachment
/// number inside it. What the engine needs to fetch or decode the audio, whichever task carries it.
/// </summary>
/// <param name="Text">The reference as given, trimmed.</param>
/// <param name="Kind">What <paramref name="Text"/> is.</param>
/// <param name="Uuid">The UUID for <see cref="AudioInputKind.Uuid"/>, null otherwise.</param>
/// <param name="Attachment">The attachment number n of <c>attachment:n</c> (pipe only), null otherwise.</param>
public sealed record AudioInputReference(string Text, AudioInputKind Kind, Guid? Uuid = null, int? Attachment = null);

/// <summary>
/// An <c>audioAnalysis</c> task (engine extension): estimate the key and tempo of an input audio, e.g. for a plugin's
/// "auto" key and BPM. <c>{taskType, taskUUID, inputs: {audio}}</c>.
/// </summary>
public sealed record AudioAnalysisRequest
{
    /// <summary>Always <c>audioAnalysis</c>.</summary>
    [JsonPropertyName("taskType")]
    public string TaskType { get; init; } = TaskTypes.AudioAnalysis;

    /// <summary>A UUID v4 that identifies this task; echoed in the reply.</summary>
    [JsonPropertyName("taskUUID")]
    public required Guid TaskUuid { get; init; }

    /// <summary>The audio to analyse.</summary>
    [JsonPropertyName("inputs")]
    public required AudioAnalysisInputs Inputs { get; init; }

    /// <summary>The validated form of <see cref="AudioAnalysisInputs.Audio"/>; set by the validator, not on the wire.</summary>
    [JsonIgnore]
    public AudioInputReference? Audio { get; init; }
}

/// <summary>The <c>inputs</c> of an <c>audioAnalysis</c> task.</summary>
public sealed record AudioAnalysisInputs
{
    /// <summary>
    /// The same forms as <c>audioInference</c>'s <c>inputs.audio</c>: a mediaUUID/audioUUID, an http(s) URL, a
    /// <c>data:audio/…;base64,</c> URI, raw base64 or, on the pipe, <c>attachment:&lt;n&gt;</c>.
    /// </summary>
    [JsonPropertyName("audio")]
    public required string Audio { get; init; }
}

/// <summary>
/// The answer to <c>audioAnalysis</c>. <see cref="KeyScale"/> and <see cref="Bpm"/> are absent when the audio has no
/// clear key or no steady pulse (silence, noise, a held chord); the confidences are always present.
/// </summary>
public sealed record AudioAnalysisResult
{
    /// <summary>Always <c>audioAnalysis</c>.</summary>
    [JsonPropertyName("taskType")]
    public string TaskType { get; init; } = TaskTypes.AudioAnalysis;

    /// <summary>The task's UUID.</summary>
    [JsonPropertyName("taskUUID")]
    public required Guid TaskUuid { get; init; }

    /// <summary>The key in <c>settings.keyScale</c>'s normal form (<c>"F# major"</c>, <c>"Eb minor"</c>), or null when none was found.</summary>
    [JsonPropertyName("keyScale")]
    public string? KeyScale { get; init; }

    /// <summary>
    /// 0–1: the margin of the best key's profile correlation over the runner-up's. Under about 0.05 the key is a guess
    /// between two (often the relative major/minor); above 0.1 it is clear. 0 without a key.
    /// </summary>
    [JsonPropertyName("keyConfidence")]
    public double KeyConfidence { get; init; }

    /// <summary>Beats per minute, a whole number usable as <c>settings.bpm</c>, or null when no steady pulse was found.</summary>
    [JsonPropertyName("bpm")]
    public int? Bpm { get; init; }

    /// <summary>0–1: how periodic the onsets are at that tempo (noise under 0.1, a steady beat 0.6 and more).</summary>
    [JsonPropertyName("bpmConfidence")]
    public double BpmConfidence { get; init; }

    /// <summary>The analysed audio's length in seconds.</summary>
    [JsonPropertyName("duration")]
    public double Duration { get; init; }
}
