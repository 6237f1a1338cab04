using AceStep.Benchmarks;
using AceStep.Engine.Kernels;
using AceStep.Engine.Model.Compact;
using AceStep.Engine.Model.Config;
using AceStep.Engine.Model.Lm;
using AceStep.Engine.Torch;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Benchmarks;

/// <summary>
/// Phase-2 decoding speed of the 5 Hz LM planner (spec §3.4, §7.4) at the real 0.6B and 1.7B shapes with random fp32
/// weights on the CPU, against the memory-bandwidth bound. Every token reads all weights once (decoding is a
/// matrix-vector product per layer; the CFG batch of 2 rows shares that read) and its rows' cached keys and values, so
/// tokens/s cannot exceed read bandwidth ÷ those bytes. The bandwidth is measured in the same run by <see cref="ReadBandwidth"/>.
/// <para>
/// Each iteration starts from a freshly prefilled cache (a 256-token conditional prompt and a shorter, left-padded
/// unconditional one, prefilled in the unmeasured iteration setup) and decodes <see cref="Tokens"/> tokens, so every
/// iteration measures the same positions. <see cref="Decode"/> is the whole loop of <see cref="AudioCodeDecoder"/> (CFG,
/// code constraint, top-p sampling, one step); <see cref="DecodeSteps"/> is the network alone.
/// </para>
/// <para>
/// <see cref="Weights"/> compares, in one run, how the LM's weights are held (docs/performance.md): "libtorch" = fp32
/// parameters multiplied by libtorch (the engine before the decode kernel), "fp32" / "bf16" / "int8" = held for the
/// engine's kernel in that format (<see cref="WeightHolding.Packed"/>). The head always covers the 64 000 code rows
/// alone, as <see cref="AudioCodeDecoder"/> does. The bound column counts the bytes each variant reads.
/// </para>
/// Run: <c>cd bench/AceStep.Engine.Benchmarks &amp;&amp; dotnet run -c Release -- --filter '*LmDecode*'</c>; one method
/// with e.g. <c>--filter '*LmDecode*DecodeSteps*' '*LmDecode*ReadBandwidth*'</c> (keep <see cref="ReadBandwidth"/>: the
/// bound columns need it). Each case rebuilds its model and prefills before every iteration, so the whole filter takes
/// tens of minutes on two cores; the 1.7B shape needs ~8 GB of RAM. <c>ACESTEP_BENCH_LM_SHAPES=0.6B</c> limits the run to
/// the listed shapes.
/// </summary>
[Config(typeof(Config))]
// No separate warm-up: BenchmarkDotNet's first (jitting) invocation already runs a whole prefill + decode.
[WarmupCount(1)]
[IterationCount(5)]
[InvocationCount(1)]
public class LmDecodeBenchmarks : IWorkSource
{
    /// <summary>Conditional prompt length: a realistic phase-2 prompt (caption, lyrics, phase-1 metadata).</summary>
    public const int PromptTokens = 256;

    /// <summary>The unconditional (negative) prompt is shorter and left-padded to the conditional one.</summary>
    public const int UnconditionalPromptTokens = 192;

    /// <summary>Tokens decoded per iteration (per result: each is a CFG pair of rows).</summary>
    public const int Tokens = 16;

    /// <summary>Bytes of the tensor <see cref="ReadBandwidth"/> sums: far larger than any cache.</summary>
    public const long BandwidthBytes = 256L * 1024 * 1024;

    /// <summary>Sums per <see cref="ReadBandwidth"/> invocation: one takes ~10 ms, too short to time alone with one
    /// invocation per iteration.</summary>
    public const int BandwidthRepeats = 32;

    // Ids below the text encoder's vocabulary, so prompts look like text tokens rather than audio codes.
    private const long TextVocabulary = 151_669;

    private static readonly LmSamplingOptions Sampling = new();    // the shipped defaults: CFG 2.0, top-p 0.9, T 0.85

    private Qwen3CausalLm? _lm;
    private AudioCodeConstraint? _constraint;
    private Tensor? _promptIds;
    private Tensor? _promptMask;
    private Tensor? _bandwidthSource;
    private KeyValueCache? _cache;
    private long _promptLength;
    private Tensor? _prefillLogits;
    private Tensor? _logits;
    private TokenSampler? _sampler;

