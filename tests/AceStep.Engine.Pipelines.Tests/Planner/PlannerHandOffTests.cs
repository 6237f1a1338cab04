using AceStep.Audio;
using AceStep.Contracts.Tasks;
using AceStep.Engine.Generation;
using AceStep.Engine.Host;
using AceStep.Engine.Model.Lm;
using AceStep.Engine.Model.Weights;
using AceStep.Engine.ModelStore;
using AceStep.Engine.Pipelines.Planning;
using static TorchSharp.torch;

namespace AceStep.Engine.Pipelines.Tests.Planner;

/// <summary>The LM → DiT hand-off (spec §7.5) and the engine option that turns the planner off or picks its size.</summary>
public sealed class PlannerHandOffTests(TinyModels tiny) : IClassFixture<TinyModels>
{
    private static readonly PlannerSettings TinyPlanner = new(TinyModels.LmId) { MaxCaptionTokens = 6 };

    private static AudioInferenceRequest Open(double duration = 6) => PlannerTests.Request(JobKind.TextToMusic, duration: duration) with
    {
        Settings = new GenerationSettings { TimeSignature = 4, VocalLanguage = "de" },
    };

    [Fact]
    public void The_planner_is_asked_with_bpm_key_time_signature_and_duration_forced_and_never_the_language()
    {
        // Upstream's user_metadata: bpm, keyscale, timesignature, duration; the vocal language is left to the LM.
        var ask = JobPlanner.PlannerRequest(PlannerTests.Request(JobKind.TextToMusic, duration: 6.3, negative: "noise"));
        Assert.Equal(new CotMetadata { Bpm = 90, Duration = 6, KeyScale = "A minor", TimeSignature = 4 }, ask.Forced);
        Assert.True(LmPlanner.SkipsMetadataPhase(ask.Forced));
        Assert.Equal(("warm lo-fi piano", "[Instrumental]", 6.3, "noise"), (ask.Caption, ask.Lyrics, ask.DurationSeconds, ask.NegativePrompt));

        var open = JobPlanner.PlannerRequest(Open());
        Assert.Equal(new CotMetadata { Duration = 6, TimeSignature = 4 }, open.Forced);
        Assert.False(LmPlanner.SkipsMetadataPhase(open.Forced));
        Assert.Null(open.NegativePrompt);                                           // none given: the default uncond prompt

        // Input tried: a repaint request; the planner never runs for repaint or cover.
        Assert.Throws<ArgumentException>(() => JobPlanner.PlannerRequest(PlannerTests.Request(JobKind.Repaint, start: 1, end: 2)));
    }

    [Fact]
    public void Lm_metadata_fills_only_the_empty_fields_the_dit_gets_the_lms_caption_and_the_job_becomes_cover_style()
    {
        var request = Open();
        var lm = new LmPlan(new CotMetadata { Bpm = 133, Caption = "dusty tape piano, slow swing", Duration = 6, KeyScale = "F♯ minor", Language = "fr", TimeSignature = 3 },
            "<think>…</think>", [new long[30]]);
        var plan = JobPlanner.WithPlannerResult(JobPlanner.Plan(request), request, lm);

        Assert.Equal(new Text.Prompts.MusicMetas(133, 4, "F# minor", 6), plan.Metas);          // time signature: the request's
        // Upstream's use_cot_caption=True: the DiT gets the LM's rewritten caption.
        Assert.StartsWith("# Instruction\nGenerate audio semantic tokens based on the given conditions:\n\n# Caption\ndusty tape piano, slow swing\n",
            plan.CaptionPrompt, StringComparison.Ordinal);
        // The lyric prompt keeps the request's language (upstream reads a "vocal_language" key the LM never writes).
        Assert.StartsWith("# Languages\nde\n", plan.LyricPrompt, StringComparison.Ordinal);
        var keepCaption = JobPlanner.WithPlannerResult(JobPlanner.Plan(request), request, lm, useLmCaption: false);
        Assert.Contains("# Caption\nwarm lo-fi piano\n", keepCaption.CaptionPrompt, StringComparison.Ordinal);
        var noCaption = JobPlanner.WithPlannerResult(JobPlanner.Plan(request), request, lm with { Metadata = lm.Metadata with { Caption = null } });
        Assert.Contains("# Caption\nwarm lo-fi piano\n", noCaption.CaptionPrompt, StringComparison.Ordinal);
        Assert.Contains("- bpm: 133\n- timesignature: 4\n- keyscale: F# minor\n- duration: 6 seconds\n", plan.CaptionPrompt, StringComparison.Ordinal);
        Assert.Same(lm.Codes, plan.AudioCodes);
        Assert.Equal((288_000, 150), (plan.OutputSamples, plan.Frames));                        // lengths stay the request's
    }

