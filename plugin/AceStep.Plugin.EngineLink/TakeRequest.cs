namespace AceStep.Plugin.EngineLink;

/// <summary>What the producer asks for.</summary>
public enum TakeMode
{
    /// <summary>Regenerate the range in place, keeping the audio around it.</summary>
    Repaint,

    /// <summary>A new version of the clip in another style.</summary>
    Cover,

    /// <summary>New audio for the range from the prompt alone.</summary>
    Generate,

    /// <summary>Add a part: a new stem (<see cref="TakeRequest.TrackName"/>) played over the range, the music around it kept (base model).</summary>
    Lego,

    /// <summary>Extract a stem (<see cref="TakeRequest.TrackName"/>) from the clip; the take replaces the whole range (base model).</summary>
    Extract,

    /// <summary>Complete a single track with accompaniment (<see cref="TakeRequest.TrackClasses"/>); replaces the whole range (base model).</summary>
    Complete,
}

/// <summary>The DAW's musical context at the range (only what the host reported).</summary>
/// <param name="Tempo">Beats per minute, or null.</param>
/// <param name="Numerator">Time-signature numerator, or null.</param>
/// <param name="Denominator">Time-signature denominator, or null.</param>
public sealed record MusicalContext(double? Tempo, int? Numerator, int? Denominator);

/// <summary>
/// One take to make: the captured clip (interleaved float, at the host's rate) starting at project sample
/// <see cref="ClipStart"/>, the range inside it to work on, the settings, and the context.
/// </summary>
public sealed record TakeRequest
{
    /// <summary>Repaint, cover, generate, or a stem job (lego, extract, complete).</summary>
    public required TakeMode Mode { get; init; }

    /// <summary>The stem of a lego or extract take (one of <c>StemTracks.All</c>); ignored by the other modes.</summary>
    public string TrackName { get; init; } = "drums";

    /// <summary>The stems a complete take adds; empty lets the model choose. Ignored by the other modes.</summary>
    public IReadOnlyList<string> TrackClasses { get; init; } = [];

    /// <summary>The prompt (caption).</summary>
    public required string Prompt { get; init; }

    /// <summary>Lyrics; empty = instrumental.</summary>
    public string? Lyrics { get; init; }

    /// <summary>Task API strength (0–1).</summary>
    public double Strength { get; init; } = 0.5;

    /// <summary>Cover conditioning scale (0–1).</summary>
    public double CoverScale { get; init; } = 1.0;

    /// <summary>Denoising steps (the base model's; the turbo model runs its own 8-step schedule).</summary>
    public int Steps { get; init; } = 32;

    /// <summary>Use the turbo model (distilled: 8 steps, no guidance) instead of the base model.</summary>
    public bool Turbo { get; init; }

    /// <summary>Seed; 0 lets the engine choose.</summary>
    public long Seed { get; init; }

    /// <summary>Key scale name (e.g. "A minor"), or null for "auto" (the engine estimates it from the clip).</summary>
    public string? KeyScale { get; init; }

    /// <summary>Vocal language code.</summary>
    public string Language { get; init; } = "en";

    /// <summary>The host's sample rate.</summary>
    public required int SampleRate { get; init; }

    /// <summary>Channels of <see cref="Clip"/> (1 or 2).</summary>
    public int Channels { get; init; } = 2;

    /// <summary>Project sample position of the clip's first frame.</summary>
    public required long ClipStart { get; init; }

    /// <summary>The captured clip, interleaved; empty for generate. Every other mode conditions on it.</summary>
    public required float[] Clip { get; init; }

    /// <summary>Project sample position where the range starts.</summary>
    public required long RangeStart { get; init; }

    /// <summary>Project sample position where the range ends (exclusive).</summary>
    public required long RangeEnd { get; init; }

    /// <summary>Tempo and time signature at the range.</summary>
    public MusicalContext Context { get; init; } = new(null, null, null);
}

/// <summary>A finished take: audio to play at project position <see cref="Start"/>.</summary>
/// <param name="Start">Project sample position of the first frame.</param>
/// <param name="Audio">Interleaved float at the host's rate.</param>
/// <param name="Channels">Channels of <paramref name="Audio"/>.</param>
/// <param name="Seed">The seed the engine used.</param>
public sealed record Take(long Start, float[] Audio, int Channels, long Seed)
{
    /// <summary>Frames in the take.</summary>
    public long Frames => Audio.Length / Channels;
}
