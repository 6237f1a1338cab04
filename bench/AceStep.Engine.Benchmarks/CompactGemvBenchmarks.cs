using AceStep.Benchmarks;
using AceStep.Engine.Torch;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Benchmarks;

/// <summary>
/// What libtorch 2.10 offers through TorchSharp 0.107 for the LM's decode-time matrix–vector products (1 or 2 rows —
/// one result, or its CFG pair — times a weight), with the weight held fp32, bf16 or int8, against the machine's read
/// bandwidth measured in the same run. Decoding reads every weight once per token, so weight bytes ÷ time ("GB/s") is the
/// figure that decides tokens/s; a compact format only pays where its kernel reads near the bandwidth.
/// <para>
/// Kernels: fp32 <c>linear</c> (what the LM uses); fp32 against the weight stored transposed ([in, out], <c>matmul</c>);
/// fp32 as the weight times the activations' transpose (<c>W @ xᵀ</c>: the rows become the GEMM's narrow side);
/// bf16 × bf16 <c>linear</c>; a bf16 weight upcast to fp32 per call; and libtorch's int8 weight-only kernel
/// <c>_weight_int8pack_mm</c> (per-output-channel scales, fp32 or bf16 activations), which TorchSharp does not bind and is
/// reached through a TorchScript function compiled at setup (<c>torch.jit.compile</c>). The set-up prints each compact
/// kernel's max relative error against fp32 on the same (quantised) weight.
/// </para>
/// <para>
/// Each invocation multiplies by every weight of a ring of copies holding at least <see cref="RingBytes"/> in fp32 (the
/// compact rings have as many copies), so every weight byte comes from memory as in a decode step, not from the 32 MiB
/// L3 a single repeated weight would sit in. On a shared machine compare the Min column (least disturbed).
/// </para>
/// Run: <c>cd bench/AceStep.Engine.Benchmarks &amp;&amp; dotnet run -c Release -- --filter '*CompactGemv*'</c>.
/// </summary>
[Config(typeof(Config))]
[WarmupCount(2)]
[IterationCount(5)]
public class CompactGemvBenchmarks : IWorkSource
{
    /// <summary>Bytes the read-bandwidth case sums.</summary>
    public const long BandwidthBytes = 256L * 1024 * 1024;

    /// <summary>At least this many fp32 weight bytes per ring: far past the last-level cache.</summary>
    public const long RingBytes = 256L * 1024 * 1024;

    private const string Script = """
        def int8_mm(x: Tensor, w: Tensor, scales: Tensor) -> Tensor:
            return torch._weight_int8pack_mm(x, w, scales)

        """;                                      // TorchScript wants the last line ended

    private Tensor? _x;
    private Tensor? _xBf16;
    private Tensor? _weight;
    private Tensor? _scales;
    private Tensor? _scalesBf16;
    private Tensor[] _fp32 = [];
    private Tensor[] _fp32T = [];
    private Tensor[] _bf16 = [];
    private Tensor[] _int8 = [];
    private Tensor? _bandwidthSource;
    private torch.jit.CompilationUnit? _unit;

    /// <summary>Weight [out, in]: the 0.6B LM's MLP up/gate and down projections, the 1.7B's up/gate, the code rows of
    /// the 0.6B head.</summary>
    [Params("3072x1024", "6144x2048", "64000x1024")]
    public string Shape { get; set; } = "3072x1024";

    /// <summary>Activation rows: 1 (no guidance) or 2 (a CFG pair sharing each weight read).</summary>
    [Params(1, 2)]
    public int Rows { get; set; } = 2;

    private (long Out, long In) Dims => (long.Parse(Shape.Split('x')[0]), long.Parse(Shape.Split('x')[1]));

