using AceStep.Contracts.Tasks;
using AceStep.Engine.Model.Conditioning;
using AceStep.Engine.Model.Generation;
using AceStep.Engine.Model.Sampling;
using AceStep.Engine.Generation;
using AceStep.Engine.Pipelines.Audio;
using AceStep.Engine.Pipelines.Planning;
using AceStep.Engine.Text.Prompts;
using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Pipelines;

/// <summary>Reports pipeline progress: fraction 0–1 of the whole job and the stage running.</summary>
public delegate void PipelineProgress(double fraction, string stage);

/// <summary>
/// Runs a planned job on the models (spec §9): encode the prompts, encode the source (repaint, cover), sample all
/// results as one batch, decode, and finish the audio (level for new audio; the exact splice for repaint). A
/// text-to-music plan carrying LM codes (<see cref="JobPlan.AudioCodes"/>) runs cover-style on their hints.
/// Returns 48 kHz stereo, interleaved, exactly <see cref="JobPlan.OutputSamples"/> frames per result.
/// </summary>
public sealed class MusicPipeline
{
    /// <summary>Reference clip length the timbre encoder takes when no reference is given (silence), frames.</summary>
    private const int TimbreFrames = 750;

    private readonly AceStepModels _models;

    /// <summary>Creates the pipeline over a model set (not owned).</summary>
    public MusicPipeline(AceStepModels models) => _models = models ?? throw new ArgumentNullException(nameof(models));

    /// <summary>DCW after every sampler step (spec §8.4): latest upstream's default, on; <c>--dcw off</c> turns it off.</summary>
    public WaveletCorrection Dcw { get; init; } = WaveletCorrection.Upstream;

    /// <summary>
    /// The schedule a plan runs on this model set (spec §8.3), computed in the model's dtype as upstream does on that
    /// device: turbo checkpoints take at most 8 steps (1 − i/n shifted, as latest upstream; 8 steps is the fixed
    /// table), the base model linspace(1, 0, N + 1) shifted.
    /// </summary>
    public TimestepSchedule ScheduleFor(JobPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var dtype = _models.SilenceLatent.dtype;
        return _models.Dit.Config.IsTurbo
            ? TimestepSchedule.TurboAtSteps(plan.Steps, plan.Shift, dtype)
            : TimestepSchedule.Base(plan.Steps, plan.Shift, dtype);
    }

    /// <summary>Runs one job.</summary>
    /// <param name="plan">The plan.</param>
    /// <param name="seeds">One seed per result (all results run as one batch).</param>
    /// <param name="source">Repaint/cover: the 48 kHz stereo source, interleaved; null for text-to-music.</param>
    /// <param name="progress">Optional progress callback.</param>
    /// <param name="cancellationToken">Checked between stages and sampler steps.</param>
    public IReadOnlyList<float[]> Run(JobPlan plan, IReadOnlyList<uint> seeds, float[]? source, PipelineProgress? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(seeds);
        if (seeds.Count == 0)
            throw new ArgumentException("At least one seed is required.", nameof(seeds));
        if (plan.Kind != JobKind.TextToMusic && source is null)
            throw new ArgumentException($"A {plan.Kind} job needs source audio.", nameof(source));
        // The task first: asking the DiT's config loads the DiT, which in sequential mode must wait until the prompts are
        // encoded (otherwise it sits next to the text encoder and raises the job's peak).
        if (BaseModelOnlyTaskException.IsBaseOnly(plan.Kind) && _models.Dit.Config.IsTurbo)
            throw new BaseModelOnlyTaskException(plan.Kind, "the loaded DiT");
        var spanned = HasSpan(plan);

        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var batch = seeds.Count;

        progress?.Invoke(0.0, "text-encoder");
        var prompts = EncodePrompts(plan, batch);
        _models.TextEncodingDone();
        cancellationToken.ThrowIfCancellationRequested();

        progress?.Invoke(0.05, "vae-encode");
        var extended = spanned ? Extend(source!, plan) : source;
        var sourceLatents = extended is null ? null : EncodeSource(extended, plan.Frames);            // [1, T, 64]
        cancellationToken.ThrowIfCancellationRequested();

        progress?.Invoke(0.1, "diffusion");
        var target = Target(plan, sourceLatents, batch);
        var schedule = ScheduleFor(plan);
        var request = new LatentGenerationRequest
        {
            Condition = prompts.Condition,
            NegativeCondition = prompts.Negative,
            NonCoverCondition = prompts.NonCover,
            Target = target,
            Seeds = seeds.Select(s => (long)s).ToArray(),
            Schedule = schedule,
            Dcw = Dcw,
            Guidance = plan.GuidanceScale > 1.0
                ? plan.GuidanceType == GuidanceType.Cfg ? Guidance.PlainCfg(plan.GuidanceScale) : Guidance.Apg(plan.GuidanceScale)
                : null,
            CoverConditioningScale = plan.Kind == JobKind.Cover ? plan.CoverConditioningScale : 1.0,
            SdEditStrength = plan.Kind == JobKind.Cover ? plan.Strength : 0.0,
            // Upstream's repaint mask (injection, blend, splice) covers lego's span as well as a repaint's.
            AfterStep = spanned ? Reinjection(plan, schedule, sourceLatents!, seeds) : null,
            Progress = (step, total, _) => progress?.Invoke(0.1 + (0.8 * step / total), "diffusion"),
        };
        var latents = LatentGenerator.Generate(_models.Dit, _models.SilenceLatent, request, cancellationToken);   // [B, T, 64]
        _models.SamplingDone();
        if (spanned)
            latents = BlendBoundary(latents, sourceLatents!, plan);

        var results = new List<float[]>(batch);
        for (var b = 0; b < batch; b++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            progress?.Invoke(0.9 + (0.1 * b / batch), "vae-decode");
            var decoded = Decode(latents[b..(b + 1)], plan.OutputSamples);
            // A span job's splice is its own stage (milliseconds), so a stage breakdown tells it from the decode.
            progress?.Invoke(0.9 + (0.1 * (b + 1) / batch), spanned ? "splice" : "vae-decode");
            results.Add(Finish(plan, decoded, extended));
        }

        return results;
    }

