using AceStep.Vst3;
using AceStep.Vst3.Hosting;

namespace AceStep.Plugin.Tests;

/// <summary>The timeline capture, read back through the diagnostics exports as the worker will read it.</summary>
public sealed class CaptureTests : IDisposable
{
    private const int MaxBlock = 512;
    private const int Complete = 0;
    private const int Partial = 1;
    private const int Empty = 3;

    private readonly PluginHarness _plugin = new();

    public void Dispose() => _plugin.Dispose();

    [Theory]
    [InlineData(SymbolicSampleSize.Sample32, false)]
    [InlineData(SymbolicSampleSize.Sample64, true)]
    public void A_looped_range_then_a_jump_are_recorded_at_their_project_positions(SymbolicSampleSize size, bool inPlace)
    {
        using var instance = _plugin.CreateInstance();
        instance.Activate(PluginHarness.Setup(size, MaxBlock));
        using var block = new ProcessBlock(size, 2, MaxBlock, inPlace);

        // A loop of 2660 samples (not a whole number of blocks: the host cuts the last block at the loop end), played
        // three times with a different signal each pass, then a locate far away.
        const long LoopStart = 48_000;
        const long LoopEnd = 50_660;
        for (int pass = 1; pass <= 3; pass++)
        {
            BlockDriver.PlayRange(instance, block, LoopStart, LoopEnd, MaxBlock, pass);
        }

        // The producer stops and locates far away (a stopped block there), then plays on.
        const long Jump = 200_000;
        BlockDriver.Play(instance, block, Jump, MaxBlock, pass: 7, state: BlockDriver.Stopped);
        BlockDriver.PlayRange(instance, block, Jump, Jump + (3 * MaxBlock), MaxBlock, pass: 7);

        // Coverage is exact to the frame: the loop's edges, at no multiple of anything, included.
        Assert.Equal([(LoopStart, LoopEnd), (Jump, Jump + (3 * MaxBlock))], _plugin.CaptureCoverage(instance, 0, 1_000_000));

        // The newest pass replaced the older ones at the same positions.
        var loop = _plugin.ReadCapture(instance, LoopStart, (int)(LoopEnd - LoopStart), 2);
        Assert.Equal(Complete, loop.Status);
        AssertSignal(loop.Samples, LoopStart, pass: 3);

        var jumped = _plugin.ReadCapture(instance, Jump, 3 * MaxBlock, 2);
        Assert.Equal(Complete, jumped.Status);
        AssertSignal(jumped.Samples, Jump, pass: 7);

        // A read across recorded and unrecorded stretches: partial, with zeros where nothing was recorded.
        var across = _plugin.ReadCapture(instance, LoopStart - 100, 200, 2);
        Assert.Equal(Partial, across.Status);
        Assert.Equal(100, across.Covered);
        Assert.All(across.Samples[..200], s => Assert.Equal(0f, s));
        AssertSignal(across.Samples[200..], LoopStart, pass: 3);
    }

    [Fact]
    public void A_new_sample_rate_clears_the_capture_and_reactivation_at_the_same_rate_keeps_it()
    {
        using var instance = _plugin.CreateInstance();
        instance.Activate(PluginHarness.Setup(SymbolicSampleSize.Sample32, MaxBlock));
        using var block = new ProcessBlock(SymbolicSampleSize.Sample32, 2, MaxBlock);
        BlockDriver.PlayRange(instance, block, 0, 4096, MaxBlock, pass: 1);
        // Ten minutes at the host's rate by default, rounded up to whole chunks.
        var info = _plugin.GetCaptureInfo(instance)!.Value;
        Assert.Equal(48000.0, info.SampleRate);
        Assert.Equal(2, info.Channels);
        Assert.InRange(info.CapacityFrames, 28_800_000, 28_800_000 + 4095);

        instance.Deactivate();
        instance.Activate(PluginHarness.Setup(SymbolicSampleSize.Sample32, MaxBlock));
        Assert.Equal(Complete, _plugin.ReadCapture(instance, 0, 4096, 2).Status);

        instance.Deactivate();
        Assert.Equal(Vst3Result.Ok, instance.Component.SetupProcessing(PluginHarness.Setup(SymbolicSampleSize.Sample32, MaxBlock, 44100)));
        Assert.Null(_plugin.GetCaptureInfo(instance));
        Assert.Equal(Empty, _plugin.ReadCapture(instance, 0, 4096, 2).Status);
        Assert.Equal(Vst3Result.Ok, instance.Component.SetActive(true));
        Assert.Equal(44100.0, _plugin.GetCaptureInfo(instance)!.Value.SampleRate);
        var read = _plugin.ReadCapture(instance, 0, 4096, 2);
        Assert.Equal(Partial, read.Status);
        Assert.Equal(0, read.Covered);
        Assert.Empty(_plugin.CaptureCoverage(instance, 0, 1_000_000));
    }