    [GlobalSetup]
    public void Setup()
    {
        var runtime = TorchRuntime.Create(new TorchRuntimeOptions { Device = TorchDevicePreference.Cpu });
        Console.WriteLine($"// {runtime.Info}");
        var (n, k) = Dims;
        manual_seed(1);
        _x = randn([Rows, k]).DetachFromDisposeScope();
        _xBf16 = _x.to_type(ScalarType.BFloat16).DetachFromDisposeScope();
        _weight = (randn([n, k]) / Math.Sqrt(k)).DetachFromDisposeScope();
        // Symmetric per-output-channel int8: scale = max|w| / 127 per row.
        _scales = (_weight.abs().amax([1L]) / 127.0).DetachFromDisposeScope();
        _scalesBf16 = _scales.to_type(ScalarType.BFloat16).DetachFromDisposeScope();
        var copies = (int)Math.Max(1, (RingBytes + (4 * n * k) - 1) / (4 * n * k));
        _fp32 = Ring(copies, () => _weight.clone());
        _fp32T = Ring(copies, () => _weight.t().contiguous());
        _bf16 = Ring(copies, () => _weight.to_type(ScalarType.BFloat16));
        _int8 = Ring(copies, () => (_weight / _scales.unsqueeze(1)).round().clamp(-127, 127).to_type(ScalarType.Int8));
        _bandwidthSource = rand(BandwidthBytes / sizeof(float)).DetachFromDisposeScope();
        _unit = torch.jit.compile(Script);
        ReportParity();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var t in new[] { _x, _xBf16, _weight, _scales, _scalesBf16, _bandwidthSource }.Concat(_fp32).Concat(_fp32T).Concat(_bf16).Concat(_int8))
            t?.Dispose();
        _unit?.Dispose();
    }

    [Benchmark(Description = "fp32 linear", Baseline = true)]
    public void Fp32Linear()
    {
        foreach (var w in _fp32)
        {
            using var y = nn.functional.linear(_x!, w);
        }
    }

    [Benchmark(Description = "fp32 x @ W^T stored [in,out]")]
    public void Fp32Transposed()
    {
        foreach (var w in _fp32T)
        {
            using var y = _x!.matmul(w);
        }
    }

    [Benchmark(Description = "fp32 (W @ x^T)^T")]
    public void Fp32WeightFirst()
    {
        foreach (var w in _fp32)
        {
            using var yT = w.matmul(_x!.t());
            using var y = yT.t();
        }
    }

    [Benchmark(Description = "bf16 x bf16 linear")]
    public void Bf16Linear()
    {
        foreach (var w in _bf16)
        {
            using var y = nn.functional.linear(_xBf16!, w);
        }
    }

    [Benchmark(Description = "bf16 weight upcast per call")]
    public void Bf16Upcast()
    {
        foreach (var w in _bf16)
        {
            using var up = w.to_type(ScalarType.Float32);
            using var y = nn.functional.linear(_x!, up);
        }
    }

    [Benchmark(Description = "int8 _weight_int8pack_mm, fp32 x")]
    public void Int8PackFp32()
    {
        foreach (var w in _int8)
        {
            using var y = (Tensor)_unit!.invoke("int8_mm", _x!, w, _scales!);
        }
    }

    [Benchmark(Description = "int8 _weight_int8pack_mm, bf16 x")]
    public void Int8PackBf16()
    {
        foreach (var w in _int8)
        {
            using var y = (Tensor)_unit!.invoke("int8_mm", _xBf16!, w, _scalesBf16!);
        }
    }

    [Benchmark(Description = "libtorch sum 256 MiB (read)")]
    public void ReadBandwidth()
    {
        using var total = _bandwidthSource!.sum();
    }

    /// <inheritdoc />
    public double Work(string method, string column)
    {
        if (column != "GB/s")
            return 0;
        var (n, k) = Dims;
        var copies = Math.Max(1, (RingBytes + (4 * n * k) - 1) / (4 * n * k));
        return method switch
        {
            nameof(ReadBandwidth) => BandwidthBytes,
            nameof(Fp32Linear) or nameof(Fp32Transposed) or nameof(Fp32WeightFirst) => copies * 4.0 * n * k,
            nameof(Bf16Linear) or nameof(Bf16Upcast) => copies * 2.0 * n * k,
            nameof(Int8PackFp32) or nameof(Int8PackBf16) => copies * ((1.0 * n * k) + (4.0 * n)),
            _ => 0,
        };
    }

    // Max relative error (max |y − y_fp32| / max |y_fp32|) of each compact kernel against fp32 on the weight it holds.
    private void ReportParity()
    {
        using var scope = NewDisposeScope();
        var dequantised = _int8[0].to_type(ScalarType.Float32) * _scales!.unsqueeze(1);
        var exact = nn.functional.linear(_x!, _weight!);
        var exactInt8 = nn.functional.linear(_x!, dequantised);
        double Err(Tensor y, Tensor reference) =>
            (y.to_type(ScalarType.Float32) - reference).abs().max().item<float>() / reference.abs().max().item<float>();
        var bf16 = nn.functional.linear(_xBf16!, _bf16[0]);
        var int8 = (Tensor)_unit!.invoke("int8_mm", _x!, _int8[0], _scales!);
        var int8Bf16 = (Tensor)_unit.invoke("int8_mm", _xBf16!, _int8[0], _scalesBf16!);
        Console.WriteLine($"// parity {Shape} rows {Rows}: bf16 linear vs fp32 {Err(bf16, exact):E2}; " +
            $"int8pack (fp32 x) vs fp32 on the dequantised weight {Err(int8, exactInt8):E2}, vs the fp32 weight {Err(int8, exact):E2}; " +
            $"int8pack (bf16 x) vs the fp32 weight {Err(int8Bf16, exact):E2}");
    }

    private static Tensor[] Ring(int copies, Func<Tensor> make) =>
        Enumerable.Range(0, copies).Select(_ => make().DetachFromDisposeScope()).ToArray();

    private sealed class Config : ManualConfig
    {
        public Config() => AddColumn(
            StatisticColumn.Min,
            new ThroughputColumn("GB/s"),
            new ThroughputRatioColumn("GB/s", nameof(ReadBandwidth)));
    }
}