    private sealed record Prompts(ConditionInputs Condition, ConditionInputs? Negative, ConditionInputs? NonCover);

    private Prompts EncodePrompts(JobPlan plan, int batch)
    {
        var tokenizer = _models.Tokenizer;
        var lyricIds = tokenizer.Encode(plan.LyricPrompt, ConditioningPrompts.LyricsMaxTokens, addSpecialTokens: true);
        var silence = _models.SilenceLatent;
        var reference = silence[.., 0..TimbreFrames, ..].expand(batch, TimbreFrames, silence.shape[2]).contiguous();
        var owners = Enumerable.Range(0, batch).ToArray();

        ConditionInputs Encode(string caption)
        {
            var captionIds = tokenizer.Encode(caption, ConditioningPrompts.CaptionMaxTokens, addSpecialTokens: true);
            var one = TextConditioning.Encode(_models.TextEncoder, [captionIds], [lyricIds], tokenizer.PadTokenId, reference, owners);
            // Every result shares the prompts: encode once, broadcast over the batch.
            return one with
            {
                TextHidden = one.TextHidden.expand(batch, -1, -1),
                TextMask = one.TextMask.expand(batch, -1),
                LyricEmbeddings = one.LyricEmbeddings.expand(batch, -1, -1),
                LyricMask = one.LyricMask.expand(batch, -1),
            };
        }

        return new Prompts(
            Encode(plan.CaptionPrompt),
            plan.NegativeCaptionPrompt is { } negative ? Encode(negative) : null,
            plan.NonCoverCaptionPrompt is { } nonCover ? Encode(nonCover) : null);
    }

    private static float[] Extend(float[] source, JobPlan plan)
    {
        var extended = new float[plan.OutputSamples * 2];
        Array.Copy(source, 0, extended, plan.LeftPadSamples * 2, Math.Min(source.Length, extended.Length - (plan.LeftPadSamples * 2)));
        return extended;
    }

