namespace AceStep.Contracts.Tasks;

/// <summary>
/// A validated <c>audioInference</c> task with every default applied and every grid value rounded, as produced by
/// <see cref="Validation.AudioInferenceValidator"/>. The engine works from this, never from the raw JSON.
/// </summary>
public sealed record AudioInferenceRequest
{
    /// <summary>The task's UUID (v4).</summary>
    public required Guid TaskUuid { get; init; }

    /// <summary>The model id, as given.</summary>
    public required string Model { get; init; }

    /// <summary>True for a guidance-distilled model (no CFG, no negative prompt).</summary>
    public bool IsTurbo { get; init; }

    /// <summary>Which pipeline runs, derived from <see cref="InputAudio"/> and the repainting fields, or named by
    /// <c>settings.task</c>.</summary>
    public required JobKind Kind { get; init; }

    /// <summary>2–3000 characters.</summary>
    public required string PositivePrompt { get; init; }

    /// <summary>As given; see <see cref="UsesNegativePrompt"/>.</summary>
    public string? NegativePrompt { get; init; }

    /// <summary>True when a negative prompt is given and guidance is on (CFGScale &gt; 1); otherwise it is unused.</summary>
    public bool UsesNegativePrompt => NegativePrompt is not null && !IsTurbo && CfgScale > 1;

    /// <summary>True for the jobs laid out over a span of the source like a repaint: repaint and lego.</summary>
    public bool HasSpan => Kind is JobKind.Repaint or JobKind.Lego;

    /// <summary>
    /// Seconds a repaint (or lego) adds to a source of <paramref name="sourceSeconds"/>: before it (a negative
    /// <c>repaintingStart</c>) and after it (a <c>repaintingEnd</c> past its end). Zero for other jobs. The one rule the
    /// engine's length check, the model pipeline and the diagnostic tone all follow.
    /// </summary>
    public (double Before, double After) RepaintExtension(double sourceSeconds) => !HasSpan
        ? (0, 0)
        : (Math.Max(0, -(Settings.RepaintingStart ?? 0)), Math.Max(0, (Settings.RepaintingEnd ?? sourceSeconds) - sourceSeconds));

    /// <summary>Seconds on the 0.1 grid (default 60). Only text-to-music uses it.</summary>
    public double Duration { get; init; } = 60;

    /// <summary>0–2147483647 as given, or null: the engine draws a random unsigned 32-bit seed.</summary>
    public long? Seed { get; init; }

    /// <summary>Denoising steps (default: the model's, 100 for base).</summary>
    public required int Steps { get; init; }

    /// <summary>On the 0.01 grid (default 10; 1 for a turbo model, which has no guidance).</summary>
    public double CfgScale { get; init; } = 10;

    /// <summary>On the 0.01 grid (default 0.5). Only repaint and cover use it.</summary>
    public double Strength { get; init; } = 0.5;

    /// <summary>1–4 (default 1).</summary>
    public int NumberResults { get; init; } = 1;

    /// <summary>Default <see cref="OutputType.Url"/>.</summary>
    public OutputType OutputType { get; init; } = OutputType.Url;

    /// <summary>Default <see cref="OutputFormat.Mp3"/>.</summary>
    public OutputFormat OutputFormat { get; init; } = OutputFormat.Mp3;

    /// <summary>
    /// MP3/OGG: the encoding, defaults filled in; PCM_F32: rate and channels (default 48000 Hz, 2), no bitrate;
    /// WAV/FLAC: null (fixed 48 kHz stereo 24-bit).
    /// </summary>
    public AudioSettings? AudioSettings { get; init; }

    /// <summary>Default <see cref="DeliveryMethod.Sync"/>.</summary>
    public DeliveryMethod DeliveryMethod { get; init; } = DeliveryMethod.Sync;

    /// <summary>Absolute http(s) URL, or null.</summary>
    public Uri? WebhookUrl { get; init; }

    /// <summary>Absolute http(s) URL, or null.</summary>
    public Uri? UploadEndpoint { get; init; }

    /// <summary>Seconds a URL result is kept (default 86400); meaningful only with <see cref="OutputType.Url"/>.</summary>
    public int Ttl { get; init; } = 86_400;

    /// <summary>Add <c>cost</c> to results.</summary>
    public bool IncludeCost { get; init; }

    /// <summary><c>inputs.audio</c> as given (trimmed), or null for text-to-music.</summary>
    public string? InputAudio { get; init; }

    /// <summary>What <see cref="InputAudio"/> is, or null without input audio.</summary>
    public AudioInputKind? InputAudioKind { get; init; }

    /// <summary>
    /// The reference inside <see cref="InputAudio"/>: the UUID for <see cref="AudioInputKind.Uuid"/>, null otherwise.
    /// </summary>
    public Guid? InputAudioUuid { get; init; }

