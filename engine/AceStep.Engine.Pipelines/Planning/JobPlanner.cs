using AceStep.Contracts.Tasks;
using AceStep.Engine.Generation;
using AceStep.Engine.Model.Lm;
using AceStep.Engine.Model.Sampling;
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
    public const double MaxWaveCrossfadeSeconds = RepaintLayout.MaxWaveCrossfadeSeconds, MinWaveCrossfadeSeconds = RepaintLayout.MinWaveCrossfadeSeconds;

    /// <summary>Plans a job.</summary>
    /// <param name="request">The validated request.</param>
    /// <param name="sourceSamples">Samples per channel of the 48 kHz source (repaint and cover); ignored for text-to-music.</param>
    /// <exception cref="ArgumentException">A repaint span that is empty or outside the model's 600 s after extension
    /// (the validator should have refused it).</exception>
    /// <exception cref="BaseModelOnlyTaskException">A lego, extract or complete request for the turbo model.</exception>
    public static JobPlan Plan(AudioInferenceRequest request, int sourceSamples = 0)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.IsTurbo && BaseModelOnlyTaskException.IsBaseOnly(request.Kind))
            throw new BaseModelOnlyTaskException(request.Kind, request.Model);
        var settings = request.Settings;
        var guidance = request.IsTurbo ? 1.0 : request.CfgScale;
        var lyricPrompt = ConditioningPrompts.Lyrics(settings.VocalLanguage, settings.Lyrics);

        return request.Kind switch
        {
            JobKind.TextToMusic => TextToMusic(request, guidance, lyricPrompt),
            JobKind.Repaint => Repaint(request, sourceSamples, guidance, lyricPrompt, TaskInstruction.Repaint),
            JobKind.Cover => Cover(request, sourceSamples, guidance, lyricPrompt),
            // Lego is laid out as a repaint over its span (the whole source when none is given), as upstream's
            // padding/mask code treats "repaint or lego" alike; only the instruction and the context differ.
            JobKind.Lego => Repaint(request, sourceSamples, guidance, lyricPrompt, TaskInstruction.Lego(request.Settings.TrackName)),
            JobKind.Extract => WholeSource(request, sourceSamples, guidance, lyricPrompt, TaskInstruction.Extract(request.Settings.TrackName)),
            JobKind.Complete => WholeSource(request, sourceSamples, guidance, lyricPrompt, TaskInstruction.Complete(request.Settings.TrackClasses)),
            _ => throw new ArgumentOutOfRangeException(nameof(request), request.Kind, "Unknown job kind."),
        };
    }

    /// <summary>
    /// What the LM planner is asked for a text-to-music request (spec §7.3), as upstream's <c>generate_music</c> builds
    /// its <c>user_metadata</c>: the caption and lyrics of the user turn, and as forced CoT values the request's bpm,
    /// key and time signature when set and its duration (whole seconds, <c>int(duration)</c>). The vocal language is
    /// not forced — upstream never puts it in <c>user_metadata</c>, so the LM writes the language it hears in the
    /// lyrics; the DiT's lyric prompt keeps the request's. With all four given the planner skips phase 1
    /// (<see cref="LmPlanner"/>). The negative prompt is the code phase's unconditional prompt when it is used at all
    /// (guidance on).
    /// </summary>
    /// <exception cref="ArgumentException">Not a text-to-music request.</exception>
    public static LmPlanRequest PlannerRequest(AudioInferenceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Kind != JobKind.TextToMusic)
            throw new ArgumentException($"The planner runs for text-to-music only, not {request.Kind}.", nameof(request));
        var settings = request.Settings;
        var forced = new CotMetadata
        {
            Bpm = settings.Bpm,
            Duration = (int)Math.Truncate(request.Duration),
            KeyScale = settings.KeyScale,
            TimeSignature = settings.TimeSignature,
        };
        return new LmPlanRequest(request.PositivePrompt, ConditioningPrompts.LyricsOrInstrumental(settings.Lyrics), forced, request.Duration,
            request.UsesNegativePrompt ? request.NegativePrompt : null);
    }

    /// <summary>
    /// The LM hand-off (spec §7.5, §9.2): the plan of a text-to-music job once the planner has run. The LM's metadata
    /// fills only what the request left empty (bpm, key, time signature; a key is normalised, an unreadable one left
    /// N/A); the DiT's caption is the LM's rewritten one when the LM wrote one and <paramref name="useLmCaption"/>
    /// (upstream's <c>use_cot_caption=True</c> default), else the request's; the job becomes cover-style — instruction
    /// "Generate audio semantic tokens…", the codes decoded into the DiT's context — while lengths, lyrics (and their
    /// language) and sampler settings stay those of <paramref name="plan"/>.
    /// </summary>
    /// <exception cref="ArgumentException">Not a text-to-music plan, or no codes.</exception>
    public static JobPlan WithPlannerResult(JobPlan plan, AudioInferenceRequest request, LmPlan lm, bool useLmCaption = true)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(lm);
        if (plan.Kind != JobKind.TextToMusic)
            throw new ArgumentException($"Only text-to-music takes the planner's codes, not {plan.Kind}.", nameof(plan));
        if (lm.Codes.Count == 0 || lm.Codes.Any(c => c.Length == 0))
            throw new ArgumentException("The planner wrote no codes.", nameof(lm));
        var settings = request.Settings;
        var key = settings.KeyScale ?? (lm.Metadata.KeyScale is { } written && KeyScales.TryNormalize(written, out var normal) ? normal : null);
        var metas = plan.Metas with
        {
            Bpm = settings.Bpm ?? lm.Metadata.Bpm,
            TimeSignature = settings.TimeSignature ?? lm.Metadata.TimeSignature,
            KeyScale = key,
        };
        var caption = useLmCaption && lm.Metadata.Caption is { Length: > 0 } lmCaption ? lmCaption : request.PositivePrompt;
        return plan with
        {
            Metas = metas,
            CaptionPrompt = ConditioningPrompts.Caption(TaskInstruction.Cover, caption, metas),
            NegativeCaptionPrompt = request.UsesNegativePrompt ? ConditioningPrompts.Caption(TaskInstruction.Cover, request.NegativePrompt!, metas) : null,
            AudioCodes = lm.Codes,
            PlannerMetadata = lm.Metadata,
        };
    }

    /// <summary>
    /// Repaint: the latent blend's length for a task API strength — upstream's <c>round(25 · (1 − repaint_strength))</c>
    /// with its repaint_strength = 1 − ours, Python's round (half to even): 0.5 → 12, 0.3 → 8.
    /// </summary>
    public static int LatentCrossfadeFrames(double strength) =>
        (int)Math.Round(MaxLatentCrossfadeFrames * strength, MidpointRounding.ToEven);

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

    // Extract and complete (spec §9.5): the source's latents are the context over the whole length, mask all
    // "generate", no FSQ (is_cover false), the result as long as the source.
    private static JobPlan WholeSource(AudioInferenceRequest request, int sourceSamples, double guidance, string lyricPrompt, string instruction)
    {
        RequireSource(sourceSamples);
        var metas = Metas(request, sourceSamples / (double)SampleRate);
        return Common(request, guidance, lyricPrompt, metas, instruction) with
        {
            OutputSamples = sourceSamples,
            Frames = FramesFor(sourceSamples),
        };
    }

    private static JobPlan Repaint(AudioInferenceRequest request, int sourceSamples, double guidance, string lyricPrompt, string instruction)
    {
        RequireSource(sourceSamples);
        var sourceSeconds = sourceSamples / (double)SampleRate;
        // Extension (spec §9.4 step 1), span and splice crossfade: shared with the diagnostic tone (RepaintLayout).
        var layout = RepaintLayout.For(request, sourceSamples, SampleRate);
        var output = layout.OutputSamples;
        var frames = FramesFor(output);
        if (frames > MaxFrames)
            throw new ArgumentException($"Source plus extension is {output / (double)SampleRate:F1} s; the model's limit is 600 s.", nameof(request));

        var strength = request.Strength;
        // The metas carry the unpadded source duration, as upstream does (spec §9.4 note 6).
        var metas = Metas(request, sourceSeconds);
        return Common(request, guidance, lyricPrompt, metas, instruction) with
        {
            OutputSamples = output,
            Frames = frames,
            LeftPadSamples = layout.LeftPadSamples,
            RightPadSamples = layout.RightPadSamples,
            SpanStartSample = layout.SpanStartSample,
            SpanEndSample = layout.SpanEndSample,
            MaskStartFrame = layout.SpanStartSample / Hop,
            MaskEndFrame = Math.Min(frames, (layout.SpanEndSample + Hop - 1) / Hop),
            LatentCrossfadeFrames = LatentCrossfadeFrames(strength),
            WaveCrossfadeSamples = layout.WaveCrossfadeSamples,
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
        // Upstream's service clamps a turbo model to 8 steps; the request (and its echo and cost) keep what was asked.
        Steps = request.IsTurbo ? Math.Min(request.Steps, TimestepSchedule.MaxTurboSteps) : request.Steps,
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
