using AceStep.Vst3;
using AceStep.Vst3.Hosting;

namespace AceStep.Plugin.Tests;

/// <summary>Takes handed over as "AceStep.Take" connection-point messages, and their playback in place.</summary>
public sealed class TakePlaybackTests : IDisposable
{
    private const uint BypassId = 0;
    private const uint ListenId = 9;
    private const int MaxBlock = 512;
    private const int Fade = 240; // 5 ms at 48 kHz

    private readonly PluginHarness _plugin = new();

    public void Dispose() => _plugin.Dispose();

    /// <summary>A take sample that differs from every input sample (those are ≥ 1).</summary>
    private static float TakeSample(int slot, int channel, int index) => TakeMessagesForTests.DefaultSample(slot, channel, index);

    [Theory]
    [InlineData(SymbolicSampleSize.Sample32, false)]
    [InlineData(SymbolicSampleSize.Sample32, true)]
    [InlineData(SymbolicSampleSize.Sample64, false)]
    [InlineData(SymbolicSampleSize.Sample64, true)]
    public void A_take_plays_at_exactly_its_samples_with_crossfades_inside_its_edges(SymbolicSampleSize size, bool inPlace)
    {
        using var instance = _plugin.CreateInstance();
        instance.Activate(PluginHarness.Setup(size, MaxBlock));
        using var block = new ProcessBlock(size, 2, MaxBlock, inPlace);

        // Starts and ends mid-block (1000 and 4000 fall inside blocks of 512).
        const long Start = 1000;
        const int Frames = 3000;
        Assert.Equal(Vst3Result.Ok, SendTake(instance, slot: 0, Start, Frames, channels: 2));
        PlayAndCheck(instance, block, 0, 5120, TakeAt(Start, Frames, slot: 0));
    }

    [Fact]
    public void A_planar_mono_take_feeds_both_channels_and_a_short_take_fades_over_half_its_length()
    {
        using var instance = _plugin.CreateInstance();
        instance.Activate(PluginHarness.Setup(SymbolicSampleSize.Sample32, MaxBlock));
        using var block = new ProcessBlock(SymbolicSampleSize.Sample32, 2, MaxBlock);
        Assert.Equal(Vst3Result.Ok, SendTake(instance, slot: 3, 700, 100, channels: 1, planar: true));
        PlayAndCheck(instance, block, 0, 1536, TakeAt(700, 100, slot: 3, channels: 1, fade: 50));
    }

    [Fact]
    public void Listen_switches_between_original_and_take_and_bypass_plays_the_original()
    {
        using var instance = _plugin.CreateInstance();
        instance.Activate(PluginHarness.Setup(SymbolicSampleSize.Sample32, MaxBlock));
        using var block = new ProcessBlock(SymbolicSampleSize.Sample32, 2, MaxBlock);
        using var changes = new ParameterChanges();
        block.InputParameterChanges = changes;
        Assert.Equal(Vst3Result.Ok, SendTake(instance, slot: 0, 0, 4096, channels: 2));

        changes.Add(ListenId, 0, 0.0);
        PlayAndCheck(instance, block, 0, 2048, Original);

        changes.Clear();
        changes.Add(ListenId, 0, 1.0);
        PlayAndCheck(instance, block, 0, 2048, TakeAt(0, 4096, slot: 0));

        changes.Clear();
        changes.Add(BypassId, 0, 1.0);
        PlayAndCheck(instance, block, 0, 2048, Original);
    }