    /// <summary>The attachment number n of <c>attachment:n</c> (pipe only), null otherwise.</summary>
    public int? InputAudioAttachment { get; init; }

    /// <summary>The <c>settings</c> object, defaults filled in.</summary>
    public required GenerationSettings Settings { get; init; }

    /// <summary>
    /// Dotted paths of fields that were given but have no effect on this job (e.g. <c>duration</c> with input audio,
    /// <c>strength</c> without, <c>ttl</c> without URL output, <c>negativePrompt</c> with CFGScale ≤ 1). Not errors.
    /// </summary>
    public IReadOnlyList<string> IgnoredParameters { get; init; } = [];

    /// <summary>
    /// The wire form of this request with every effective value written out (fields without effect on the job are
    /// left out), e.g. to store an accepted task; validating it again gives the same request.
    /// </summary>
    public AudioInferenceTask ToTask() => new()
    {
        TaskUuid = TaskUuid,
        Model = Model,
        PositivePrompt = PositivePrompt,
        NegativePrompt = NegativePrompt,
        Duration = Kind == JobKind.TextToMusic ? Duration : null,
        Seed = Seed,
        Steps = Steps,
        CfgScale = IsTurbo ? null : CfgScale,
        Strength = Kind == JobKind.TextToMusic ? null : Strength,
        NumberResults = NumberResults,
        OutputType = OutputType,
        OutputFormat = OutputFormat,
        AudioSettings = AudioSettings is { } a
            ? new AudioInferenceTaskAudioSettings { SampleRate = a.SampleRate, Bitrate = a.Bitrate, Channels = a.Channels }
            : null,
        WebhookUrl = WebhookUrl,
        DeliveryMethod = DeliveryMethod,
        UploadEndpoint = UploadEndpoint,
        Ttl = OutputType == OutputType.Url ? Ttl : null,
        IncludeCost = IncludeCost,
        Inputs = InputAudio is null ? null : new AudioInferenceTaskInputs { Audio = InputAudio },
        Settings = new AudioInferenceTaskSettings
        {
            Bpm = Settings.Bpm,
            CoverConditioningScale = Kind == JobKind.Cover ? Settings.CoverConditioningScale : null,
            GuidanceType = IsTurbo ? null : Settings.GuidanceType,
            KeyScale = Settings.KeyScale,
            Lyrics = Settings.Lyrics,
            RepaintingStart = Settings.RepaintingStart,
            RepaintingEnd = Settings.RepaintingEnd,
            TimeSignature = Settings.TimeSignature,
            VocalLanguage = Settings.VocalLanguage,
            Task = WireNames.StemTaskName(Kind),
            TrackName = Settings.TrackName,
            TrackClasses = Settings.TrackClasses is { Count: > 0 } classes ? [.. classes] : null,
        },
    };
}

/// <summary>The normalised <c>settings</c> of an <see cref="AudioInferenceRequest"/>.</summary>
public sealed record GenerationSettings
{
    /// <summary>30–300, or null: the model decides.</summary>
    public int? Bpm { get; init; }

    /// <summary>On the 0.01 grid (default 1); used by cover only.</summary>
    public double CoverConditioningScale { get; init; } = 1;

    /// <summary>Default <see cref="GuidanceType.Apg"/>.</summary>
    public GuidanceType GuidanceType { get; init; } = GuidanceType.Apg;

    /// <summary>Normal form (<c>"F# minor"</c>, see <see cref="KeyScales"/>), or null: the model decides.</summary>
    public string? KeyScale { get; init; }

    /// <summary>10–3000 characters, or null: instrumental.</summary>
    public string? Lyrics { get; init; }

    /// <summary>Seconds, −300–300, or null (repaint: 0).</summary>
    public double? RepaintingStart { get; init; }

    /// <summary>Seconds, 0–300, or null (repaint: the source's end).</summary>
    public double? RepaintingEnd { get; init; }

    /// <summary>2, 3, 4 or 6 (2/4, 3/4, 4/4, 6/8), or null: the model decides.</summary>
    public int? TimeSignature { get; init; }

    /// <summary>One of <see cref="VocalLanguages.All"/>, lower case (default <c>en</c>).</summary>
    public string VocalLanguage { get; init; } = VocalLanguages.Default;

    /// <summary>Lego and extract: the stem, one of <see cref="StemTracks.All"/> (lower case); null for other jobs.</summary>
    public string? TrackName { get; init; }

    /// <summary>Complete: the stems to add, each one of <see cref="StemTracks.All"/>, in the order given; null = none
    /// named (the model chooses).</summary>
    public IReadOnlyList<string>? TrackClasses { get; init; }
}

/// <summary>Normalised output encoding.</summary>
/// <param name="SampleRate">Hz.</param>
/// <param name="Bitrate">kbps for MP3/OGG; null for PCM_F32.</param>
/// <param name="Channels">1 or 2.</param>
public sealed record AudioSettings(int SampleRate, int? Bitrate, int Channels);
