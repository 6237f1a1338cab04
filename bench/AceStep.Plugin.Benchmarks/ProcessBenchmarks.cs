using System.Collections.Concurrent;
using System.Globalization;
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
    private const int Block = BenchPlugin.Block;
    private const double Rate = BenchPlugin.Rate;
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
        _module = BenchPlugin.LoadBundle();
        _allocatedBytes = (delegate* unmanaged<long>)NativeLibrary.GetExport(_module.Handle, "AceStepDiagnostics_AllocatedBytesForCurrentThread");
        _host = new HostApplication("AceStep Benchmarks");
        _instance = BenchPlugin.NewProcessor(_module, _host);
        _block = BenchPlugin.RollingBlock();
        ref var context = ref _block.Context;
        context.State |= ProcessContextState.CycleActive | ProcessContextState.CycleValid;
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
