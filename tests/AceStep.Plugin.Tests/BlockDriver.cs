using AceStep.Vst3;
using AceStep.Vst3.Hosting;

namespace AceStep.Plugin.Tests;

/// <summary>Plays blocks at given project positions, like a host's transport, with a known input signal.</summary>
internal static class BlockDriver
{
    public const ProcessContextState Rolling = ProcessContextState.Playing | ProcessContextState.TempoValid
        | ProcessContextState.TimeSigValid | ProcessContextState.ProjectTimeMusicValid;

    /// <summary>A stopped transport (a locate happens while stopped).</summary>
    public const ProcessContextState Stopped = ProcessContextState.TempoValid | ProcessContextState.TimeSigValid
        | ProcessContextState.ProjectTimeMusicValid;

    /// <summary>
    /// An input sample that names its position and pass: exact in float (well below 2^24), different on every
    /// position of a 1000-sample period, per channel and per pass.
    /// </summary>
    public static float Signal(int pass, int channel, long position) => (pass * 1000) + (position % 1000) + (channel * 0.25f) + 1;

    /// <summary>
    /// Fills the input with <see cref="Signal"/>, sets the context and processes one block. With
    /// <paramref name="sidechain"/>, the signal goes to the aux bus (32-bit) and the main input is silent, as on an
    /// empty track with the mix routed to its sidechain.
    /// </summary>
    public static void Play(PluginInstance instance, ProcessBlock block, long position, int samples, int pass = 0,
        ProcessContextState state = Rolling, double tempo = 120, bool sidechain = false)
    {
        block.NumSamples = samples;
        for (int c = 0; c < block.AuxChannels; c++)
        {
            for (int i = 0; i < samples; i++)
                block.Aux32(c)[i] = sidechain ? Signal(pass, c, position + i) : -Signal(pass, c, position + i);
        }

        for (int c = 0; c < block.Channels; c++)
        {
            for (int i = 0; i < samples; i++)
            {
                float value = sidechain ? 0 : Signal(pass, c, position + i);
                if (block.SampleSize == SymbolicSampleSize.Sample64)
                {
                    block.Input64(c)[i] = value;
                }
                else
                {
                    block.Input32(c)[i] = value;
                }
            }
        }

        ref var context = ref block.Context;
        context.State = state;
        context.SampleRate = 48000;
        context.ProjectTimeSamples = position;
        context.Tempo = tempo;
        context.TimeSigNumerator = 4;
        context.TimeSigDenominator = 4;
        context.ProjectTimeMusic = position / 48000.0 * tempo / 60.0;
        Assert.Equal(Vst3Result.Ok, instance.Component.Process(block));
    }

    /// <summary>Plays <c>[from, to)</c> in blocks of at most <paramref name="blockSize"/>.</summary>
    public static void PlayRange(PluginInstance instance, ProcessBlock block, long from, long to, int blockSize, int pass = 0,
        ProcessContextState state = Rolling, bool sidechain = false)
    {
        for (long at = from; at < to; at += blockSize)
        {
            Play(instance, block, at, (int)Math.Min(blockSize, to - at), pass, state, sidechain: sidechain);
        }
    }

    /// <summary>Output sample <paramref name="i"/> of channel <paramref name="channel"/> as a double.</summary>
    public static double Output(ProcessBlock block, int channel, int i) =>
        block.SampleSize == SymbolicSampleSize.Sample64 ? block.Output64(channel)[i] : block.Output32(channel)[i];
}