    /// <summary>The LM shape (spec §3.4).</summary>
    [ParamsSource(nameof(Shapes))]
    public string Shape { get; set; } = "0.6B";

    /// <summary>"libtorch": fp32 parameters on libtorch; "fp32", "bf16", "int8": packed for the engine's kernel.</summary>
    [Params("libtorch", "fp32", "bf16", "int8")]
    public string Weights { get; set; } = "bf16";

    /// <summary>Both shapes, or those <c>ACESTEP_BENCH_LM_SHAPES</c> lists (comma-separated).</summary>
    public static IEnumerable<string> Shapes =>
        Environment.GetEnvironmentVariable("ACESTEP_BENCH_LM_SHAPES")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        ?? ["0.6B", "1.7B"];

    private WeightFormat? Format => Weights == "libtorch" ? null
        : WeightFormats.TryParse(Weights, out var format) ? format
        : throw new InvalidOperationException($"Unknown weights '{Weights}'.");

    /// <summary>The LM configurations of spec §3.4 by name.</summary>
    public static Qwen3Config ConfigOf(string shape) => shape switch
    {
        "0.6B" => new Qwen3Config { VocabSize = 217_204, Hidden = 1024, Intermediate = 3072, Layers = 28, Heads = 16, KvHeads = 8, HeadDim = 128 },
        "1.7B" => new Qwen3Config { VocabSize = 217_204, Hidden = 2048, Intermediate = 6144, Layers = 28, Heads = 16, KvHeads = 8, HeadDim = 128 },
        _ => throw new ArgumentOutOfRangeException(nameof(shape), shape, "Known shapes: 0.6B, 1.7B."),
    };

    /// <summary>
    /// Bytes of the weights one decode step reads: every layer, the final norm and the output head — all of it, or only
    /// its <paramref name="headRows"/> rows — with the matrices in <paramref name="format"/> (fp32 when null; int8 adds
    /// one fp32 scale per row) and the norms in fp32. The embedding lookup reads two rows; with tied embeddings the head
    /// reads the embedding matrix, untied it is a separate one.
    /// </summary>
    public static double WeightBytesPerToken(Qwen3Config c, long? headRows = null, WeightFormat? format = null)
    {
        double h = c.Hidden, q = c.Heads * c.HeadDim, kv = c.KvHeads * c.HeadDim;
        double bytes = (format ?? WeightFormat.Float32).BytesPerValue();
        var scale = format == WeightFormat.Int8 ? sizeof(float) : 0;
        var matrices = (h * q) + (2 * h * kv) + (q * h) + (3 * h * c.Intermediate);  // q, k, v, o; gate, up, down
        var matrixRows = q + (2 * kv) + h + (2.0 * c.Intermediate) + h;
        var norms = (2.0 * c.HeadDim) + (2 * h);                                      // q_norm, k_norm; the two RMSNorms
        var layer = (bytes * matrices) + (scale * matrixRows) + (sizeof(float) * norms);
        var rows = (double)(headRows ?? c.VocabSize);
        var head = (bytes * rows * c.Hidden) + (scale * rows);
        return (c.Layers * layer) + (sizeof(float) * h) + head;
    }

    /// <summary>Builds the model and prefills the prompts (the decode cases only: the bandwidth case needs neither).</summary>
    [GlobalSetup(Targets = [nameof(Decode), nameof(DecodeSteps)])]
    public void Setup()
    {
        var runtime = TorchRuntime.Create(new TorchRuntimeOptions { Device = TorchDevicePreference.Cpu });
        Console.WriteLine($"// {runtime.Info}");
        manual_seed(1);
        var config = ConfigOf(Shape);
        _lm = new Qwen3CausalLm(config);
        _lm.eval();
        CheckWeightBytes(config);
        if (Format is { } format)
            WeightPacking.HoldAll(_lm, new WeightHolding.Packed(format));
        _constraint = new AudioCodeConstraint(config.VocabSize);

        var conditional = randint(0, TextVocabulary, [PromptTokens], dtype: ScalarType.Int64);
        var unconditional = randint(0, TextVocabulary, [UnconditionalPromptTokens], dtype: ScalarType.Int64);
        using (conditional)
        using (unconditional)
        {
            var (ids, mask) = AudioCodeDecoder.LeftPad([conditional.data<long>().ToArray(), unconditional.data<long>().ToArray()]);
            _promptIds = ids.DetachFromDisposeScope();
            _promptMask = mask.DetachFromDisposeScope();
        }

        // The prompt is prefilled once; every iteration rewinds the cache to it (the prefill costs far more than the
        // 16 decoded tokens, and would otherwise dominate the run's wall time).
        _cache = _lm.CreateCache(2, _promptIds.shape[1] + Tokens);
        using (no_grad())
            _prefillLogits = _lm.Prefill(_cache, _promptIds, _promptMask, Rows).DetachFromDisposeScope();
        _promptLength = _cache.Length;

        Console.WriteLine($"// {Shape}, weights {Weights}: {BytesPerToken / 1e9:F2} GB read per token (weights and cached keys/values); {CpuFeatures.Current.Describe()}");
    }

