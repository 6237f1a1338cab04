using AceStep.Contracts.Tasks;
using AceStep.Engine.Pipelines.Planning;

namespace AceStep.Engine.Pipelines.Tests;

public sealed class MusicPipelineTests : IClassFixture<TinyModels>, IDisposable
{
    private readonly AceStepModels _models;
    private readonly MusicPipeline _pipeline;

    public MusicPipelineTests(TinyModels tiny)
    {
        _models = tiny.Load();
        _pipeline = new MusicPipeline(_models);
    }

    public void Dispose() => _models.Dispose();

    /// <summary>A tonal test signal, interleaved stereo, with different channels.</summary>
    private static float[] Source(int frames) => TwoTone(frames, 220, 0.4f, 330, 0.3f);

    /// <summary>Interleaved stereo at 48 kHz: a sine of <paramref name="leftHz"/> on the left, of <paramref name="rightHz"/> on the right.</summary>
    internal static float[] TwoTone(int frames, float leftHz, float leftLevel, float rightHz, float rightLevel)
    {
        var samples = new float[frames * 2];
        for (var i = 0; i < frames; i++)
        {
            samples[2 * i] = leftLevel * MathF.Sin(2 * MathF.PI * leftHz * i / 48_000f);
            samples[(2 * i) + 1] = rightLevel * MathF.Sin(2 * MathF.PI * rightHz * i / 48_000f);
        }

        return samples;
    }

    [Fact]
    public void Text_to_music_returns_each_result_at_exactly_the_requested_length_peaking_at_minus_one_dbfs()
    {
        var plan = JobPlanner.Plan(PlannerTests.Request(JobKind.TextToMusic, duration: 6.3));
        var stages = new List<(double Fraction, string Stage)>();
        var results = _pipeline.Run(plan, [11u, 12u], null, (f, s) => stages.Add((f, s)));

        Assert.Equal(2, results.Count);
        Assert.All(results, r => Assert.Equal(302_400 * 2, r.Length));
        Assert.All(results, r => Assert.Equal(-1.0, 20 * Math.Log10(r.Max(MathF.Abs)), 3));
        Assert.NotEqual(results[0], results[1]);
        Assert.Equal(["text-encoder", "vae-encode", "diffusion", "vae-decode"], stages.Select(s => s.Stage).Distinct());
        Assert.True(stages.Zip(stages.Skip(1)).All(p => p.Second.Fraction >= p.First.Fraction));
        Assert.Equal(1.0, stages[^1].Fraction, 9);
    }

    [Fact]
    public void The_same_seed_gives_the_same_audio()
    {
        var plan = JobPlanner.Plan(PlannerTests.Request(JobKind.TextToMusic, duration: 6));
        Assert.Equal(_pipeline.Run(plan, [5u], null)[0], _pipeline.Run(plan, [5u], null)[0]);
    }

    [Fact]
    public void A_repaint_leaves_every_sample_outside_the_span_untouched()
    {
        // 7 s + 13 samples of source (not a multiple of 1920); repaint 2.5–4.1 s.
        var source = Source(336_013);
        var plan = JobPlanner.Plan(PlannerTests.Request(JobKind.Repaint, start: 2.5, end: 4.1), sourceSamples: 336_013);
        var result = _pipeline.Run(plan, [3u], source)[0];

        Assert.Equal(source.Length, result.Length);
        Assert.True(result.AsSpan(0, 2 * 120_000).SequenceEqual(source.AsSpan(0, 2 * 120_000)), "Before the span: the input, bit for bit.");
        Assert.True(result.AsSpan(2 * 196_800).SequenceEqual(source.AsSpan(2 * 196_800)), "After the span: the input, bit for bit.");
        Assert.False(result.AsSpan(2 * 130_000, 2 * 50_000).SequenceEqual(source.AsSpan(2 * 130_000, 2 * 50_000)), "Inside: new audio.");
    }

    [Fact]
    public void A_source_past_full_scale_is_clamped_for_the_vae_and_spliced_back_unclamped()
    {
        // Upstream clamps the loaded source to [−1, 1] before encoding; the splice outside the span keeps the input.
        var loud = Source(336_013).Select(x => 4f * x).ToArray();                   // peaks 1.6 and 1.2
        var clamped = loud.Select(x => Math.Clamp(x, -1f, 1f)).ToArray();
        var plan = JobPlanner.Plan(PlannerTests.Request(JobKind.Repaint, start: 2.5, end: 4.1), sourceSamples: 336_013);
        var fromLoud = _pipeline.Run(plan, [3u], loud)[0];
        var fromClamped = _pipeline.Run(plan, [3u], clamped)[0];

        Assert.True(fromLoud.AsSpan(0, 2 * 120_000).SequenceEqual(loud.AsSpan(0, 2 * 120_000)), "Outside the span: the input as given.");
        Assert.True(fromLoud.AsSpan(2 * 140_000, 2 * 40_000).SequenceEqual(fromClamped.AsSpan(2 * 140_000, 2 * 40_000)),
            "Inside the span the model saw the clamped source.");
    }

