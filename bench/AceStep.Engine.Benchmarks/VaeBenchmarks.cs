using System.Globalization;
using AceStep.Benchmarks;
using AceStep.Engine.Torch;
using AceStep.Engine.Vae;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Benchmarks;

/// <summary>
/// The Oobleck VAE at the real width (168 M parameters, random fp32 weights) on the CPU: decode of 2 s of latents
/// (50 frames → 96 000 stereo samples) and encode of 2 s of audio, both untiled (2 s is below every tile size).
/// Reported as seconds of compute per second of audio, GFLOP/s from the config's convolution FLOP count (~122
/// GFLOP per audio second each way), and the ratio to libtorch's fp32 GEMM measured in the same run. <see cref="Path"/>
/// runs the engine's forward or <see cref="VaeReferencePath"/> (the forward before the issue-#20 speed work, composed
/// from the same parameters), so the speed-up is read off one run; the setup prints how far apart the two outputs are.
/// </summary>
[Config(typeof(Config))]
[WarmupCount(1)]
[IterationCount(3)]
[InvocationCount(1)]
public class VaeBenchmarks : IWorkSource
{
    /// <summary>Seconds of audio per invocation.</summary>
    public const double AudioSeconds = 2;

    private static readonly OobleckVaeConfig _config = OobleckVaeConfig.AceStep;
    private OobleckVae? _vae;
    private Tensor? _latents;
    private Tensor? _audio;
    private Tensor? _a;
    private Tensor? _b;

    /// <summary>Which forward runs: the engine's (<c>engine</c>) or the pre-#20 composition of libtorch ops (<c>reference</c>).</summary>
    [Params("engine", "reference")]
    public string Path { get; set; } = "engine";

    private static bool s_agreementPrinted;
    private VaeReferencePath? _reference;

    private static long Frames => (long)(AudioSeconds * _config.LatentFrameRate);

    [GlobalSetup]
    public void Setup()
    {
        var runtime = TorchRuntime.Create(new TorchRuntimeOptions { Device = TorchDevicePreference.Cpu });
        Console.WriteLine($"// {runtime.Info}");
        manual_seed(1);
        _vae = new OobleckVae(_config);
        _latents = randn(1, _config.LatentChannels, Frames);
        _audio = randn(1, _config.AudioChannels, Frames * _config.HopLength) * 0.3;
        _a = randn(2048, 2048);
        _b = randn(2048, 2048);
        _reference = new VaeReferencePath(_vae);
        if (Path == "reference" && !s_agreementPrinted)
        {
            s_agreementPrinted = true;   // once per process: it costs a decode and an encode on each path
            PrintAgreement();
        }
    }

    // Max |engine − reference| / max |reference| over the 2 s decode and the encoder's posterior, on these weights.
    private void PrintAgreement()
    {
        using var scope = NewDisposeScope();
        var decode = Relative(_vae!.Decode(_latents!, OobleckTiling.None), _reference!.Decode(_latents!));
        using var posterior = _vae.EncodePosterior(_audio!, OobleckTiling.None);
        var encode = Relative(posterior.Parameters, _reference.EncodePosterior(_audio!));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"// engine vs reference, max relative error: decode {decode:E2}, encode posterior {encode:E2}"));

        static double Relative(Tensor actual, Tensor expected) =>
            ((actual - expected).abs().max() / expected.abs().max()).item<float>();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _vae?.Dispose();
        foreach (var tensor in new[] { _latents, _audio, _a, _b })
            tensor?.Dispose();
    }

    [Benchmark(Description = "VAE decode 2 s")]
    public void Decode()
    {
        using var audio = Path == "reference" ? _reference!.Decode(_latents!) : _vae!.Decode(_latents!, OobleckTiling.None);
    }

    [Benchmark(Description = "VAE encode 2 s")]
    public void Encode()
    {
        using var latents = Path == "reference" ? _reference!.EncodePosterior(_audio!) : _vae!.Encode(_audio!, OobleckTiling.None);
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
        return method switch
        {
            nameof(Gemm) => 2.0 * 2048 * 2048 * 2048,
            nameof(Decode) => _config.DecoderFlopsPerFrame * Frames,
            nameof(Encode) => _config.EncoderFlopsPerFrame * Frames,
            _ => 0,
        };
    }

    /// <summary>"s/s audio": mean seconds per invocation divided by the seconds of audio it covers (VAE methods only).</summary>
    private sealed class RealTimeFactorColumn : IColumn
    {
        public string Id => nameof(RealTimeFactorColumn);
        public string ColumnName => "s/s audio";
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 2;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => "Seconds of compute per second of audio (below 1 is faster than real time)";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            if (benchmarkCase.Descriptor.WorkloadMethod.Name == nameof(Gemm))
                return "-";
            var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
            return mean is { } ns ? (ns / 1e9 / AudioSeconds).ToString("F2", CultureInfo.InvariantCulture) : "NA";
        }

        public bool IsAvailable(Summary summary) => true;
        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    }

    private sealed class Config : ManualConfig
    {
        // Seconds per invocation (~244 GFLOP each way): the count attributes on the class keep the run to about a
        // minute; they adjust every job rather than add one, so the in-process toolchain of the command line still applies.
        public Config() =>
            AddColumn(new ThroughputColumn("GFLOP/s"), new ThroughputRatioColumn("GFLOP/s", nameof(Gemm)), new RealTimeFactorColumn());
    }
}
