using AceStep.Contracts.Tasks;
using AceStep.Engine.Pipelines.Planning;

namespace AceStep.Engine.Pipelines.Tests;

public class PlannerTests
{
    internal static AudioInferenceRequest Request(JobKind kind, double duration = 30, double? start = null, double? end = null,
        double cfg = 7, bool turbo = false, string? negative = null, double coverScale = 1, double strength = 0.5) => new()
    {
        TaskUuid = Guid.NewGuid(),
        Model = turbo ? AudioModelCatalog.Turbo.Id : AudioModelCatalog.Base.Id,
        IsTurbo = turbo,
        Kind = kind,
        PositivePrompt = "warm lo-fi piano",
        NegativePrompt = negative,
        Duration = duration,
        Steps = 4,
        CfgScale = cfg,
        Strength = strength,
        Settings = new GenerationSettings
        {
            Bpm = 90,
            KeyScale = "A minor",
            TimeSignature = 4,
            RepaintingStart = start,
            RepaintingEnd = end,
            CoverConditioningScale = coverScale,
        },
    };

    [Theory]
    [InlineData(6.0, 288_000, 150)]      // 150 frames exactly
    [InlineData(6.3, 302_400, 158)]      // 157.5 → every sample covered
    [InlineData(4.0, 192_000, 128)]      // shorter than 5.12 s: padded to the 128-frame minimum, cropped after
    public void Text_to_music_returns_exactly_the_duration(double seconds, int samples, int frames)
    {
        var plan = JobPlanner.Plan(Request(JobKind.TextToMusic, seconds));
        Assert.Equal(samples, plan.OutputSamples);
        Assert.Equal(frames, plan.Frames);
        Assert.Contains("Fill the audio semantic mask based on the given conditions:", plan.CaptionPrompt, StringComparison.Ordinal);
        Assert.Contains($"- duration: {(int)seconds} seconds", plan.CaptionPrompt, StringComparison.Ordinal);
        Assert.Contains("- keyscale: A minor", plan.CaptionPrompt, StringComparison.Ordinal);
    }

    [Fact]
    public void A_repaint_inside_the_source_masks_every_frame_the_span_touches()
    {
        // Source 10 s + 7 samples (not a multiple of 1920); span 3.3–5.05 s.
        var plan = JobPlanner.Plan(Request(JobKind.Repaint, start: 3.3, end: 5.05), sourceSamples: 480_007);
        Assert.Equal(480_007, plan.OutputSamples);
        Assert.Equal((158_400, 242_400), (plan.SpanStartSample, plan.SpanEndSample));
        Assert.Equal((82, 127), (plan.MaskStartFrame, plan.MaskEndFrame));     // 158400/1920 = 82.5, 242400/1920 = 126.25
        Assert.Equal(0, plan.LeftPadSamples + plan.RightPadSamples);
        Assert.Contains("Repaint the mask area", plan.CaptionPrompt, StringComparison.Ordinal);
    }

    [Fact]
    public void A_repaint_may_extend_before_and_after_the_source()
    {
        // Source 10 s; start −2 s and end 12 s: 2 s of new audio on each side, the source shifted by 2 s.
        var plan = JobPlanner.Plan(Request(JobKind.Repaint, start: -2, end: 12), sourceSamples: 480_000);
        Assert.Equal((96_000, 96_000), (plan.LeftPadSamples, plan.RightPadSamples));
        Assert.Equal(672_000, plan.OutputSamples);
        Assert.Equal((0, 672_000), (plan.SpanStartSample, plan.SpanEndSample));
        Assert.Contains("- duration: 10 seconds", plan.CaptionPrompt, StringComparison.Ordinal);   // the unpadded source, as upstream
    }

    [Fact]
    public void A_repaint_with_only_an_end_starts_at_zero_and_one_with_only_a_start_ends_at_the_source_end()
    {
        var head = JobPlanner.Plan(Request(JobKind.Repaint, end: 2), sourceSamples: 480_000);
        Assert.Equal((0, 96_000), (head.SpanStartSample, head.SpanEndSample));
        var tail = JobPlanner.Plan(Request(JobKind.Repaint, start: 8), sourceSamples: 480_000);
        Assert.Equal((384_000, 480_000), (tail.SpanStartSample, tail.SpanEndSample));
    }

    [Fact]
    public void A_repaint_past_the_models_600_second_limit_is_refused()
    {
        // Input tried: a 590 s source extended to 620 s.
        Assert.Throws<ArgumentException>(() => JobPlanner.Plan(Request(JobKind.Repaint, start: 580, end: 620), sourceSamples: 590 * 48_000));
    }

