using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
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
    private const int Block = 512;
    private const double Rate = 48_000;

    private static readonly ConcurrentDictionary<string, double> s_faultsPerBlock = new();

    private Vst3Module? _module;
    private HostApplication? _host;
    private PluginInstance? _instance;
    private ProcessBlock? _block;
    private long _position;

    [GlobalSetup]
    public void Setup()
    {
        string bundle = Environment.GetEnvironmentVariable("ACESTEP_VST3_BUNDLE") is { Length: > 0 } path
            ? path
            : typeof(FirstPassBenchmarks).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "AceStepBundle").Value!;
        _module = Vst3Module.Load(bundle);
        _host = new HostApplication("AceStep Benchmarks");
        _block = new ProcessBlock(SymbolicSampleSize.Sample32, 2, Block);
        var random = new Random(1);
        for (int c = 0; c < 2; c++)
        {
            foreach (ref float sample in _block.Input32(c))
                sample = (float)(random.NextDouble() - 0.5);
        }

        ref var context = ref _block.Context;
        context.State = ProcessContextState.Playing | ProcessContextState.TempoValid | ProcessContextState.TimeSigValid
            | ProcessContextState.ProjectTimeMusicValid;
        context.SampleRate = Rate;
        context.Tempo = 120;
        context.TimeSigNumerator = 4;
        context.TimeSigDenominator = 4;

        // Faults over 20 000 first-pass blocks on one fresh instance, then a fresh instance for the timed calls.
        NewInstance();
        for (int i = 0; i < 64; i++)
            FirstPassBlock();
        long before = MinorFaults();
        const int Measured = 20_000;
        for (int i = 0; i < Measured; i++)
            FirstPassBlock();
        s_faultsPerBlock[nameof(FirstPassBlock)] = (MinorFaults() - before) / (double)Measured;
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
        _instance = PluginInstance.Create(_module!.Factory, Tuid.Parse("B0B0620A3FD24D67AFD7663D2055397C"), _host!);
        _instance.Activate(new ProcessSetup { ProcessMode = ProcessMode.Realtime, SymbolicSampleSize = SymbolicSampleSize.Sample32, MaxSamplesPerBlock = Block, SampleRate = Rate });
        _position = 0;
    }

    private static long MinorFaults()
    {
        // struct rusage: two timevals (4 longs), then ru_maxrss, ru_ixrss, ru_idrss, ru_isrss, ru_minflt, …
        long* usage = stackalloc long[18];
        return GetRUsage(1, usage) == 0 ? usage[8] : -1;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "getrusage")]
    private static extern int GetRUsage(int who, long* usage);

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
