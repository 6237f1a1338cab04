using AceStep.Vst3;
using AceStep.Vst3.Hosting;

namespace AceStep.Plugin.Tests;

public sealed class ProcessTests : IDisposable
{
    private const uint BypassId = 0;
    private const uint StrengthId = 2;
    private const uint StepsId = 4;
    private const int MaxBlock = 512;

    private readonly PluginHarness _plugin = new();

    public void Dispose() => _plugin.Dispose();

    [Theory]
    [InlineData(SymbolicSampleSize.Sample32, false)]
    [InlineData(SymbolicSampleSize.Sample32, true)]
    [InlineData(SymbolicSampleSize.Sample64, false)]
    [InlineData(SymbolicSampleSize.Sample64, true)]
    public void Audio_passes_through_bit_exact(SymbolicSampleSize size, bool inPlace)
    {
        using var instance = _plugin.CreateInstance();
        instance.Activate(PluginHarness.Setup(size, MaxBlock));
        using var block = new ProcessBlock(size, 2, MaxBlock, inPlace);
        var random = new Random(1234);

        // Input: blocks of varying length holding random bit patterns, NaN payloads, −0, denormals and infinities:
        // anything but a byte copy (a gain of 1.0, a float round trip) would change some of them.
        foreach (int samples in new[] { MaxBlock, 1, 37, 256, MaxBlock })
        {
            block.NumSamples = samples;
            var expected = Fill(block, random, samples);
            Assert.Equal(Vst3Result.Ok, instance.Component.Process(block));
            AssertOutput(block, expected, samples);
        }

        instance.Deactivate();
    }

    [Fact]
    public void Bypass_is_read_from_parameter_changes_and_audio_still_passes_through()
    {
        using var instance = _plugin.CreateInstance();
        instance.Activate(PluginHarness.Setup(SymbolicSampleSize.Sample32, MaxBlock));
        using var block = new ProcessBlock(SymbolicSampleSize.Sample32, 2, MaxBlock);
        using var changes = new ParameterChanges();
        block.InputParameterChanges = changes;

        // Input: bypass switched on mid-block, with an earlier point that must lose (last value per block wins).
        changes.Add(BypassId, 0, 0.0);
        changes.Add(BypassId, 100, 1.0);
        changes.Add(StrengthId, 10, 0.25);
        var expected = Fill(block, new Random(7), MaxBlock);
        Assert.Equal(Vst3Result.Ok, instance.Component.Process(block));
        AssertOutput(block, expected, MaxBlock);

        instance.SyncController();
        Assert.Equal(1.0, instance.Controller.GetParamNormalized(BypassId));
        Assert.Equal(0.25, instance.Controller.GetParamNormalized(StrengthId));

        changes.Clear();
        changes.Add(BypassId, 0, 0.0);
        expected = Fill(block, new Random(8), MaxBlock);
        Assert.Equal(Vst3Result.Ok, instance.Component.Process(block));
        AssertOutput(block, expected, MaxBlock);
        instance.SyncController();
        Assert.Equal(0.0, instance.Controller.GetParamNormalized(BypassId));
    }

    [Fact]
    public void A_flush_block_without_audio_applies_parameter_changes()
    {
        // Hosts send parameter changes with numSamples = 0 and no buses while the transport is stopped.
        using var instance = _plugin.CreateInstance();
        instance.Activate(PluginHarness.Setup(SymbolicSampleSize.Sample64, MaxBlock));
        using var block = new ProcessBlock(SymbolicSampleSize.Sample64, 2, MaxBlock);
        using var changes = new ParameterChanges();
        changes.Add(StepsId, 0, 1.0);
        block.InputParameterChanges = changes;
        block.NumSamples = 0;
        unsafe
        {
            block.Data->NumInputs = 0;
            block.Data->NumOutputs = 0;
        }

        block.HasContext = false;
        Assert.Equal(Vst3Result.Ok, instance.Component.Process(block));
        instance.SyncController();
        Assert.Equal(100.0, instance.Controller.NormalizedParamToPlain(StepsId, instance.Controller.GetParamNormalized(StepsId)));
    }

    [Fact]
    public void Mono_buses_pass_through()
    {
        using var instance = _plugin.CreateInstance();
        Assert.Equal(Vst3Result.Ok, instance.Component.SetBusArrangements([SpeakerArrangements.Mono], [SpeakerArrangements.Mono]));
        instance.Activate(PluginHarness.Setup(SymbolicSampleSize.Sample32, MaxBlock));
        using var block = new ProcessBlock(SymbolicSampleSize.Sample32, 1, MaxBlock);
        var expected = Fill(block, new Random(3), MaxBlock);
        Assert.Equal(Vst3Result.Ok, instance.Component.Process(block));
        AssertOutput(block, expected, MaxBlock);
    }

    [Fact]
    public void Silence_flags_of_the_input_carry_over()
    {
        using var instance = _plugin.CreateInstance();
        instance.Activate(PluginHarness.Setup(SymbolicSampleSize.Sample32, MaxBlock));
        using var block = new ProcessBlock(SymbolicSampleSize.Sample32, 2, MaxBlock);
        block.InputSilenceFlags = 0b10;
        block.OutputSilenceFlags = 0b01;
        Assert.Equal(Vst3Result.Ok, instance.Component.Process(block));
        Assert.Equal(0b10UL, block.OutputSilenceFlags);
    }

