using System.Runtime.Intrinsics.X86;

namespace AceStep.Engine.Kernels;

/// <summary>
/// What the CPU the engine runs on offers for matrix products, read once at start (CPUID on x86, the same on Linux and
/// Windows; .NET's own checks for what the runtime vectorises).
/// </summary>
/// <param name="Architecture">The process architecture (X64, Arm64, …).</param>
/// <param name="Vector256">.NET accelerates 256-bit vectors: the engine's decode kernel runs at full speed.</param>
/// <param name="Avx512">AVX-512 (foundation) is enabled by the CPU and the OS.</param>
/// <param name="Avx512BFloat16">AVX-512 BF16 (bf16 dot products): libtorch's bf16 GEMM is fast here.</param>
/// <param name="AmxBFloat16">AMX with bf16 tiles (Sapphire Rapids and later): libtorch's bf16 GEMM is fastest here.</param>
/// <param name="Vnni">AVX-512 VNNI or AVX-VNNI (int8 dot products).</param>
public sealed record CpuFeatures(string Architecture, bool Vector256, bool Avx512, bool Avx512BFloat16, bool AmxBFloat16, bool Vnni)
{
    /// <summary>The CPU this process runs on.</summary>
    public static CpuFeatures Current { get; } = Detect();

    /// <summary>
    /// True when libtorch's bf16 matrix products are expected to beat fp32: AMX tiles only. Without bf16 instructions they
    /// are emulated (0.3 GFLOP/s measured on a Zen 3); with AVX-512 BF16 alone (Zen 4) the DiT ran 0.72× its fp32 speed
    /// once its inputs and outputs are converted (docs/performance.md), so only AMX's far wider bf16 units qualify —
    /// an expectation from their published rates, not measured here.
    /// </summary>
    public bool FastBFloat16Matmul => AmxBFloat16;

    /// <summary>The features as a short list, e.g. <c>x64 avx2 avx512 avx512_bf16 vnni</c>.</summary>
    public string Describe()
    {
        var parts = new List<string> { Architecture.ToLowerInvariant() };
        if (Vector256)
            parts.Add(Architecture == "X64" ? "avx2" : "vector256");
        if (Avx512)
            parts.Add("avx512");
        if (Avx512BFloat16)
            parts.Add("avx512_bf16");
        if (AmxBFloat16)
            parts.Add("amx_bf16");
        if (Vnni)
            parts.Add("vnni");
        return string.Join(' ', parts);
    }

    private static CpuFeatures Detect()
    {
        var architecture = System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString();
        var vector256 = System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated && Fma.IsSupported;
        if (!X86Base.IsSupported)
            return new CpuFeatures(architecture, System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated, false, false, false, false);

        var avx512 = Avx512F.IsSupported;
        var (_, _, _, edx7) = X86Base.CpuId(7, 0);
        var (eax71, _, _, _) = X86Base.CpuId(7, 1);
        // CPUID.(7,1):EAX[5] AVX512_BF16; CPUID.(7,0):EDX[22] AMX-BF16, [24] AMX-TILE. AVX-512 state must also be enabled
        // by the OS, which Avx512F.IsSupported already checks.
        var avx512Bf16 = avx512 && (eax71 & (1 << 5)) != 0;
        var amx = (edx7 & (1 << 22)) != 0 && (edx7 & (1 << 24)) != 0;
        var vnni = AvxVnni.IsSupported || (avx512 && (X86Base.CpuId(7, 0).Ecx & (1 << 11)) != 0);
        return new CpuFeatures(architecture, vector256, avx512, avx512Bf16, amx, vnni);
    }
}
