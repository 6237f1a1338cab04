using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using AceStep.Vst3;
using AceStep.Vst3.Hosting;
using AceStep.Benchmarks;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace AceStep.Plugin.Benchmarks;

/// <summary>
/// One <c>process</c> call of the published plugin: 512 stereo float frames at 48 kHz, transport rolling through a
/// 60-second loop so every block is recorded into the capture. <c>Capturing</c> has no take; <c>CapturingAndPlayingTake</c>
/// has a take over the whole loop (each block replaced, fades at the edges included). The "% budget" column is the
/// mean time over the block's real-time budget (512 / 48000 s = 10.67 ms; target below 1 %); "Plugin B/block" is
/// what the plugin's own runtime allocated per block over 20 000 blocks (must be 0: the host's memory diagnoser
/// cannot see it).
/// </summary>
[Config(typeof(Config))]
public unsafe class ProcessBenchmarks
{
    private const int Block = 512;
    private const double Rate = 48_000;
    private const long LoopFrames = 60 * 48_000;

    /// <summary>Allocation per block measured in setup, by method name (read by the column in the same process).</summary>
    private static readonly ConcurrentDictionary<string, double> s_allocatedPerBlock = new();

    private Vst3Module? _module;
    private HostApplication? _host;
    private PluginInstance? _instance;
    private ProcessBlock? _block;
    private delegate* unmanaged<long> _allocatedBytes;
    private long _position;

    [GlobalSetup(Target = nameof(Capturing))]
    public void SetupCapturing() => Setup(withTake: false, nameof(Capturing));

    [GlobalSetup(Target = nameof(CapturingAndPlayingTake))]
    public void SetupPlaying() => Setup(withTake: true, nameof(CapturingAndPlayingTake));

    [Benchmark(Baseline = true)]
    public int Capturing() => Step();

    [Benchmark]
    public int CapturingAndPlayingTake() => Step();

    [GlobalCleanup]
    public void Cleanup()
    {
        _block?.Dispose();
        _instance?.Deactivate();
        _instance?.Dispose();
        _module?.Dispose();
        _host?.Dispose();
    }

    private int Step()
    {
        var block = _block!;
        block.Context.ProjectTimeSamples = _position;
        block.Context.ProjectTimeMusic = _position / Rate * 2;   // 120 BPM
        _position = (_position + Block) % LoopFrames;
        return _instance!.Component.Process(block);
    }

    private void Setup(bool withTake, string method)
    {
        string bundle = Environment.GetEnvironmentVariable("ACESTEP_VST3_BUNDLE") is { Length: > 0 } path
            ? path
            : typeof(ProcessBenchmarks).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "AceStepBundle").Value!;
        _module = Vst3Module.Load(bundle);
        _allocatedBytes = (delegate* unmanaged<long>)NativeLibrary.GetExport(_module.Handle, "AceStepDiagnostics_AllocatedBytesForCurrentThread");
        _host = new HostApplication("AceStep Benchmarks");
        _instance = PluginInstance.Create(_module.Factory, Tuid.Parse("B0B0620A3FD24D67AFD7663D2055397C"), _host);
        _instance.Activate(new ProcessSetup { ProcessMode = ProcessMode.Realtime, SymbolicSampleSize = SymbolicSampleSize.Sample32, MaxSamplesPerBlock = Block, SampleRate = Rate });
        _block = new ProcessBlock(SymbolicSampleSize.Sample32, 2, Block);
        var random = new Random(1);
        for (int c = 0; c < 2; c++)
        {
            foreach (ref float sample in _block.Input32(c))
            {
                sample = (float)(random.NextDouble() - 0.5);
            }
        }

        ref var context = ref _block.Context;
        context.State = ProcessContextState.Playing | ProcessContextState.CycleActive | ProcessContextState.CycleValid
            | ProcessContextState.TempoValid | ProcessContextState.TimeSigValid | ProcessContextState.ProjectTimeMusicValid;
        context.SampleRate = Rate;
        context.Tempo = 120;
        context.TimeSigNumerator = 4;
        context.TimeSigDenominator = 4;
        context.CycleStartMusic = 0;
        context.CycleEndMusic = 120;

        if (withTake)
        {
            var take = new float[LoopFrames * 2];
            for (int i = 0; i < take.Length; i++)
            {
                take[i] = (float)Math.Sin(i * 0.001);
            }

            using var message = new HostMessage("AceStep.Take");
            message.Attributes.SetInt("position", 0);
            message.Attributes.SetInt("channels", 2);
            message.Attributes.SetFloat("sampleRate", Rate);
            message.Attributes.SetBinary("samples", take);
            int result = ConnectionPoints.Notify(_instance.Component.ConnectionPoint, message.NativePointer);
            if (result != Vst3Result.Ok)
            {
                throw new InvalidOperationException($"The take was refused ({result}).");
            }
        }

        // Touch the whole capture once (as a first pass through the song does), then measure allocation.
        for (long i = 0; i < LoopFrames / Block; i++)
        {
            Step();
        }

        const int Measured = 20_000;
        long before = _allocatedBytes();
        for (int i = 0; i < Measured; i++)
        {
            Step();
        }

        s_allocatedPerBlock[method] = (_allocatedBytes() - before) / (double)Measured;
    }

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddColumn(
                new ComputedColumn("% budget",
                    $"Mean time / real-time budget of one block ({Block} frames at {Rate / 1000:0} kHz = {Block / Rate * 1e3:0.00} ms), in percent",
                    (summary, c) => summary[c]?.ResultStatistics is { } stats
                        ? (stats.Mean / (Block / Rate * 1e9) * 100).ToString("F4", CultureInfo.InvariantCulture)
                        : "NA"),
                new ComputedColumn("Plugin B/block",
                    "Bytes allocated by the plugin's NativeAOT runtime per process call (20 000 calls after warm-up)",
                    (_, c) => s_allocatedPerBlock.TryGetValue(c.Descriptor.WorkloadMethod.Name, out double bytes)
                        ? bytes.ToString("0.##", CultureInfo.InvariantCulture)
                        : "NA",
                    unit: UnitType.Size));
        }
    }
}