    [Fact]
    public void Several_takes_are_kept_and_only_the_active_one_plays()
    {
        using var instance = _plugin.CreateInstance();
        instance.Activate(PluginHarness.Setup(SymbolicSampleSize.Sample32, MaxBlock));
        using var block = new ProcessBlock(SymbolicSampleSize.Sample32, 2, MaxBlock);
        Assert.Equal(Vst3Result.Ok, SendTake(instance, slot: 0, 1024, 1024, channels: 2));
        Assert.Equal(Vst3Result.Ok, SendTake(instance, slot: 1, 2048, 1024, channels: 2, activate: false));
        PlayAndCheck(instance, block, 0, 4096, TakeAt(1024, 1024, slot: 0));

        Assert.Equal(Vst3Result.Ok, Send(instance, "AceStep.SelectTake", a => a.SetInt("slot", 1)));
        PlayAndCheck(instance, block, 0, 4096, TakeAt(2048, 1024, slot: 1));

        Assert.Equal(Vst3Result.Ok, Send(instance, "AceStep.SelectTake", a => a.SetInt("slot", -1)));
        PlayAndCheck(instance, block, 0, 4096, Original);

        Assert.Equal(Vst3Result.Ok, Send(instance, "AceStep.SelectTake", a => a.SetInt("slot", 0)));
        Assert.Equal(Vst3Result.Ok, Send(instance, "AceStep.RetireTake", a => a.SetInt("slot", 0)));
        PlayAndCheck(instance, block, 0, 4096, Original);
    }

    [Fact]
    public void A_take_is_not_played_while_stopped_or_at_another_sample_rate()
    {
        using var instance = _plugin.CreateInstance();
        instance.Activate(PluginHarness.Setup(SymbolicSampleSize.Sample32, MaxBlock));
        using var block = new ProcessBlock(SymbolicSampleSize.Sample32, 2, MaxBlock);
        Assert.Equal(Vst3Result.Ok, SendTake(instance, slot: 0, 0, 4096, channels: 2));
        PlayAndCheck(instance, block, 0, 2048, Original, BlockDriver.Rolling & ~ProcessContextState.Playing);

        Assert.Equal(Vst3Result.Ok, SendTake(instance, slot: 0, 0, 4096, channels: 2, sampleRate: 44100));
        PlayAndCheck(instance, block, 0, 2048, Original);
    }

    [Fact]
    public void Malformed_take_messages_are_refused_and_unknown_messages_are_not_understood()
    {
        using var instance = _plugin.CreateInstance();
        Assert.Equal(Vst3Result.False, Send(instance, "Something.Else", _ => { }));
        Assert.Equal(Vst3Result.InvalidArgument, Send(instance, "AceStep.Take", a => a.SetInt("channels", 2)));
        Assert.Equal(Vst3Result.InvalidArgument, SendTake(instance, slot: 8, 0, 10, channels: 2));
        Assert.Equal(Vst3Result.InvalidArgument, SendTake(instance, slot: 0, -1, 10, channels: 2));
        Assert.Equal(Vst3Result.InvalidArgument, SendTake(instance, slot: 0, 0, 10, channels: 3));
        Assert.Equal(Vst3Result.InvalidArgument, Send(instance, "AceStep.Take", a =>
        {
            a.SetInt("channels", 2);
            a.SetInt("position", 0);
            a.SetFloat("sampleRate", 48000);
            a.SetBinary("samples", new float[3]); // not a whole number of stereo frames
        }));
        Assert.Equal(Vst3Result.InvalidArgument, Send(instance, "AceStep.SelectTake", a => a.SetInt("slot", 8)));
        // The controller does not take messages yet.
        using var message = new HostMessage("AceStep.Take");
        Assert.Equal(Vst3Result.False, ConnectionPoints.Notify(instance.Controller.ConnectionPoint, message.NativePointer));
    }

