using System.Reflection;
using AceStep.Vst3;
using AceStep.Vst3.Hosting;

namespace AceStep.Plugin.Benchmarks;

/// <summary>What every plugin benchmark sets up the same way: the published bundle, a processor, a rolling block.</summary>
internal static class BenchPlugin
{
    public const int Block = 512;
    public const double Rate = 48_000;

    /// <summary>The published bundle (ACESTEP_VST3_BUNDLE overrides, as in the tests).</summary>
    public static Vst3Module LoadBundle() =>
        Vst3Module.Load(Environment.GetEnvironmentVariable("ACESTEP_VST3_BUNDLE") is { Length: > 0 } path
            ? path
            : typeof(BenchPlugin).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "AceStepBundle").Value!);

    /// <summary>An activated processor: 32-bit, <see cref="Block"/> frames, <see cref="Rate"/>.</summary>
    public static PluginInstance NewProcessor(Vst3Module module, HostApplication host)
    {
        var instance = PluginInstance.Create(module.Factory, Tuid.Parse("B0B0620A3FD24D67AFD7663D2055397C"), host);
        instance.Activate(new ProcessSetup { ProcessMode = ProcessMode.Realtime, SymbolicSampleSize = SymbolicSampleSize.Sample32, MaxSamplesPerBlock = Block, SampleRate = Rate });
        return instance;
    }

    /// <summary>A stereo block of seeded noise with a rolling transport at 120 BPM in 4/4 (position set per call).</summary>
    public static ProcessBlock RollingBlock()
    {
        var block = new ProcessBlock(SymbolicSampleSize.Sample32, 2, Block);
        var random = new Random(1);
        for (int c = 0; c < 2; c++)
        {
            foreach (ref float sample in block.Input32(c))
                sample = (float)(random.NextDouble() - 0.5);
        }

        ref var context = ref block.Context;
        context.State = ProcessContextState.Playing | ProcessContextState.TempoValid | ProcessContextState.TimeSigValid
            | ProcessContextState.ProjectTimeMusicValid;
        context.SampleRate = Rate;
        context.Tempo = 120;
        context.TimeSigNumerator = 4;
        context.TimeSigDenominator = 4;
        return block;
    }
}
