using AceStep.Engine.Kernels;
using AceStep.Engine.Model.Compact;

namespace AceStep.Engine.Model.Tests.Compact;

/// <summary>What the engine picks on CPUs with and without the relevant instructions, and what overrides change.</summary>
public class ComputePlanTests
{
    private static readonly CpuFeatures Zen3 = new("X64", Vector256: true, Avx512: false, Avx512BFloat16: false, AmxBFloat16: false, Vnni: false);
    private static readonly CpuFeatures Zen4 = new("X64", Vector256: true, Avx512: true, Avx512BFloat16: true, AmxBFloat16: false, Vnni: true);
    private static readonly CpuFeatures SapphireRapids = new("X64", true, true, false, AmxBFloat16: true, Vnni: true);
    private static readonly CpuFeatures NoVectors = new("Arm64", Vector256: false, false, false, false, false);

    [Fact]
    public void Without_bf16_instructions_the_lm_packs_bf16_and_the_dit_stays_fp32()
    {
        var plan = ComputePlan.Choose(Zen3, compactMemory: false);
        Assert.Equal(new WeightHolding.Packed(WeightFormat.BFloat16), plan.Lm);
        Assert.Null(plan.Models);
        Assert.Equal("fp32 weights, fp32 matrix products", plan.ModelsDescription);
    }

    [Fact]
    public void Only_amx_makes_the_dit_multiply_in_bf16()
    {
        // AVX-512 BF16 alone (Zen 4) measured slower than fp32 for the DiT once inputs and outputs are converted.
        Assert.Null(ComputePlan.Choose(Zen4, false).Models);
        Assert.Equal(new WeightHolding.BFloat16Tensor(Matmul: true), ComputePlan.Choose(SapphireRapids, false).Models);
        Assert.Contains("avx512_bf16", Zen4.Describe(), StringComparison.Ordinal);
        Assert.Contains("amx_bf16", SapphireRapids.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void Compact_memory_takes_int8_for_the_lm_and_bf16_storage_for_the_dit()
    {
        var plan = ComputePlan.Choose(Zen3, compactMemory: true);
        Assert.Equal(new WeightHolding.Packed(WeightFormat.Int8), plan.Lm);
        Assert.Equal(new WeightHolding.BFloat16Tensor(Matmul: false), plan.Models);
    }

    [Fact]
    public void Overrides_win_over_the_automatic_choice()
    {
        var plan = ComputePlan.Choose(SapphireRapids, compactMemory: false, new ComputeOverrides(WeightFormat.Float32, BFloat16Matmul: false));
        Assert.Equal(new WeightHolding.Packed(WeightFormat.Float32), plan.Lm);
        Assert.Null(plan.Models);
        Assert.Equal(new WeightHolding.BFloat16Tensor(true), ComputePlan.Choose(Zen3, false, new ComputeOverrides(BFloat16Matmul: true)).Models);
    }

    [Fact]
    public void A_cpu_the_kernel_cannot_vectorise_keeps_the_lm_on_libtorch()
    {
        var plan = ComputePlan.Choose(NoVectors, compactMemory: false);
        Assert.Null(plan.Lm);
        Assert.Equal("fp32 weights, libtorch", plan.LmDescription);
    }
}
