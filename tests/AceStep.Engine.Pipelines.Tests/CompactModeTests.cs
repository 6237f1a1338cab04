using AceStep.Contracts.Tasks;
using AceStep.Engine.Host;
using AceStep.Engine.Kernels;
using AceStep.Engine.Model.Compact;
using AceStep.Engine.Model.Weights;
using AceStep.Engine.Pipelines.Planning;

namespace AceStep.Engine.Pipelines.Tests;

/// <summary>
/// The compact memory mode end to end on tiny checkpoints: the engine's plan holds the LM in int8 and the DiT and text
/// encoder in bf16, the job's audio stays close to the fp32 job's, and the engine flags that select it.
/// </summary>
public sealed class CompactModeTests(TinyModels tiny) : IClassFixture<TinyModels>
{
    private static readonly CpuFeatures Zen3 = new("X64", Vector256: true, Avx512: false, Avx512BFloat16: false, AmxBFloat16: false, Vnni: false);

    [Fact]
    public void A_compact_repaint_sounds_like_the_fp32_one_and_keeps_the_outside_exact()
    {
        var source = MusicPipelineTests.TwoTone(288_000, 220, 0.4f, 330, 0.3f);
        var plan = JobPlanner.Plan(PlannerTests.Request(JobKind.Repaint, start: 1, end: 3), sourceSamples: 288_000);
        float[] fp32;
        using (var models = tiny.Load())
            fp32 = new MusicPipeline(models).Run(plan, [4u], source)[0];

        using var compact = tiny.Load(MemoryMode.Compact, compute: ComputePlan.Choose(Zen3, compactMemory: true));
        var result = new MusicPipeline(compact).Run(plan, [4u], source)[0];
        Assert.All(WeightPacking.Find(compact.Dit).Values, p => Assert.Equal(new WeightHolding.BFloat16Tensor(false), p.Holding));
        Assert.All(WeightPacking.Find(compact.TextEncoder).Values, p => Assert.Equal(new WeightHolding.BFloat16Tensor(false), p.Holding));
        // The VAE's convolutions too (its Snake parameters stay fp32).
        Assert.All(compact.Vae.named_parameters().Where(p => p.parameter.dim() == 3 && p.name.Contains("conv", StringComparison.Ordinal)),
            p => Assert.Equal(TorchSharp.torch.ScalarType.BFloat16, p.parameter.dtype));

        // Outside the span the source, bit for bit; inside, the same take to within bf16's rounding.
        Assert.True(result.AsSpan(0, 2 * 48_000).SequenceEqual(source.AsSpan(0, 2 * 48_000)));
        var span = Enumerable.Range(2 * 60_000, 2 * 80_000);
        var worst = span.Max(i => Math.Abs(result[i] - fp32[i]));
        var peak = span.Max(i => Math.Abs(fp32[i]));
        Assert.True(worst > 0 && worst < 0.05 * peak, $"compact vs fp32 inside the span: largest difference {worst} against a peak of {peak}");
    }

    [Fact]
    public void The_compact_planner_lm_is_held_in_int8()
    {
        using var models = tiny.Load(MemoryMode.Compact, withPlanner: true, compute: ComputePlan.Choose(Zen3, compactMemory: true));
        _ = models.Planner;
        Assert.True(models.PlannerLoaded);
        Assert.Equal(new WeightHolding.Packed(WeightFormat.Int8), models.Compute!.Lm);
    }

    [Theory]
    [InlineData(new[] { "--memory-mode", "compact" }, MemoryMode.Compact, null, null)]
    [InlineData(new[] { "--lm-weights", "int8", "--matmul", "bf16" }, MemoryMode.Resident, WeightFormat.Int8, true)]
    [InlineData(new[] { "--lm-weights", "auto", "--matmul", "fp32" }, MemoryMode.Resident, null, false)]
    public void The_engine_flags_choose_the_memory_mode_and_compute(string[] args, MemoryMode mode, WeightFormat? lm, bool? matmul)
    {
        var options = EngineOptions.FromEnvironment(args);
        Assert.Equal(mode, options.MemoryMode);
        Assert.Equal(new ComputeOverrides(lm, matmul), options.Compute);
    }

    [Theory]
    [InlineData("--lm-weights", "int4", "auto, fp32, bf16 or int8")]
    [InlineData("--matmul", "fp16", "auto, fp32 or bf16")]
    [InlineData("--memory-mode", "tiny", "resident, sequential or compact")]
    public void Unknown_compute_choices_are_refused_naming_the_choices(string flag, string value, string choices)
    {
        var error = Assert.Throws<ArgumentException>(() => EngineOptions.FromEnvironment([flag, value]));
        Assert.Contains(choices, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cpu_run_follows_the_memory_mode_and_a_gpu_run_re_holds_nothing()
    {
        var plan = ModelAudioGenerator.ComputePlanFor(new WeightLoadOptions { Device = TorchSharp.torch.CPU }, MemoryMode.Compact);
        Assert.True(plan.CompactMemory);
        Assert.Null(ComputePlan.ForGpu(Zen3).Models);
    }
}