    [Fact]
    public void With_codes_the_dit_context_is_their_hints_and_the_audio_changes()
    {
        using var models = tiny.Load();
        var pipeline = new MusicPipeline(models);
        var request = Open();
        var plain = JobPlanner.Plan(request);
        var codes = new[] { Enumerable.Range(0, 30).Select(i => (long)(i * 7 % 100)).ToArray(), Enumerable.Range(0, 30).Select(i => (long)(i * 3 % 100)).ToArray() };
        var planned = JobPlanner.WithPlannerResult(plain, request, new LmPlan(new CotMetadata { Bpm = 100 }, "", codes));

        using (var scope = NewDisposeScope())
        {
            var target = pipeline.Target(planned, null, 2);
            Assert.Equal([true, true], target.IsCover);
            Assert.Equal([2L, 150, 64], target.Hints!.shape);
            Assert.False(target.Hints[0].allclose(target.Hints[1]));                // each result its own codes
            Assert.Null(pipeline.Target(plain, null, 2).Hints);
            Assert.Equal([false, false], pipeline.Target(plain, null, 2).IsCover);
        }

        Assert.NotEqual(pipeline.Run(plain, [9u], null)[0], pipeline.Run(planned with { AudioCodes = [codes[0]] }, [9u], null)[0]);
    }

    [Fact]
    public async Task Text_to_music_is_planned_first_and_cover_skips_the_planner()
    {
        var log = new List<string>();
        using var generator = new ModelAudioGenerator(new ModelLocator(tiny.Root), () => new WeightLoadOptions(), planner: TinyPlanner, log: log.Add);

        var stages = new List<GenerationProgress>();
        var results = await generator.GenerateAsync(new GenerationJob(Open(duration: 5.5), [1u, 2u], null), new SyncProgress(stages.Add), CancellationToken.None);
        Assert.Equal(2, results.Count);
        Assert.All(results, r => Assert.Equal(264_000, r.Audio.Frames));
        Assert.Equal(["planner", "text-encoder", "vae-encode", "diffusion", "vae-decode"], stages.Select(s => s.Stage).Distinct());
        Assert.True(stages.Zip(stages.Skip(1)).All(p => p.Second.Fraction >= p.First.Fraction));
        Assert.Equal(1.0, stages[^1].Fraction, 9);
        Assert.Contains(log, l => l.StartsWith($"Planner {TinyModels.LmId}: <think> bpm: ", StringComparison.Ordinal) && l.Contains("(27 codes per result)", StringComparison.Ordinal));
        Assert.True(generator.PlannerLoaded);                                       // resident: kept for the next job

        stages.Clear();
        var cover = PlannerTests.Request(JobKind.Cover);
        await generator.GenerateAsync(new GenerationJob(cover, [3u], new AudioBuffer(new float[2 * 96_000], 48_000, 2)), new SyncProgress(stages.Add), CancellationToken.None);
        Assert.DoesNotContain(stages, s => s.Stage == "planner");
    }

