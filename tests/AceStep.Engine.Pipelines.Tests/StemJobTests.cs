using AceStep.Contracts.Tasks;
using AceStep.Engine.Generation;
using AceStep.Engine.Model.Tests.Generation;
using AceStep.Engine.Model.Weights;
using AceStep.Engine.Pipelines.Planning;

namespace AceStep.Engine.Pipelines.Tests;

/// <summary>Lego, extract and complete on the tiny checkpoints: lengths, what is kept, and the turbo refusal.</summary>
public sealed class StemJobTests : IClassFixture<TinyModels>, IDisposable
{
    private readonly TinyModels _tiny;
    private readonly AceStepModels _models;
    private readonly MusicPipeline _pipeline;

    public StemJobTests(TinyModels tiny)
    {
        _tiny = tiny;
        _models = tiny.Load();
        _pipeline = new MusicPipeline(_models);
    }

    public void Dispose() => _models.Dispose();

    internal static AudioInferenceRequest Request(JobKind kind, string? track = null, IReadOnlyList<string>? classes = null,
        double? start = null, double? end = null, bool turbo = false) =>
        PlannerTests.Request(kind, start: start, end: end, turbo: turbo) with
        {
            Settings = PlannerTests.Request(kind, start: start, end: end).Settings with { TrackName = track, TrackClasses = classes },
        };

    private static float[] Guitar(int frames) => MusicPipelineTests.TwoTone(frames, 196, 0.4f, 247, 0.35f);

    [Fact]
    public void A_lego_over_a_span_changes_only_the_span()
    {
        // 7 s + 13 samples of "guitar"; drums added over 2.5–4.1 s.
        var source = Guitar(336_013);
        var plan = JobPlanner.Plan(Request(JobKind.Lego, track: "drums", start: 2.5, end: 4.1), sourceSamples: 336_013);
        var result = _pipeline.Run(plan, [3u], source)[0];

        Assert.Equal(source.Length, result.Length);
        Assert.True(result.AsSpan(0, 2 * 120_000).SequenceEqual(source.AsSpan(0, 2 * 120_000)), "Before the span: the input, bit for bit.");
        Assert.True(result.AsSpan(2 * 196_800).SequenceEqual(source.AsSpan(2 * 196_800)), "After the span: the input, bit for bit.");
        Assert.False(result.AsSpan(2 * 130_000, 2 * 50_000).SequenceEqual(source.AsSpan(2 * 130_000, 2 * 50_000)), "Inside: new audio.");
    }

    [Fact]
    public void A_lego_hears_the_source_inside_its_span()
    {
        // Unlike a repaint's, lego's context keeps the source under the span (the new part is played over it).
        var source = Guitar(336_013);
        var lego = JobPlanner.Plan(Request(JobKind.Lego, track: "drums", start: 2.5, end: 4.1), sourceSamples: 336_013);
        var repaint = JobPlanner.Plan(Request(JobKind.Repaint, start: 2.5, end: 4.1), sourceSamples: 336_013);
        var silenced = Guitar(336_013);
        Array.Clear(silenced, 2 * 120_000, 2 * 76_800);

        var fromSource = _pipeline.Run(lego, [5u], source)[0];
        var fromSilencedSpan = _pipeline.Run(lego, [5u], silenced)[0];

        Assert.False(fromSource.AsSpan(2 * 130_000, 2 * 50_000).SequenceEqual(fromSilencedSpan.AsSpan(2 * 130_000, 2 * 50_000)),
            "Lego's new part depends on the source under the span.");
        Assert.Equal(repaint.MaskStartFrame, lego.MaskStartFrame);
        Assert.Equal(repaint.MaskEndFrame, lego.MaskEndFrame);
    }

