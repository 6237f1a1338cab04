using AceStep.Engine.Kernels;

namespace AceStep.Engine.Model.Compact;

/// <summary>How a loaded <see cref="IPackableWeight"/> holds its weight; null (no holding) keeps the fp32 parameter.</summary>
public abstract record WeightHolding
{
    private protected WeightHolding()
    {
    }

    /// <summary>A short description for status lines and logs.</summary>
    public abstract string Describe();

    /// <summary>
    /// Packed for the engine's few-row kernel (an LM decode step) in <paramref name="Format"/>; products over many rows
    /// (a prompt's prefill) use libtorch's fp32 GEMM, on a temporary fp32 copy when the format is compact.
    /// </summary>
    public sealed record Packed(WeightFormat Format) : WeightHolding
    {
        /// <inheritdoc />
        public override string Describe() => $"{Format.Name()} weights, engine kernel for decode steps";
    }

    /// <summary>
    /// A bf16 tensor (half the memory). With <paramref name="Matmul"/> the products run in bf16 through libtorch (fast
    /// only on CPUs with AVX-512 BF16 or AMX, and on GPUs), inputs rounded to bf16 and results returned in fp32;
    /// without it each product converts the weight to fp32 first (slower, for memory only).
    /// </summary>
    public sealed record BFloat16Tensor(bool Matmul) : WeightHolding
    {
        /// <inheritdoc />
        public override string Describe() => Matmul ? "bf16 weights, bf16 matrix products" : "bf16 weights, fp32 matrix products";
    }
}