    /// <summary>
    /// Read bandwidth (bytes/s) sampled right before each decode iteration, per case ("shape/weights"): the machine's
    /// bandwidth drifts and bursts (27–58 GB/s between cases of one run on the build VM), so the
    /// <see cref="InterleavedBoundColumn"/> compares each case with what was available while it ran, beside the separate
    /// <see cref="ReadBandwidth"/> case.
    /// </summary>
    public static Dictionary<string, List<double>> InterleavedBandwidth { get; } = [];

    /// <summary>The key of a case in <see cref="InterleavedBandwidth"/>.</summary>
    public static string CaseKey(string shape, string weights) => shape + "/" + weights;

    private void SampleBandwidth()
    {
        _bandwidthSource ??= rand(BandwidthBytes / sizeof(float), dtype: ScalarType.Float32).DetachFromDisposeScope();
        SumBandwidthSource(1);
        const int Sums = 8;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        SumBandwidthSource(Sums);

        var key = CaseKey(Shape, Weights);
        if (!InterleavedBandwidth.TryGetValue(key, out var samples))
            InterleavedBandwidth[key] = samples = [];
        samples.Add(Sums * (double)BandwidthBytes / clock.Elapsed.TotalSeconds);
    }

    /// <summary>The tensor <see cref="ReadBandwidth"/> sums.</summary>
    [GlobalSetup(Target = nameof(ReadBandwidth))]
    public void SetupBandwidth()
    {
        _ = TorchRuntime.Create(new TorchRuntimeOptions { Device = TorchDevicePreference.Cpu });
        _bandwidthSource = rand(BandwidthBytes / sizeof(float), dtype: ScalarType.Float32);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        ReleaseIteration();
        _cache?.Dispose();
        _prefillLogits?.Dispose();
        _lm?.Dispose();
        _constraint?.Dispose();
        _promptIds?.Dispose();
        _promptMask?.Dispose();
        _bandwidthSource?.Dispose();
    }

    /// <summary>The cache rewound to the prefilled prompts, and a freshly seeded sampler: every iteration decodes the
    /// same positions from the same state. Also samples the read bandwidth right before the iteration
    /// (<see cref="InterleavedBandwidth"/>).</summary>
    [IterationSetup(Targets = [nameof(Decode), nameof(DecodeSteps)])]
    public void RewindToPrompts()
    {
        SampleBandwidth();
        ReleaseIteration();
        _cache!.Rewind(_promptLength);
        _logits = _prefillLogits!.clone().DetachFromDisposeScope();
        _sampler = new TokenSampler([42], Sampling);
    }

    [IterationCleanup(Targets = [nameof(Decode), nameof(DecodeSteps)])]
    public void ReleaseIteration()
    {
        _logits?.Dispose();
        _logits = null;
        _sampler?.Dispose();
        _sampler = null;
    }

    /// <summary>The phase-2 loop: guide, constrain to audio codes, sample, feed the token to both rows.</summary>
    [Benchmark(Description = "decode, CFG + sampling")]
    public void Decode()
    {
        using var noGrad = no_grad();
        for (var emitted = 0; emitted < Tokens; emitted++)
        {
            using var step = NewDisposeScope();
            var guided = LogitsProcessors.Cfg(_logits!.narrow(0, 0, 1), _logits.narrow(0, 1, 1), Sampling.CfgScale);
            var token = _sampler!.Sample(guided, _constraint!.CodeRows, _constraint.VocabSize);                    // [1]
            var next = cat([token, token], 0).unsqueeze(1);                                                       // [2, 1]
            var following = _lm!.Step(_cache!, next, Rows).DetachFromDisposeScope();
            _logits.Dispose();
            _logits = following;
        }
    }

