using AceStep.Contracts.Tasks;
using AceStep.Engine.Text.Prompts;

namespace AceStep.Engine.Pipelines.Planning;

/// <summary>Turns a validated request (and the source's length) into a <see cref="JobPlan"/>.</summary>
public static class JobPlanner
{
    /// <summary>The model's sample rate.</summary>
    public const int SampleRate = 48_000;

    /// <summary>Samples per latent frame (VAE hop).</summary>
    public const int Hop = 1920;

    /// <summary>The shortest latent the DiT is run on (5.12 s), spec §9.1.</summary>
    public const int MinFrames = 128;

    /// <summary>The longest latent (600 s, the silence latent's length).</summary>
    public const int MaxFrames = 15_000;

    /// <summary>Schedule shift used for every model (the API/UI default; turbo's table is this shift).</summary>
    public const double DefaultShift = 3.0;

    /// <summary>Repaint: latent blend at full strength (upstream's conservative 25 frames = 1 s).</summary>
    public const int MaxLatentCrossfadeFrames = 25;

    /// <summary>Repaint: waveform crossfade at full strength (50 ms) and the floor that keeps a hard cut from clicking (10 ms).</summary>
    public const double MaxWaveCrossfadeSeconds = 0.05, MinWaveCrossfadeSeconds = 0.01;

    /// <summary>Plans a job.</summary>
    /// <param name="request">The validated request.</param>
    /// <param name="sourceSamples">Samples per channel of the 48 kHz source (repaint and cover); ignored for text-to-music.</param>
    /// <exception cref="ArgumentException">A repaint span that is empty or outside the model's 600 s after extension
    /// (the validator should have refused it).</exception>
    public static JobPlan Plan(AudioInferenceRequest request, int sourceSamples = 0)
    {
        ArgumentNullException.ThrowIfNull(request);
        var settings = request.Settings;
        var guidance = request.IsTurbo ? 1.0 : request.CfgScale;
        var lyricPrompt = ConditioningPrompts.Lyrics(settings.VocalLanguage, settings.Lyrics);

        return request.Kind switch
        {
            JobKind.TextToMusic => TextToMusic(request, guidance, lyricPrompt),
            JobKind.Repaint => Repaint(request, sourceSamples, guidance, lyricPrompt),
            JobKind.Cover => Cover(request, sourceSamples, guidance, lyricPrompt),
            _ => throw new ArgumentOutOfRangeException(nameof(request), request.Kind, "Unknown job kind."),
        };
    }

    /// <summary>Latent frames for <paramref name="samples"/>: every sample covered, at least <see cref="MinFrames"/>.</summary>
    public static int FramesFor(int samples) => Math.Max(MinFrames, (int)Math.Ceiling(samples / (double)Hop));

    private static JobPlan TextToMusic(AudioInferenceRequest request, double guidance, string lyricPrompt)
    {
        var samples = (int)Math.Round(request.Duration * SampleRate);
        var metas = Metas(request, request.Duration);
        return Common(request, guidance, lyricPrompt, metas, TaskInstruction.Text2Music) with
        {
            Kind = JobKind.TextToMusic,
            OutputSamples = samples,
            Frames = FramesFor(samples),
        };
    }

    private static JobPlan Cover(AudioInferenceRequest request, int sourceSamples, double guidance, string lyricPrompt)
    {
        RequireSource(sourceSamples);
        var metas = Metas(request, sourceSamples / (double)SampleRate);
        return Common(request, guidance, lyricPrompt, metas, TaskInstruction.Cover) with
        {
            Kind = JobKind.Cover,
            OutputSamples = sourceSamples,
            Frames = FramesFor(sourceSamples),
            NonCoverCaptionPrompt = request.Settings.CoverConditioningScale < 1.0
                ? ConditioningPrompts.NonCoverCaption(request.PositivePrompt, metas)
                : null,
        };
    }

    private static JobPlan Repaint(AudioInferenceRequest request, int sourceSamples, double guidance, string lyricPrompt)
    {
        RequireSource(sourceSamples);
        var sourceSeconds = sourceSamples / (double)SampleRate;
        var start = request.Settings.RepaintingStart ?? 0.0;
        var end = request.Settings.RepaintingEnd ?? sourceSeconds;
        if (end <= start)
            throw new ArgumentException($"The repaint span {start}–{end} s is empty.", nameof(request));

        // Extension (spec §9.4 step 1): a negative start prepends silence, an end past the source appends it; the
        // appended part ends exactly at `end`, whatever the source's rounding.
        var (before, after) = request.RepaintExtension(sourceSeconds);
        var left = (int)Math.Round(before * SampleRate);
        var right = after > 0 ? (int)Math.Round(end * SampleRate) - sourceSamples : 0;
        var output = left + sourceSamples + right;
        var spanStart = Math.Clamp(left + (int)Math.Round(start * SampleRate), 0, output);
        var spanEnd = Math.Clamp(left + (int)Math.Round(end * SampleRate), 0, output);
        if (spanEnd <= spanStart)
            throw new ArgumentException($"The repaint span {start}–{end} s covers no sample of the source.", nameof(request));
        var frames = FramesFor(output);
        if (frames > MaxFrames)
            throw new ArgumentException($"Source plus extension is {output / (double)SampleRate:F1} s; the model's limit is 600 s.", nameof(request));

        var strength = request.Strength;
        // The metas carry the unpadded source duration, as upstream does (spec §9.4 note 6).
        var metas = Metas(request, sourceSeconds);
        return Common(request, guidance, lyricPrompt, metas, TaskInstruction.Repaint) with
        {
            Kind = JobKind.Repaint,
            OutputSamples = output,
            Frames = frames,
            LeftPadSamples = left,
            RightPadSamples = right,
            SpanStartSample = spanStart,
            SpanEndSample = spanEnd,
            MaskStartFrame = spanStart / Hop,
            MaskEndFrame = Math.Min(frames, (spanEnd + Hop - 1) / Hop),
            LatentCrossfadeFrames = (int)Math.Round(MaxLatentCrossfadeFrames * strength, MidpointRounding.AwayFromZero),
            WaveCrossfadeSamples = (int)Math.Round(SampleRate * Math.Max(MinWaveCrossfadeSeconds, MaxWaveCrossfadeSeconds * strength)),
        };
    }

    private static JobPlan Common(AudioInferenceRequest request, double guidance, string lyricPrompt, MusicMetas metas, string instruction) => new()
    {
        Kind = request.Kind,
        OutputSamples = 0,
        Frames = MinFrames,
        CaptionPrompt = ConditioningPrompts.Caption(instruction, request.PositivePrompt, metas),
        NegativeCaptionPrompt = request.UsesNegativePrompt
            ? ConditioningPrompts.Caption(instruction, request.NegativePrompt!, metas)
            : null,
        LyricPrompt = lyricPrompt,
        Steps = request.Steps,
        GuidanceScale = guidance,
        GuidanceType = request.Settings.GuidanceType,
        Strength = request.Strength,
        CoverConditioningScale = request.Settings.CoverConditioningScale,
        Metas = metas,
    };

    private static MusicMetas Metas(AudioInferenceRequest request, double seconds) =>
        new(request.Settings.Bpm, request.Settings.TimeSignature, request.Settings.KeyScale, seconds);

    private static void RequireSource(int sourceSamples)
    {
        if (sourceSamples <= 0)
            throw new ArgumentException("This job needs source audio.", nameof(sourceSamples));
    }
}