    [Theory]
    [InlineData(SymbolicSampleSize.Sample32)]
    [InlineData(SymbolicSampleSize.Sample64)]
    public void Capturing_and_playing_a_take_allocates_nothing_in_the_plugin(SymbolicSampleSize size)
    {
        using var instance = _plugin.CreateInstance();
        instance.Activate(PluginHarness.Setup(size, MaxBlock));
        using var block = new ProcessBlock(size, 2, MaxBlock);
        using var changes = new ParameterChanges();
        block.InputParameterChanges = changes;
        Assert.Equal(Vst3Result.Ok, SendTake(instance, slot: 0, 1000, 100_000, channels: 2));
        var state = BlockDriver.Rolling | ProcessContextState.CycleValid | ProcessContextState.CycleActive | ProcessContextState.BarPositionValid;
        block.Context.CycleStartMusic = 4;
        block.Context.CycleEndMusic = 8;

        // A loop over the take's start, with parameter changes and a listen switch now and then.
        void Run(int index)
        {
            changes.Clear();
            changes.Add(ListenId, 0, index % 50 == 0 ? 0 : 1);
            BlockDriver.Play(instance, block, index % 40 * MaxBlock, MaxBlock, pass: index % 3, state: state);
        }

        for (int i = 0; i < 50; i++)
        {
            Run(i);
        }

        _plugin.SettlePluginGc();
        long before = _plugin.PluginAllocatedBytes;
        for (int i = 0; i < 2000; i++)
        {
            Run(i);
        }

        Assert.Equal(0, _plugin.PluginAllocatedBytes - before);
        Assert.NotEmpty(_plugin.CaptureCoverage(instance, 0, 40 * MaxBlock));
    }

    /// <summary>What the output must be at a position and channel given the input there; null: the input, unchanged.</summary>
    private delegate (double Value, double Tolerance)? Expectation(long position, int channel, double input);

    private static (double Value, double Tolerance)? Original(long position, int channel, double input) => null;

    /// <summary>
    /// The take of <paramref name="slot"/> at <paramref name="start"/>: its exact samples beyond the fades; within
    /// <paramref name="fade"/> frames of an edge, input·cos θ + take·sin θ with θ = π/2·(d + ½)/fade (d = frames to
    /// the nearer edge), as docs/plugin.md states; the input outside.
    /// </summary>
    private static Expectation TakeAt(long start, int frames, int slot, int channels = 2, int fade = Fade) => (position, channel, input) =>
    {
        if (position < start || position >= start + frames)
        {
            return null;
        }

        int k = (int)(position - start);
        double take = TakeSample(slot, Math.Min(channel, channels - 1), k);
        int distance = Math.Min(k, frames - 1 - k);
        if (distance >= fade)
        {
            return (take, 0);
        }

        double angle = Math.PI / 2 * (distance + 0.5) / fade;
        return ((input * Math.Cos(angle)) + (take * Math.Sin(angle)), 1e-3);
    };

    private static void PlayAndCheck(PluginInstance instance, ProcessBlock block, long from, long to, Expectation expectation,
        ProcessContextState state = BlockDriver.Rolling)
    {
        for (long at = from; at < to; at += MaxBlock)
        {
            int samples = (int)Math.Min(MaxBlock, to - at);
            BlockDriver.Play(instance, block, at, samples, pass: 0, state: state);
            for (int c = 0; c < block.Channels; c++)
            {
                for (int i = 0; i < samples; i++)
                {
                    double input = BlockDriver.Signal(0, c, at + i);
                    double output = BlockDriver.Output(block, c, i);
                    var expected = expectation(at + i, c, input);
                    bool ok = expected is { } e ? Math.Abs(output - e.Value) <= e.Tolerance : output == input;
                    if (!ok)
                    {
                        Assert.Fail($"position {at + i} channel {c}: expected {(expected is { } x ? x.Value : input)}, got {output} (input {input})");
                    }
                }
            }
        }
    }

    private static int SendTake(PluginInstance instance, int slot, long position, int frames, int channels, bool planar = false,
        bool activate = true, double sampleRate = 48000) =>
        TakeMessagesForTests.SendTake(instance, slot, position, frames, channels, planar, activate, sampleRate, TakeSample);

    private static int Send(PluginInstance instance, string id, Action<HostAttributeList> fill) => TakeMessagesForTests.Send(instance, id, fill);
}