    /// <summary>The LM steps alone (a fixed code token per step), for the network's share of <see cref="Decode"/>.</summary>
    [Benchmark(Description = "decode, LM steps only")]
    public void DecodeSteps()
    {
        using var noGrad = no_grad();
        using var next = full([2, 1], AudioCodeConstraint.FirstAudioCodeId, ScalarType.Int64);
        for (var emitted = 0; emitted < Tokens; emitted++)
        {
            var following = _lm!.Step(_cache!, next, Rows);
            _logits!.Dispose();
            _logits = following;
        }
    }

    /// <summary>Memory read bandwidth: sums over a 256 MiB fp32 tensor (each byte read once per sum, nothing written).</summary>
    [Benchmark(Description = "libtorch sum 256 MiB (read)")]
    public void ReadBandwidth()
    {
        SumBandwidthSource(BandwidthRepeats);
    }

    // Reads the 256 MiB tensor `times` times (nothing written).
    private void SumBandwidthSource(int times)
    {
        for (var i = 0; i < times; i++)
        {
            using var total = _bandwidthSource!.sum();
        }
    }

    /// <inheritdoc />
    public double Work(string method, string column)
    {
        var decodes = method is nameof(Decode) or nameof(DecodeSteps);
        return column switch
        {
            "GB/s" when decodes => Tokens * BytesPerToken,
            "GB/s" when method == nameof(ReadBandwidth) => (double)BandwidthRepeats * BandwidthBytes,
            TokensPerSecondColumn.TokensWork when decodes => Tokens,
            _ => 0,
        };
    }

    // The bound is only as good as the byte count: compare the formula with the parameters actually built.
    private void CheckWeightBytes(Qwen3Config config)
    {
        var all = _lm!.parameters().Sum(p => p.numel() * p.ElementSize);
        var untiedEmbedding = config.TieWordEmbeddings ? 0 : config.VocabSize * config.Hidden * sizeof(float);
        var expected = WeightBytesPerToken(config);   // the parameters hold the whole head
        if (Math.Abs(all - untiedEmbedding - expected) > 0.5)
            throw new InvalidOperationException($"The {Shape} LM has {all - untiedEmbedding} bytes of weights per token, the formula says {expected}.");
    }

    // The rows the head computes: the codes alone.
    private static VocabularyRange Rows => new(AudioCodeConstraint.FirstAudioCodeId, AudioCodeConstraint.ValidCodeCount);

    // Weights (the head's code rows alone) and the cached keys and values attention reads.
    private double BytesPerToken => WeightBytesPerToken(ConfigOf(Shape), AudioCodeConstraint.ValidCodeCount, Format) + CacheBytesPerToken(ConfigOf(Shape));

    /// <summary>
    /// Bytes of cached keys and values one decode step's attention reads, averaged over the <see cref="Tokens"/> steps of
    /// an iteration: every layer's fp32 keys and values at each row's real positions (the unconditional row's left padding
    /// is not counted: the kernel path skips it), which grow by one per step.
    /// </summary>
    public static double CacheBytesPerToken(Qwen3Config c)
    {
        var realPositions = PromptTokens + UnconditionalPromptTokens + (2 * (Tokens + 1) / 2.0);   // both rows, mean step
        return (double)c.Layers * 2 * c.KvHeads * c.HeadDim * sizeof(float) * realPositions;
    }

    private sealed class Config : ManualConfig
    {
        // Min and median next to the mean: on a shared machine the spread says how much other load there was.
        public Config() => AddColumn(
            StatisticColumn.Min,
            StatisticColumn.Median,
            new TokensPerSecondColumn(),
            new BandwidthBoundColumn(nameof(ReadBandwidth)),
            new ThroughputColumn("GB/s"),
            new ThroughputRatioColumn("GB/s", nameof(ReadBandwidth)),
            new InterleavedBoundColumn(showBandwidth: true),
            new InterleavedBoundColumn(showBandwidth: false));
    }
}
