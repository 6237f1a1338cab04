using AceStep.Benchmarks;
using AceStep.Engine.Torch;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Benchmarks;

/// <summary>
/// libtorch fp32 GEMM on the CPU: the square 2048 case and a DiT-like projection (4096 tokens x 2048 hidden, times a
/// 2048x2048 weight). The DiT's cost is dominated by such matmuls, so this is the ceiling later model benchmarks are
/// compared with.
/// </summary>
[Config(typeof(Config))]
public class TorchGemmBenchmarks : IWorkSource
{
    private Tensor? _a;
    private Tensor? _b;

    /// <summary>M x K times K x N.</summary>
    [Params("2048x2048x2048", "4096x2048x2048")]
    public string Shape { get; set; } = "2048x2048x2048";

    [GlobalSetup]
    public void Setup()
    {
        var runtime = TorchRuntime.Create(new TorchRuntimeOptions { Device = TorchDevicePreference.Cpu });
        Console.WriteLine($"// {runtime.Info}");
        var (m, k, n) = Parse(Shape);
        torch.manual_seed(1);
        _a = torch.randn(m, k, dtype: ScalarType.Float32);
        _b = torch.randn(k, n, dtype: ScalarType.Float32);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _a?.Dispose();
        _b?.Dispose();
    }

    [Benchmark(Description = "fp32 GEMM")]
    public void Gemm()
    {
        // The result's allocation (16-32 MiB from libtorch's allocator) is negligible next to ~17-34 GFLOP.
        using var c = _a!.matmul(_b!);
    }

    public double Work(string method, string column)
    {
        if (column != "GFLOP/s")
            return 0;
        var (m, k, n) = Parse(Shape);
        return 2.0 * m * k * n;
    }

    private static (long M, long K, long N) Parse(string shape)
    {
        var parts = shape.Split('x').Select(long.Parse).ToArray();
        return (parts[0], parts[1], parts[2]);
    }

    private sealed class Config : ManualConfig
    {
        public Config() => AddColumn(new ThroughputColumn("GFLOP/s"));
    }
}
