using AceStep.Benchmarks;
using AceStep.Engine.Kernels;
using AceStep.Engine.Model.Compact;
using AceStep.Engine.Model.Dit;
using AceStep.Engine.Torch;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Benchmarks;

/// <summary>
/// One DiT decoder forward at the real 2B width (24 layers, hidden 2048, random fp32 weights) on the CPU, for 10 s and
/// 30 s of audio with the CFG batch (conditional + unconditional rows = batch 2; with a negative prompt of the caption's
/// length its own row makes batch 3, the cost of the negative prompt's guidance term, docs/parity.md) and the
/// cross-attention K/V already cached (as on every sampler step after the first). Reported in GFLOP/s and as a ratio to libtorch's fp32 GEMM
/// measured in the same run (target ≥ 0.7). FLOPs count what is computed: the ±128 band is an additive mask, so every
/// layer's attention covers all keys. <see cref="Matmul"/> compares fp32 linear layers with bf16 ones multiplied in bf16
/// (<see cref="WeightHolding.BFloat16Tensor"/>, what the engine picks on CPUs with AVX-512 BF16 or AMX); the bf16 case's
/// set-up prints its output's difference from the fp32 forward of the same weights.
/// </summary>
[Config(typeof(Config))]
[WarmupCount(1)]
[IterationCount(3)]
[InvocationCount(1)]
public class DitForwardBenchmarks : IWorkSource
{
    /// <summary>Packed condition length: ~300 lyric tokens + 1 timbre token + ~100 caption tokens.</summary>
    public const int ConditionTokens = 400;

    private DitDecoder? _decoder;
    private CrossAttentionCache? _cache;
    private Tensor? _x;
    private Tensor? _t;
    private Tensor? _context;
    private Tensor? _a;
    private Tensor? _b;

    /// <summary>Seconds of audio (25 latent frames per second): 10 and 30, or the list in <c>ACESTEP_BENCH_DIT_SECONDS</c>.</summary>
    [ParamsSource(nameof(SecondsValues))]
    public int Seconds { get; set; } = 10;

    /// <summary>Rows of the batch: 2 (conditional + null condition) and 3 (+ a negative prompt), or the list in
    /// <c>ACESTEP_BENCH_DIT_ROWS</c> (1 = a turbo step, which runs without guidance).</summary>
    [ParamsSource(nameof(RowsValues))]
    public int Rows { get; set; } = 2;

    /// <summary>The <see cref="Seconds"/> cases.</summary>
    public static IEnumerable<int> SecondsValues => IntList("ACESTEP_BENCH_DIT_SECONDS") ?? [10, 30];

    /// <summary>The <see cref="Rows"/> cases.</summary>
    public static IEnumerable<int> RowsValues => IntList("ACESTEP_BENCH_DIT_ROWS") ?? [2, 3];

    private static int[]? IntList(string variable) =>
        Environment.GetEnvironmentVariable(variable)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(v => int.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    /// <summary>"fp32": fp32 linear layers; "bf16": bf16 weights and bf16 matrix products.</summary>
    [Params("fp32", "bf16")]
    public string Matmul { get; set; } = "fp32";

    private long Frames => Seconds * 25L;

    [GlobalSetup]
    public void Setup()
    {
        var runtime = TorchRuntime.Create(new TorchRuntimeOptions { Device = TorchDevicePreference.Cpu });
        Console.WriteLine($"// {runtime.Info}");
        manual_seed(1);
        _decoder = new DitDecoder();
        _decoder.eval();
        using var noGrad = no_grad();
        _x = randn(Rows, Frames, 64);
        _t = full([Rows], 0.5f);
        _context = randn(Rows, Frames, 128);
        using (var enc = randn(Rows, ConditionTokens, 2048))
            _cache = _decoder.PrepareCrossAttention(enc);
        if (Matmul == "bf16")
        {
            // Parity first: the same weights' fp32 forward, then the bf16 one (the cached cross K/V stay fp32 as the
            // engine computes them once per generation in fp32 — the condition encoder's own layers are not timed here).
            using var reference = _decoder.Forward(_x, _t, _t, _cache, _context);
            WeightPacking.HoldAll(_decoder, new WeightHolding.BFloat16Tensor(Matmul: true));
            using var bf16 = _decoder.Forward(_x, _t, _t, _cache, _context);
            var error = (reference - bf16).abs().max().item<float>() / reference.abs().max().item<float>();
            var rms = ((reference - bf16).square().mean().sqrt() / reference.square().mean().sqrt()).item<float>();
            Console.WriteLine($"// bf16 matmul parity vs fp32, {Seconds} s, batch {Rows}: max |Δ| / max |v| = {error:E2}, RMS(Δ) / RMS(v) = {rms:E2}; {CpuFeatures.Current.Describe()}");
        }

        _a = randn(2048, 2048);
        _b = randn(2048, 2048);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _cache?.Dispose();
        _decoder?.Dispose();
        foreach (var tensor in new[] { _x, _t, _context, _a, _b })
            tensor?.Dispose();
    }

    [Benchmark(Description = "DiT forward, guided batch")]
    public void DitForward()
    {
        using var noGrad = no_grad();
        using var v = _decoder!.Forward(_x!, _t!, _t!, _cache!, _context!);
    }

    [Benchmark(Description = "fp32 GEMM 2048³")]
    public void Gemm()
    {
        using var c = _a!.matmul(_b!);
    }

    public double Work(string method, string column)
    {
        if (column != "GFLOP/s")
            return 0;
        return method == nameof(Gemm) ? 2.0 * 2048 * 2048 * 2048 : ForwardFlops(batch: Rows, Frames, ConditionTokens);
    }

    /// <summary>FLOPs of one decoder forward at the shipped width (multiply-adds × 2).</summary>
    public static double ForwardFlops(long batch, long frames, long conditionTokens)
    {
        const double hidden = 2048, kv = 1024, mlp = 6144, heads = 16, headDim = 128, layers = 24;
        var tokens = (frames + 1) / 2;
        var selfProjections = 2 * hidden * (hidden + kv + kv + hidden);        // q, k, v, o
        var crossProjections = 2 * hidden * (hidden + hidden);                // q, o (K/V cached)
        var mlpFlops = 2 * 3 * hidden * mlp;                                  // gate, up, down
        var selfAttention = 2 * 2 * heads * headDim * tokens;                 // QKᵀ and AV over all keys
        var crossAttention = 2 * 2 * heads * headDim * conditionTokens;
        var perTokenLayer = selfProjections + crossProjections + mlpFlops + selfAttention + crossAttention;
        var patches = (2 * 192 * 2 * hidden) + (2 * hidden * 64 * 2);         // proj_in conv, proj_out deconv
        return batch * tokens * ((layers * perTokenLayer) + patches);
    }

    private sealed class Config : ManualConfig
    {
        // Seconds per invocation: the count attributes on the class shorten every job (they mutate jobs rather than add
        // one, so the in-process toolchain chosen on the command line still applies).
        public Config() => AddColumn(new ThroughputColumn("GFLOP/s"), new ThroughputRatioColumn("GFLOP/s", nameof(Gemm)));
    }
}