    [Fact]
    public async Task A_planner_that_is_not_installed_is_skipped_and_the_log_says_how_to_install_it_while_off_says_nothing()
    {
        // Input tried: the default planner (1.7B), which the tiny models directory does not hold.
        var log = new List<string>();
        using var missing = new ModelAudioGenerator(new ModelLocator(tiny.Root), () => new WeightLoadOptions(), log: log.Add);
        var stages = new List<GenerationProgress>();
        await missing.GenerateAsync(new GenerationJob(Open(), [1u], null), new SyncProgress(stages.Add), CancellationToken.None);
        Assert.DoesNotContain(stages, s => s.Stage == "planner");
        Assert.Contains(log, l => l.Contains("acestep models pull acestep-5Hz-lm-1.7B", StringComparison.Ordinal));

        log.Clear();
        stages.Clear();
        using var off = new ModelAudioGenerator(new ModelLocator(tiny.Root), () => new WeightLoadOptions(), planner: PlannerSettings.Off, log: log.Add);
        await off.GenerateAsync(new GenerationJob(Open(), [1u], null), new SyncProgress(stages.Add), CancellationToken.None);
        Assert.DoesNotContain(stages, s => s.Stage == "planner");
        Assert.Empty(log);
        Assert.False(off.PlannerLoaded);
    }

    [Theory]
    [InlineData(MemoryMode.Sequential, false)]
    [InlineData(MemoryMode.Resident, true)]
    public void Sequential_memory_drops_the_lm_once_planning_is_done(MemoryMode mode, bool stillLoaded)
    {
        using var models = tiny.Load(mode, withPlanner: true);
        Assert.False(models.PlannerLoaded);                                         // nothing loads before use
        models.Planner.Plan(JobPlanner.PlannerRequest(Open(duration: 2)), [1u]);
        Assert.True(models.PlannerLoaded);
        models.PlanningDone();
        Assert.Equal(stillLoaded, models.PlannerLoaded);

        using var without = tiny.Load(mode);
        Assert.False(without.HasPlanner);
        Assert.Throws<InvalidOperationException>(() => without.Planner);
    }

    [Theory]
    [InlineData(new string[0], "acestep-5Hz-lm-1.7B")]
    [InlineData(new[] { "--planner", "off" }, null)]
    [InlineData(new[] { "--planner", "0.6b" }, "acestep-5Hz-lm-0.6B")]
    [InlineData(new[] { "--planner", "4B" }, "acestep-5Hz-lm-4B")]
    [InlineData(new[] { "--planner", "acestep-5Hz-lm-1.7B" }, "acestep-5Hz-lm-1.7B")]
    public void The_engine_option_turns_the_planner_off_or_picks_its_size(string[] args, string? lm)
    {
        Assert.Equal(lm, EngineOptions.FromEnvironment(args).Planner.LmId);
    }

    [Fact]
    public void An_unknown_planner_size_is_refused_naming_the_choices()
    {
        // Input tried: --planner 8B.
        var error = Assert.Throws<ArgumentException>(() => EngineOptions.FromEnvironment(["--planner", "8B"]));
        Assert.Contains("off, 0.6B, 1.7B or 4B", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new string[0], true)]
    [InlineData(new[] { "--dcw", "off" }, false)]
    [InlineData(new[] { "--dcw", "on" }, true)]
    public void The_engine_option_turns_dcw_off_and_it_is_on_by_default_as_upstream(string[] args, bool active)
    {
        Assert.Equal(active, EngineOptions.FromEnvironment(args).Dcw.IsActive);
        var error = Assert.Throws<ArgumentException>(() => EngineOptions.FromEnvironment(["--dcw", "maybe"]));
        Assert.Contains("on or off", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_lm_takes_temperature_first_on_cuda_and_last_on_cpu_as_upstreams_backends()
    {
        Assert.True(TokenSampler.TemperatureFirst(TemperatureOrder.ByDevice, TorchSharp.DeviceType.CUDA));
        Assert.False(TokenSampler.TemperatureFirst(TemperatureOrder.ByDevice, TorchSharp.DeviceType.CPU));
        Assert.True(TokenSampler.TemperatureFirst(TemperatureOrder.BeforeFilters, TorchSharp.DeviceType.CPU));
        Assert.False(TokenSampler.TemperatureFirst(TemperatureOrder.AfterFilters, TorchSharp.DeviceType.CUDA));
    }

    private sealed class SyncProgress(Action<GenerationProgress> report) : IProgress<GenerationProgress>
    {
        public void Report(GenerationProgress value) => report(value);
    }
}