    [Fact]
    public void Setup_with_an_invalid_block_size_or_rate_is_refused()
    {
        using var instance = _plugin.CreateInstance();
        Assert.Equal(Vst3Result.False, instance.Component.SetupProcessing(PluginHarness.Setup(SymbolicSampleSize.Sample32, 0)));
        Assert.Equal(Vst3Result.False, instance.Component.SetupProcessing(PluginHarness.Setup(SymbolicSampleSize.Sample32, 512, 0)));
        Assert.Equal(Vst3Result.False, instance.Component.SetupProcessing(PluginHarness.Setup((SymbolicSampleSize)7, 512)));
        Assert.Equal(Vst3Result.Ok, instance.Component.SetupProcessing(PluginHarness.Setup(SymbolicSampleSize.Sample64, 512)));
    }

    [Theory]
    [InlineData(SymbolicSampleSize.Sample32)]
    [InlineData(SymbolicSampleSize.Sample64)]
    public void Process_allocates_nothing_in_the_plugin(SymbolicSampleSize size)
    {
        using var instance = _plugin.CreateInstance();
        instance.Activate(PluginHarness.Setup(size, MaxBlock));
        using var block = new ProcessBlock(size, 2, MaxBlock);
        using var changes = new ParameterChanges();
        block.InputParameterChanges = changes;
        ref var context = ref block.Context;
        context.State = ProcessContextState.Playing | ProcessContextState.CycleActive | ProcessContextState.TempoValid
            | ProcessContextState.TimeSigValid | ProcessContextState.ProjectTimeMusicValid | ProcessContextState.CycleValid
            | ProcessContextState.BarPositionValid;
        context.SampleRate = 48000;
        context.Tempo = 128;
        context.TimeSigNumerator = 3;
        context.TimeSigDenominator = 4;
        context.CycleStartMusic = 4;
        context.CycleEndMusic = 16;

        // Warm up: the first calls on a thread attach it to the plugin's runtime and run static constructors.
        for (int i = 0; i < 16; i++)
        {
            RunBlock(instance, block, changes, i);
        }

        // The plugin's own runtime counts its allocations; the host's GC never sees them (they are separate runtimes).
        _plugin.SettlePluginGc();
        long before = _plugin.PluginAllocatedBytes;
        for (int i = 0; i < 2000; i++)
        {
            RunBlock(instance, block, changes, i);
        }

        long after = _plugin.PluginAllocatedBytes;
        Assert.Equal(0, after - before);

        // The probe itself is honest: creating an object in the plugin is seen.
        long probeBefore = _plugin.PluginAllocatedBytes;
        Assert.Equal(Vst3Result.Ok, _plugin.Factory.CreateInstance(PluginHarness.ProcessorCid, Iids.IComponent.Tuid, out nint extra));
        Assert.True(_plugin.PluginAllocatedBytes > probeBefore);
        Vst3Unknown.Release(extra);
    }

    private static void RunBlock(PluginInstance instance, ProcessBlock block, ParameterChanges changes, int index)
    {
        changes.Clear();
        changes.Add(BypassId, 0, index % 2);
        changes.Add(StrengthId, index % MaxBlock, (index % 100) / 100.0);
        block.Context.ProjectTimeSamples = (long)index * MaxBlock;
        block.Context.ProjectTimeMusic = index * MaxBlock * 128 / 60.0 / 48000;
        Assert.Equal(Vst3Result.Ok, instance.Component.Process(block));
    }

    private static ulong[][] Fill(ProcessBlock block, Random random, int samples)
    {
        var expected = new ulong[block.Channels][];
        for (int c = 0; c < block.Channels; c++)
        {
            expected[c] = new ulong[samples];
            for (int i = 0; i < samples; i++)
            {
                ulong bits = (ulong)random.NextInt64() ^ ((ulong)random.Next() << 40);
                // Every 8th sample is one of the values arithmetic would disturb.
                bits = (i % 8) switch
                {
                    0 => block.SampleSize == SymbolicSampleSize.Sample64 ? 0x7FF8_0000_DEAD_BEEFUL : 0x7FC0_BEEFUL,
                    1 => block.SampleSize == SymbolicSampleSize.Sample64 ? 0x8000_0000_0000_0000UL : 0x8000_0000UL,
                    2 => 1UL,
                    _ => bits,
                };
                if (block.SampleSize == SymbolicSampleSize.Sample64)
                {
                    block.Input64(c)[i] = BitConverter.UInt64BitsToDouble(bits);
                    expected[c][i] = bits;
                }
                else
                {
                    uint bits32 = (uint)bits;
                    block.Input32(c)[i] = BitConverter.UInt32BitsToSingle(bits32);
                    expected[c][i] = bits32;
                }
            }

            if (!block.InPlace)
            {
                // Junk in the output proves the plugin wrote every sample.
                if (block.SampleSize == SymbolicSampleSize.Sample64)
                {
                    block.Output64(c)[..samples].Fill(12345.0);
                }
                else
                {
                    block.Output32(c)[..samples].Fill(12345f);
                }
            }
        }

        return expected;
    }

    private static void AssertOutput(ProcessBlock block, ulong[][] expected, int samples)
    {
        for (int c = 0; c < block.Channels; c++)
        {
            for (int i = 0; i < samples; i++)
            {
                ulong actual = block.SampleSize == SymbolicSampleSize.Sample64
                    ? BitConverter.DoubleToUInt64Bits(block.Output64(c)[i])
                    : BitConverter.SingleToUInt32Bits(block.Output32(c)[i]);
                if (actual != expected[c][i])
                {
                    Assert.Fail($"channel {c} sample {i}: expected 0x{expected[c][i]:X}, got 0x{actual:X}");
                }
            }
        }
    }
}
