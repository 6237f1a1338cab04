using AceStep.Contracts.Tasks;
using AceStep.Engine.Model.Lm;
using AceStep.Engine.Text.Prompts;

namespace AceStep.Engine.Pipelines.Planning;

/// <summary>
/// Everything a job needs decided before the model runs (spec §9.1–9.4, task API §3): lengths in samples and latent
/// frames, the repaint span, the prompts and the sampler settings. Pure data, so the arithmetic that alignment depends
/// on is tested without a model.
/// </summary>
public sealed record JobPlan
{
    /// <summary>Which job runs.</summary>
    public required JobKind Kind { get; init; }

    /// <summary>Samples per channel of the returned audio at 48 kHz (text-to-music: the duration; repaint and lego: the
    /// source plus extensions; cover, extract, complete: the source).</summary>
    public required int OutputSamples { get; init; }

    /// <summary>Latent frames the DiT generates: ⌈OutputSamples / 1920⌉, at least 128 (spec §9.1: shorter targets are
    /// padded with silence and cropped after decoding).</summary>
    public required int Frames { get; init; }

    /// <summary>Zero samples prepended to the source (repaint or lego with a negative start).</summary>
    public int LeftPadSamples { get; init; }

    /// <summary>Zero samples appended to the source (repaint or lego ending beyond the source).</summary>
    public int RightPadSamples { get; init; }

    /// <summary>Repaint and lego: first sample of the span, in output coordinates (after the left pad).</summary>
    public int SpanStartSample { get; init; }

    /// <summary>Repaint and lego: end of the span (exclusive), in output coordinates.</summary>
    public int SpanEndSample { get; init; }

    /// <summary>Repaint and lego: first latent frame of the generate mask.</summary>
    public int MaskStartFrame { get; init; }

    /// <summary>Repaint and lego: end of the generate mask (exclusive); covers every frame the span touches.</summary>
    public int MaskEndFrame { get; init; }

    /// <summary>The DiT caption prompt text (spec §5.1).</summary>
    public required string CaptionPrompt { get; init; }

    /// <summary>The negative prompt's caption text when it is used (guidance on), else null.</summary>
    public string? NegativeCaptionPrompt { get; init; }

    /// <summary>The text-only caption a cover switches to (spec §5.3), else null.</summary>
    public string? NonCoverCaptionPrompt { get; init; }

    /// <summary>The lyric prompt text (spec §5.2).</summary>
    public required string LyricPrompt { get; init; }

    /// <summary>Denoising steps.</summary>
    public required int Steps { get; init; }

    /// <summary>Schedule shift (3, the API/UI default, spec §10.2).</summary>
    public double Shift { get; init; } = JobPlanner.DefaultShift;

    /// <summary>Guidance scale; ≤ 1 (and always on turbo) means none.</summary>
    public double GuidanceScale { get; init; }

    /// <summary>APG or plain CFG.</summary>
    public GuidanceType GuidanceType { get; init; }

    /// <summary>Task API strength: cover → SDEdit start at t ≈ 1 − strength; repaint → fraction of steps that re-inject
    /// the source outside the span.</summary>
    public double Strength { get; init; }

    /// <summary>Cover: fraction of steps on the cover condition.</summary>
    public double CoverConditioningScale { get; init; } = 1.0;

    /// <summary>Repaint and lego: latent frames of linear blend outside each span edge after sampling.</summary>
    public int LatentCrossfadeFrames { get; init; }

    /// <summary>Repaint and lego: samples of linear waveform crossfade inside each span edge.</summary>
    public int WaveCrossfadeSamples { get; init; }

    /// <summary>The metas the caption carries (for logs and results).</summary>
    public required MusicMetas Metas { get; init; }

    /// <summary>Text-to-music planned by the LM (spec §7.5): per result, its audio code indices, which become the DiT's
    /// 25 Hz context as in a cover; null without the planner.</summary>
    public IReadOnlyList<long[]>? AudioCodes { get; init; }

    /// <summary>The planner's CoT metadata (for logs), or null without the planner.</summary>
    public CotMetadata? PlannerMetadata { get; init; }
}
