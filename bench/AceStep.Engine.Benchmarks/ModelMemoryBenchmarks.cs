using System.Globalization;
using AceStep.Engine.Model.Config;
using AceStep.Engine.Model.Generation;
using AceStep.Engine.Model.Qwen;
using AceStep.Engine.Model.Weights;
using AceStep.Engine.Torch;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Benchmarks;

/// <summary>
/// Peak resident memory of the engine's CPU configuration: the full DiT checkpoint (2.39 B parameters) and the
/// Qwen3-Embedding-0.6B text encoder, written at real size as bf16 safetensors in the official layout (random weights),
/// loaded through the real loader into fp32, then a 256-token caption encoded and one 30 s DiT forward with the CFG
/// batch. Target ≤ 14 GB. Run alone (<c>--filter '*ModelMemory*'</c>): the peak is the process's high-water mark
/// (VmHWM), reset before the measured load; it needs the in-process toolchain (the default here).
/// </summary>
[Config(typeof(Config))]
[WarmupCount(0)]
[IterationCount(1)]
[InvocationCount(1)]
public class ModelMemoryBenchmarks
{
    private string _directory = string.Empty;

    /// <summary>VmHWM after the last measured iteration, in bytes (read by the column in the same process).</summary>
    public static long PeakResidentBytes { get; private set; }

    [GlobalSetup]
    public void Setup()
    {
        _ = TorchRuntime.Create(new TorchRuntimeOptions { Device = TorchDevicePreference.Cpu });
        _directory = Path.Combine(Path.GetTempPath(), "acestep-memory-bench-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        RealSizeCheckpoints.WriteDit(Path.Combine(_directory, "dit"));
        RealSizeCheckpoints.WriteTextEncoder(Path.Combine(_directory, "text"));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (Directory.Exists(_directory))
            Directory.Delete(_directory, recursive: true);
    }

    [IterationSetup]
    public void BeforeIteration() => PeakMemory.Reset();

    [IterationCleanup]
    public void ReadPeak()
    {
        PeakResidentBytes = PeakMemory.Read();
        Console.WriteLine($"// Peak resident memory: {PeakResidentBytes / 1e9:F2} GB");
    }

    [Benchmark(Description = "load DiT + text encoder (bf16 → fp32), encode, 30 s DiT forward")]
    public void LoadAndRun()
    {
        var options = new WeightLoadOptions { DType = ScalarType.Float32 };
        using var noGrad = no_grad();
        using var dit = AceStepConditionGenerationModel.Load(Path.Combine(_directory, "dit"), options);
        using var text = Qwen3TextModel.Load(Path.Combine(_directory, "text"), options);
        using var scope = NewDisposeScope();
        var caption = text.Forward(randint(0, 151_000, [1, 256], dtype: ScalarType.Int64));               // [1, 256, 1024]
        var enc = randn(2, DitForwardBenchmarks.ConditionTokens, 2048);
        var x = randn(2, 750, 64);
        var t = full([2], 0.5f);
        var v = dit.Decoder.Forward(x, t, t, enc, randn(2, 750, 128));
        GC.KeepAlive(caption);
        GC.KeepAlive(v);
    }

    private sealed class Config : ManualConfig
    {
        public Config() => AddColumn(new PeakRssColumn(_ => PeakResidentBytes > 0 ? PeakResidentBytes : null));
    }
}