    [Fact]
    public void The_schedule_is_the_models_own_in_its_dtype()
    {
        var plan = JobPlanner.Plan(PlannerTests.Request(JobKind.TextToMusic, duration: 6));
        var schedule = _pipeline.ScheduleFor(plan);
        Assert.Equal(TorchSharp.torch.ScalarType.Float32, schedule.Precision);
        Assert.Equal(Model.Sampling.TimestepSchedule.Base(plan.Steps, plan.Shift, TorchSharp.torch.ScalarType.Float32).Values, schedule.Values);
    }

    [Fact]
    public void A_repaint_that_extends_before_the_source_returns_the_source_shifted_by_the_extension()
    {
        // Start −1.5 s, end 2 s on a 6 s source: 72 000 new samples first, then the source from 0.5 s on, untouched.
        var source = Source(288_000);
        var plan = JobPlanner.Plan(PlannerTests.Request(JobKind.Repaint, start: -1.5, end: 2), sourceSamples: 288_000);
        var result = _pipeline.Run(plan, [4u], source)[0];

        Assert.Equal((288_000 + 72_000) * 2, result.Length);
        Assert.True(result.AsSpan(2 * 168_000).SequenceEqual(source.AsSpan(2 * 96_000)));
        Assert.Contains(result.AsSpan(0, 2 * 72_000).ToArray(), s => s != 0f);
    }

    [Fact]
    public void A_repaint_reports_its_splice_as_the_last_stage_after_the_decode()
    {
        // Repaint 2.5–4.1 s of a 7 s source: the stages a progress bar (and the Generate-to-take benchmark) sees.
        var plan = JobPlanner.Plan(PlannerTests.Request(JobKind.Repaint, start: 2.5, end: 4.1), sourceSamples: 336_000);
        var stages = new List<(double Fraction, string Stage)>();
        _pipeline.Run(plan, [3u], Source(336_000), (f, s) => stages.Add((f, s)));

        Assert.Equal(["text-encoder", "vae-encode", "diffusion", "vae-decode", "splice"], stages.Select(s => s.Stage).Distinct());
        Assert.Equal(("splice", 1.0), (stages[^1].Stage, stages[^1].Fraction));
    }

    [Fact]
    public void A_cover_returns_new_audio_as_long_as_the_source()
    {
        var source = Source(290_000);
        var plan = JobPlanner.Plan(PlannerTests.Request(JobKind.Cover, coverScale: 0.5, strength: 0.3), sourceSamples: 290_000);
        var result = _pipeline.Run(plan, [6u], source)[0];
        Assert.Equal(source.Length, result.Length);
        Assert.NotEqual(source, result);
    }

    [Fact]
    public void Cancelling_during_diffusion_stops_the_job()
    {
        using var cts = new CancellationTokenSource();
        var plan = JobPlanner.Plan(PlannerTests.Request(JobKind.TextToMusic, duration: 6));
        Assert.ThrowsAny<OperationCanceledException>(() => _pipeline.Run(plan, [1u], null, (_, stage) =>
        {
            if (stage == "diffusion")
                cts.Cancel();
        }, cts.Token));
    }

    [Fact]
    public void A_job_that_needs_a_source_refuses_to_run_without_one()
    {
        // Input tried: a cover plan with no source audio.
        var plan = JobPlanner.Plan(PlannerTests.Request(JobKind.Cover), sourceSamples: 100_000);
        Assert.Throws<ArgumentException>(() => _pipeline.Run(plan, [1u], null));
    }
}

public sealed class MemoryModeTests(TinyModels tiny) : IClassFixture<TinyModels>
{
    [Theory]
    [InlineData(MemoryMode.Resident, true)]
    [InlineData(MemoryMode.Sequential, false)]
    public void Sequential_mode_drops_the_text_encoder_and_the_dit_after_their_stages(MemoryMode mode, bool keptLoaded)
    {
        using var models = tiny.Load(mode);
        var plan = JobPlanner.Plan(PlannerTests.Request(JobKind.TextToMusic, duration: 6));
        var result = new MusicPipeline(models).Run(plan, [9u], null);
        Assert.Equal(288_000 * 2, result[0].Length);
        Assert.Equal((keptLoaded, keptLoaded, true), models.Loaded);
    }

    [Fact]
    public void Sequential_mode_never_holds_the_dit_while_the_text_encoder_runs()
    {
        // A repaint in sequential mode: when the text encoder starts and when the source is encoded, the DiT must not be
        // loaded yet (both at once would raise the job's peak memory to their sum).
        using var models = tiny.Load(MemoryMode.Sequential);
        var plan = JobPlanner.Plan(PlannerTests.Request(JobKind.Repaint, start: 1, end: 3), sourceSamples: 288_000);
        var ditLoaded = new Dictionary<string, bool>();
        new MusicPipeline(models).Run(plan, [9u], new float[288_000 * 2], (_, stage) => ditLoaded.TryAdd(stage, models.Loaded.Dit));

        Assert.False(ditLoaded["text-encoder"], "DiT loaded when the text encoder started");
        Assert.False(ditLoaded["vae-encode"], "DiT loaded while the source was encoded");
    }
}