    [Fact]
    public void A_stopped_transport_or_a_block_without_context_is_not_recorded_but_an_offline_render_is()
    {
        using var instance = _plugin.CreateInstance();
        instance.Activate(PluginHarness.Setup(SymbolicSampleSize.Sample32, MaxBlock));
        using var block = new ProcessBlock(SymbolicSampleSize.Sample32, 2, MaxBlock);

        // Stopped: hosts keep calling process with a fixed (or moving, while scrubbing) position.
        var stopped = BlockDriver.Rolling & ~ProcessContextState.Playing;
        BlockDriver.PlayRange(instance, block, 0, 4096, MaxBlock, pass: 1, state: stopped);
        block.HasContext = false;
        BlockDriver.Play(instance, block, 8192, MaxBlock);
        block.HasContext = true;
        Assert.Empty(_plugin.CaptureCoverage(instance, 0, 1_000_000));

        // Offline export: recorded whether or not the host sets kPlaying.
        unsafe
        {
            block.Data->ProcessMode = ProcessMode.Offline;
        }

        BlockDriver.PlayRange(instance, block, 0, 4096, MaxBlock, pass: 2, state: stopped);
        Assert.Equal([(0L, 4096L)], _plugin.CaptureCoverage(instance, 0, 1_000_000));
        var read = _plugin.ReadCapture(instance, 0, 4096, 2);
        Assert.Equal(Complete, read.Status);
        AssertSignal(read.Samples, 0, pass: 2);
    }

    [Fact]
    public void With_the_sidechain_active_the_capture_is_the_sidechain_audio_and_the_main_input_still_passes_through()
    {
        // A plugin on an empty track (silent main input) with the mix routed to its sidechain.
        using var instance = _plugin.CreateInstance();
        Assert.Equal(Vst3Result.Ok, instance.Component.ActivateBus(MediaType.Audio, BusDirection.Input, 1, true));
        instance.Activate(PluginHarness.Setup(SymbolicSampleSize.Sample32, MaxBlock));
        using var block = new ProcessBlock(SymbolicSampleSize.Sample32, 2, MaxBlock, auxChannels: 2);
        BlockDriver.PlayRange(instance, block, 96_000, 96_000 + 3000, MaxBlock, pass: 4, sidechain: true);

        var read = _plugin.ReadCapture(instance, 96_000, 3000, 2);
        Assert.Equal(Complete, read.Status);
        AssertSignal(read.Samples, 96_000, pass: 4);
        // The output is the main input's silence: the sidechain is heard by the model, never mixed into the track.
        Assert.All(Enumerable.Range(0, block.NumSamples), i => Assert.Equal(0.0, BlockDriver.Output(block, 0, i)));
    }

    [Fact]
    public void With_the_sidechain_inactive_the_main_input_is_captured_even_when_the_host_passes_aux_buffers()
    {
        // Input tried: aux buffers holding other audio (the negated signal) while the host left the bus inactive.
        using var instance = _plugin.CreateInstance();
        instance.Activate(PluginHarness.Setup(SymbolicSampleSize.Sample32, MaxBlock));
        using var block = new ProcessBlock(SymbolicSampleSize.Sample32, 2, MaxBlock, auxChannels: 2);
        BlockDriver.PlayRange(instance, block, 96_000, 96_000 + 3000, MaxBlock, pass: 5);

        var read = _plugin.ReadCapture(instance, 96_000, 3000, 2);
        Assert.Equal(Complete, read.Status);
        AssertSignal(read.Samples, 96_000, pass: 5);

        // Activating the sidechain (between activations, as VST3 requires) switches the capture to it, deactivating it back.
        instance.Deactivate();
        Assert.Equal(Vst3Result.Ok, instance.Component.ActivateBus(MediaType.Audio, BusDirection.Input, 1, true));
        instance.Activate(PluginHarness.Setup(SymbolicSampleSize.Sample32, MaxBlock));
        // A locate there first (a stopped block): the block after a jump is not trusted, so not recorded.
        BlockDriver.Play(instance, block, 200_000, MaxBlock, pass: 6, state: BlockDriver.Stopped, sidechain: true);
        BlockDriver.PlayRange(instance, block, 200_000, 200_000 + 1000, MaxBlock, pass: 6, sidechain: true);
        AssertSignal(_plugin.ReadCapture(instance, 200_000, 1000, 2).Samples, 200_000, pass: 6);
        instance.Deactivate();
        Assert.Equal(Vst3Result.Ok, instance.Component.ActivateBus(MediaType.Audio, BusDirection.Input, 1, false));
        instance.Activate(PluginHarness.Setup(SymbolicSampleSize.Sample32, MaxBlock));
        // A locate there first (a stopped block): the block after a jump is not trusted, so not recorded.
        BlockDriver.Play(instance, block, 300_000, MaxBlock, pass: 7, state: BlockDriver.Stopped);
        BlockDriver.PlayRange(instance, block, 300_000, 300_000 + 1000, MaxBlock, pass: 7);
        AssertSignal(_plugin.ReadCapture(instance, 300_000, 1000, 2).Samples, 300_000, pass: 7);
    }

    private static void AssertSignal(float[] interleaved, long start, int pass)
    {
        for (int i = 0; i < interleaved.Length / 2; i++)
        {
            for (int c = 0; c < 2; c++)
            {
                float expected = BlockDriver.Signal(pass, c, start + i);
                if (interleaved[(2 * i) + c] != expected)
                {
                    Assert.Fail($"position {start + i} channel {c}: expected {expected}, got {interleaved[(2 * i) + c]}");
                }
            }
        }
    }
}