    [Fact]
    public void A_cover_keeps_the_source_length_and_switches_caption_only_below_full_cover_scale()
    {
        var full = JobPlanner.Plan(Request(JobKind.Cover), sourceSamples: 300_001);
        Assert.Equal(300_001, full.OutputSamples);
        Assert.Null(full.NonCoverCaptionPrompt);
        Assert.Contains("Generate audio semantic tokens", full.CaptionPrompt, StringComparison.Ordinal);
        var loose = JobPlanner.Plan(Request(JobKind.Cover, coverScale: 0.4), sourceSamples: 300_001);
        Assert.Contains("Fill the audio semantic mask", loose.NonCoverCaptionPrompt, StringComparison.Ordinal);
    }

    [Fact]
    public void Turbo_runs_without_guidance_and_without_the_negative_prompt()
    {
        var turbo = JobPlanner.Plan(Request(JobKind.TextToMusic, turbo: true, negative: "distorted"));
        Assert.Equal(1.0, turbo.GuidanceScale);
        Assert.Null(turbo.NegativeCaptionPrompt);
        var base_ = JobPlanner.Plan(Request(JobKind.TextToMusic, negative: "distorted"));
        Assert.Contains("distorted", base_.NegativeCaptionPrompt, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.0, 0, 480)]
    [InlineData(0.5, 12, 1200)]    // 12.5 frames: Python's round, half to even, as upstream's round(25 · 0.5)
    [InlineData(0.3, 8, 720)]      // 7.5 → 8 (even)
    [InlineData(0.7, 18, 1680)]    // 17.5 → 18 (even)
    [InlineData(1.0, 25, 2400)]
    public void Repaint_strength_sets_the_crossfades(double strength, int latentFrames, int waveSamples)
    {
        var plan = JobPlanner.Plan(Request(JobKind.Repaint, start: 2, end: 4, strength: strength), sourceSamples: 480_000);
        Assert.Equal(latentFrames, plan.LatentCrossfadeFrames);
        Assert.Equal(waveSamples, plan.WaveCrossfadeSamples);
    }

    [Theory]
    [InlineData(0.5, 8, 4)]       // 4: exact
    [InlineData(0.5, 5, 2)]       // 2.5 → 2 (half to even)
    [InlineData(0.5, 7, 4)]       // 3.5 → 4 (half to even)
    [InlineData(0.3, 5, 2)]       // 1.5 → 2
    [InlineData(0.1, 5, 0)]       // 0.5 → 0
    [InlineData(1.0, 50, 50)]
    public void Repaint_injects_for_round_half_even_of_strength_times_steps(double strength, int steps, int expected) =>
        Assert.Equal(expected, Audio.RepaintLatents.InjectionSteps(strength, steps));

    [Fact]
    public void A_turbo_plan_takes_at_most_8_steps_and_the_base_plan_what_was_asked()
    {
        var turbo = Request(JobKind.TextToMusic, turbo: true) with { Steps = 50 };
        Assert.Equal(8, JobPlanner.Plan(turbo).Steps);
        Assert.Equal(4, JobPlanner.Plan(turbo with { Steps = 4 }).Steps);
        Assert.Equal(50, JobPlanner.Plan(Request(JobKind.TextToMusic) with { Steps = 50 }).Steps);
    }

    [Fact]
    public void The_latent_blend_ramps_outside_the_span_and_compresses_at_the_sequence_ends()
    {
        // Away from the ends: cf frames of k/(cf+1) before and 1 − k/(cf+1) after.
        var w = Audio.RepaintLatents.BoundaryWeights(30, 10, 20, 4)!;
        Assert.Equal([0f, 0f, 0f, 0f, 0f, 0f, 0.2f, 0.4f, 0.6f, 0.8f], w[..10].Select(v => MathF.Round(v, 6)));
        Assert.All(w[10..20], v => Assert.Equal(1f, v));
        Assert.Equal([0.8f, 0.6f, 0.4f, 0.2f, 0f], w[20..25].Select(v => MathF.Round(v, 6)));

        // Two frames left after the span: the ramp still falls to 0, over those two (upstream's linspace(1, 0, n + 2)).
        var end = Audio.RepaintLatents.BoundaryWeights(22, 10, 20, 4)!;
        Assert.Equal(2f / 3f, end[20], 6);
        Assert.Equal(1f / 3f, end[21], 6);
        var start = Audio.RepaintLatents.BoundaryWeights(30, 1, 20, 4)!;
        Assert.Equal(0.5f, start[0], 6);

        // Nothing is blended at strength 0 (cf 0) or when the span covers every frame.
        Assert.Null(Audio.RepaintLatents.BoundaryWeights(30, 10, 20, 0));
        Assert.Null(Audio.RepaintLatents.BoundaryWeights(30, 0, 30, 4));
    }
}
