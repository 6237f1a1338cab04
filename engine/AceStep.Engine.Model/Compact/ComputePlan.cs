using AceStep.Engine.Kernels;

namespace AceStep.Engine.Model.Compact;

/// <summary>What a user may force instead of the automatic choice (engine flags <c>--lm-weights</c>, <c>--matmul</c>).</summary>
/// <param name="LmWeights">The LM's weight format for the decode kernel; null = automatic.</param>
/// <param name="BFloat16Matmul">bf16 matrix products for the DiT and text encoder; null = when the CPU has them.</param>
public sealed record ComputeOverrides(WeightFormat? LmWeights = null, bool? BFloat16Matmul = null)
{
    /// <summary>No overrides: everything automatic.</summary>
    public static ComputeOverrides None { get; } = new();
}

/// <summary>
/// How the engine computes on this machine, chosen once at start from the CPU's features and the memory mode: how the
/// LM's weights are held for its decode kernel, and how the DiT's and text encoder's linear layers are held and
/// multiplied. Applies on the CPU only; on a GPU every model runs in the runtime's compute dtype.
/// </summary>
/// <param name="Cpu">The CPU the plan was made for.</param>
/// <param name="Lm">The planner LM's packable weights; null keeps fp32 parameters on libtorch.</param>
/// <param name="Models">The DiT's and text encoder's packable weights; null keeps fp32 parameters and products.</param>
/// <param name="CompactMemory">The compact memory mode asked for the smallest formats.</param>
public sealed record ComputePlan(CpuFeatures Cpu, WeightHolding? Lm, WeightHolding? Models, bool CompactMemory)
{
    /// <summary>
    /// The automatic choice, then the overrides. LM: bf16 weights on the engine's kernel where .NET vectorises 256-bit
    /// (AVX2/FMA), int8 in the compact memory mode (the official checkpoints are bf16, so bf16 loses nothing against
    /// them); otherwise libtorch on fp32. DiT and text encoder: bf16 matrix products where the CPU has AMX
    /// (<see cref="CpuFeatures.FastBFloat16Matmul"/>), bf16 weights with fp32 products in the compact memory mode, else
    /// fp32.
    /// </summary>
    public static ComputePlan Choose(CpuFeatures cpu, bool compactMemory, ComputeOverrides? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(cpu);
        overrides ??= ComputeOverrides.None;
        WeightHolding? lm = overrides.LmWeights is { } format
            ? new WeightHolding.Packed(format)
            : cpu.Vector256 ? new WeightHolding.Packed(compactMemory ? WeightFormat.Int8 : WeightFormat.BFloat16) : null;
        var matmul = overrides.BFloat16Matmul ?? cpu.FastBFloat16Matmul;
        WeightHolding? models = matmul || compactMemory ? new WeightHolding.BFloat16Tensor(matmul) : null;
        return new ComputePlan(cpu, lm, models, compactMemory);
    }

    /// <summary>The plan for a GPU run: nothing re-held (the runtime's dtype decides).</summary>
    public static ComputePlan ForGpu(CpuFeatures cpu) => new(cpu, null, null, false);

    /// <summary>How the LM computes, in words.</summary>
    public string LmDescription => Lm?.Describe() ?? "fp32 weights, libtorch";

    /// <summary>How the DiT and text encoder compute, in words.</summary>
    public string ModelsDescription => Models?.Describe() ?? "fp32 weights, fp32 matrix products";
}
