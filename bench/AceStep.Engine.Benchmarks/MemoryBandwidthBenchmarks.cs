using AceStep.Benchmarks;
using AceStep.Engine.Torch;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Benchmarks;

/// <summary>
/// Memory bandwidth baseline: copying a large fp32 tensor (far larger than any cache) with libtorch, and, for
/// comparison, with the .NET runtime's own memcpy. Reported as (bytes read + bytes written) / time. Elementwise and
/// normalisation layers of the model are bandwidth-bound, so their benchmarks compare with this.
/// </summary>
[Config(typeof(Config))]
public class MemoryBandwidthBenchmarks : IWorkSource
{
    private Tensor? _source;
    private Tensor? _destination;
    private float[] _managedSource = [];
    private float[] _managedDestination = [];

    /// <summary>Tensor size in MiB.</summary>
    [Params(256)]
    public int SizeMiB { get; set; } = 256;

    private long Bytes => (long)SizeMiB * 1024 * 1024;

    [GlobalSetup]
    public void Setup()
    {
        _ = TorchRuntime.Create(new TorchRuntimeOptions { Device = TorchDevicePreference.Cpu });
        var elements = Bytes / sizeof(float);
        _source = torch.rand(elements, dtype: ScalarType.Float32);
        _destination = torch.zeros(elements, dtype: ScalarType.Float32);
        _managedSource = new float[elements];
        _managedDestination = new float[elements];
        Array.Fill(_managedSource, 1f);
        Array.Fill(_managedDestination, 0f);   // touch every page so first-touch faults are not measured
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _source?.Dispose();
        _destination?.Dispose();
    }

    [Benchmark(Description = "libtorch copy_")]
    public void TorchCopy() => _destination!.copy_(_source!);

    [Benchmark(Description = ".NET Span.CopyTo", Baseline = true)]
    public void ManagedCopy() => _managedSource.AsSpan().CopyTo(_managedDestination);

    public double Work(string method, string column) => column == "GB/s" ? 2.0 * Bytes : 0;

    private sealed class Config : ManualConfig
    {
        public Config() => AddColumn(new ThroughputColumn("GB/s"));
    }
}
