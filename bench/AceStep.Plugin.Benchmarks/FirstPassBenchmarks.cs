using System.Collections.Concurrent;
using System.Globalization;
using AceStep.Vst3;
using AceStep.Vst3.Hosting;
using AceStep.Benchmarks;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;

namespace AceStep.Plugin.Benchmarks;

/// <summary>
/// The worst case of the audio thread: the <b>first pass</b> over timeline never played before (a producer's first
/// play-through), 512 stereo frames at 48 kHz per call, every call at a new position. Each BenchmarkDotNet iteration
/// is one <c>process</c> call (monitoring strategy), so the statistics are per block: the "p99.9" and "max" columns
/// are the block latencies a host's audio thread sees. "Faults/block" are the calling thread's minor page faults
/// (<c>getrusage(RUSAGE_THREAD)</c>) per call over 20 000 first-pass calls in setup: 0 since the capture's pages are
/// written when the plugin is activated (issue 15; before, about one per block).
/// </summary>
[Config(typeof(Config))]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 0, iterationCount: 20_000, invocationCount: 1)]
public unsafe class FirstPassBenchmarks
{
    private const int Block = BenchPlugin.Block;
    private const double Rate = BenchPlugin.Rate;

    private static readonly ConcurrentDictionary<string, double> s_faultsPerBlock = new();

    private Vst3Module? _module;
    private HostApplication? _host;
    private PluginInstance? _instance;
    private ProcessBlock? _block;
    private long _position;

    [GlobalSetup]
    public void Setup()
    {
        _module = BenchPlugin.LoadBundle();
        _host = new HostApplication("AceStep Benchmarks");
        _block = BenchPlugin.RollingBlock();

        // Faults over 20 000 first-pass blocks on one fresh instance, then a fresh instance for the timed calls.
        NewInstance();
        for (int i = 0; i < 64; i++)
            FirstPassBlock();
        long before = ThreadUsage.MinorFaults();
        const int Measured = 20_000;
        for (int i = 0; i < Measured; i++)
            FirstPassBlock();
        s_faultsPerBlock[nameof(FirstPassBlock)] = (ThreadUsage.MinorFaults() - before) / (double)Measured;
        NewInstance();
        for (int i = 0; i < 64; i++)
            FirstPassBlock();
    }

    [Benchmark]
    public int FirstPassBlock()
    {
        var block = _block!;
        block.Context.ProjectTimeSamples = _position;
        block.Context.ProjectTimeMusic = _position / Rate * 2;
        _position += Block;
        return _instance!.Component.Process(block);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _block?.Dispose();
        _instance?.Deactivate();
        _instance?.Dispose();
        _module?.Dispose();
        _host?.Dispose();
    }

    private void NewInstance()
    {
        _instance?.Deactivate();
        _instance?.Dispose();
        _instance = BenchPlugin.NewProcessor(_module!, _host!);
        _position = 0;
    }

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddColumn(StatisticColumn.P95, Percentile(99.9), StatisticColumn.Max, new ComputedColumn(
                "Faults/block", "Minor page faults of the calling thread per process call (20 000 first-pass calls)",
                (_, c) => s_faultsPerBlock.TryGetValue(c.Descriptor.WorkloadMethod.Name, out double faults)
                    ? faults.ToString("0.####", CultureInfo.InvariantCulture)
                    : "NA"));
        }

        /// <summary>A percentile of the per-iteration (here per-block) times.</summary>
        private static ComputedColumn Percentile(double percentile) => new(
            $"p{percentile.ToString(CultureInfo.InvariantCulture)}",
            $"{percentile.ToString(CultureInfo.InvariantCulture)}th percentile of the per-block time",
            (summary, c) =>
            {
                if (summary[c]?.ResultStatistics is not { } stats)
                    return "NA";
                var sorted = stats.OriginalValues.Order().ToArray();
                double value = sorted[Math.Clamp((int)Math.Ceiling(percentile / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
                return (value / 1000).ToString("0.00", CultureInfo.InvariantCulture) + " μs";
            },
            ColumnCategory.Statistics,
            UnitType.Time);
    }
}