    // Interleaved stereo → clamped to [−1, 1] as upstream's loader does → [1, 2, frames·1920] zero-padded → VAE →
    // [1, T, 64]; frames past the audio (the 128-frame minimum) are silence latents, as upstream pads. Only the VAE's
    // input is clamped: a repaint splices the source back unclamped, bit for bit.
    private Tensor EncodeSource(float[] interleaved, int frames)
    {
        var samples = interleaved.Length / 2;
        var encodedFrames = Math.Max(1, (samples + JobPlanner.Hop - 1) / JobPlanner.Hop);
        var audio = zeros(1, 2, (long)encodedFrames * JobPlanner.Hop);
        var planar = tensor(interleaved, [samples, 2]).transpose(0, 1).clamp(-1.0, 1.0);                      // [2, S]
        audio[0, .., 0..samples] = planar;
        var latents = _models.Vae.Encode(audio, _models.VaeTiling).transpose(1, 2);                                              // [1, T', 64]
        var silence = _models.SilenceLatent;
        if (latents.shape[1] < frames)
        {
            var fill = silence[.., 0..(int)(frames - latents.shape[1]), ..].to(latents.dtype, latents.device);
            latents = cat([latents, fill], dim: 1);
        }

        return latents[.., 0..frames, ..].to(silence.dtype, silence.device).contiguous();
    }

    // The DiT's target: source latents, chunk mask, cover flags and (with LM codes) the hints. Internal for tests.
    internal TargetInputs Target(JobPlan plan, Tensor? sourceLatents, int batch)
    {
        var silence = _models.SilenceLatent;
        var frames = plan.Frames;
        switch (plan.Kind)
        {
            case JobKind.TextToMusic when plan.AudioCodes is { } codes:
                // LM hand-off (spec §7.5): the codes, FSQ-decoded and detokenized, are the context of a cover-style run.
                if (codes.Count != batch || codes.Any(c => c.Length != codes[0].Length))
                    throw new ArgumentException($"The plan has codes for {codes.Count} results of equal length; the job has {batch}.", nameof(plan));
                var indices = tensor(codes.SelectMany(c => c).ToArray(), [batch, codes[0].Length]).to(silence.device);
                return new TargetInputs(silence[.., 0..frames, ..].expand(batch, frames, -1), ones(batch, frames, dtype: silence.dtype, device: silence.device),
                    Enumerable.Repeat(true, batch).ToArray(), _models.Dit.HintsFromCodes(indices));
            default:
                return JobTarget.For(plan, sourceLatents, silence, batch);
        }
    }

    // Task API strength for repaint: for the first RepaintLatents.InjectionSteps steps, the sample outside the span is
    // reset to the source noised to the step's time, with the run's initial noise (the same seeds draw the same noise).
    private SamplerStepHook Reinjection(JobPlan plan, TimestepSchedule schedule, Tensor sourceLatents, IReadOnlyList<uint> seeds)
    {
        var noise = NoiseSource.Create(seeds.Select(s => (long)s).ToArray(), plan.Frames, sourceLatents.shape[2], sourceLatents.dtype, sourceLatents.device);
        return RepaintLatents.Reinjection(noise, sourceLatents, plan.MaskStartFrame, plan.MaskEndFrame,
            RepaintLatents.InjectionSteps(plan.Strength, schedule.Steps), schedule.Precision, roundComplement: !_models.Dit.Config.IsTurbo);
    }

    // After sampling (upstream's _repaint_boundary_blend).
    private static Tensor BlendBoundary(Tensor latents, Tensor sourceLatents, JobPlan plan) =>
        RepaintLatents.Blend(latents, sourceLatents, RepaintLatents.BoundaryWeights(plan.Frames, plan.MaskStartFrame, plan.MaskEndFrame, plan.LatentCrossfadeFrames));

    private float[] Decode(Tensor latents, int samples)
    {
        var audio = _models.Vae.Decode(latents.transpose(1, 2), _models.VaeTiling);                                             // [1, 2, T·1920]
        var cropped = audio[0, .., 0..samples].transpose(0, 1).contiguous().to(ScalarType.Float32, CPU);     // [S, 2]
        return cropped.data<float>().ToArray();
    }

    private static bool HasSpan(JobPlan plan) => plan.Kind is JobKind.Repaint or JobKind.Lego;

    private static float[] Finish(JobPlan plan, float[] generated, float[]? extended)
    {
        if (!HasSpan(plan))
        {
            OutputLevel.AntiClip(generated);
            OutputLevel.Normalize(generated);
            return generated;
        }

        // Repaint (and lego) keeps the source's level: no normalisation (it would change the untouched audio); the new audio is
        // only scaled down if it would clip.
        OutputLevel.AntiClip(generated.AsSpan(plan.SpanStartSample * 2, (plan.SpanEndSample - plan.SpanStartSample) * 2));
        return RepaintSplice.Splice(extended, generated, 2, plan.SpanStartSample, plan.SpanEndSample, plan.WaveCrossfadeSamples);
    }
}