    [Fact]
    public void A_lego_without_a_span_covers_the_whole_source()
    {
        var plan = JobPlanner.Plan(Request(JobKind.Lego, track: "bass"), sourceSamples: 290_000);
        Assert.Equal((0, 290_000), (plan.SpanStartSample, plan.SpanEndSample));
        Assert.Equal(290_000, plan.OutputSamples);
        var source = Guitar(290_000);
        var result = _pipeline.Run(plan, [6u], source)[0];
        Assert.Equal(source.Length, result.Length);
        Assert.NotEqual(source, result);
    }

    [Theory]
    [InlineData(JobKind.Extract, "vocals", null)]
    [InlineData(JobKind.Complete, null, "drums,bass")]
    [InlineData(JobKind.Complete, null, null)]
    public void Extract_and_complete_return_new_audio_exactly_as_long_as_the_source(JobKind kind, string? track, string? classes)
    {
        // 6 s + 7 samples: not a multiple of the 1920-sample hop.
        var source = Guitar(288_007);
        var plan = JobPlanner.Plan(Request(kind, track: track, classes: classes?.Split(',')), sourceSamples: 288_007);
        var results = _pipeline.Run(plan, [7u, 8u], source);

        Assert.All(results, r => Assert.Equal(source.Length, r.Length));
        Assert.All(results, r => Assert.NotEqual(source, r));
        Assert.NotEqual(results[0], results[1]);
        Assert.All(results, r => Assert.Equal(-1.0, 20 * Math.Log10(r.Max(MathF.Abs)), 3));
    }

    [Fact]
    public void An_extract_without_a_caption_runs_with_the_caption_section_left_empty()
    {
        // Input tried: extract (drums) with positivePrompt absent, which the task API accepts for the stem jobs (the
        // validator gives ""). Upstream formats its caption prompt the same way with caption "" (SFT_GEN_PROMPT).
        var empty = JobPlanner.Plan(Request(JobKind.Extract, track: "drums") with { PositivePrompt = "" }, sourceSamples: 288_007);
        var captioned = JobPlanner.Plan(Request(JobKind.Extract, track: "drums") with { PositivePrompt = "tight funk drums" }, sourceSamples: 288_007);

        Assert.Contains("Extract the DRUMS track from the audio:", empty.CaptionPrompt, StringComparison.Ordinal);
        Assert.Contains("\n# Caption\n\n\n# Metas\n", empty.CaptionPrompt, StringComparison.Ordinal);
        Assert.Equal(captioned.CaptionPrompt.Replace("tight funk drums", "", StringComparison.Ordinal), empty.CaptionPrompt);

        var source = Guitar(288_007);
        var result = Assert.Single(_pipeline.Run(empty, [5u], source));
        Assert.Equal(source.Length, result.Length);
        Assert.NotEqual(source, result);
    }

    [Fact]
    public void A_turbo_request_for_a_stem_job_is_refused_when_planned()
    {
        // Input tried: settings.task lego (drums) with the turbo model.
        var ex = Assert.Throws<BaseModelOnlyTaskException>(() =>
            JobPlanner.Plan(Request(JobKind.Lego, track: "drums", turbo: true), sourceSamples: 288_000));
        Assert.Equal(JobKind.Lego, ex.Kind);
        Assert.Contains("base model only", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_turbo_checkpoint_refuses_a_stem_job_before_any_work()
    {
        // Input tried: an extract plan run on a DiT whose config says is_turbo.
        var turboDit = Path.Combine(_tiny.Root, "checkpoints", "turbo-for-stem-test");
        TinyCheckpoints.WriteDit(turboDit, TinyCheckpoints.DitConfig() with { IsTurbo = true }, seed: 41);
        using var turbo = new AceStepModels(_tiny.Paths with { Dit = turboDit }, new WeightLoadOptions(), MemoryMode.Resident);
        var plan = JobPlanner.Plan(Request(JobKind.Extract, track: "drums"), sourceSamples: 288_000);
        var stages = new List<string>();
        Assert.Throws<BaseModelOnlyTaskException>(() => new MusicPipeline(turbo).Run(plan, [1u], Guitar(288_000), (_, s) => stages.Add(s)));
        Assert.Empty(stages);
    }
}
