using System.Buffers.Binary;
using AceStep.Vst3;
using AceStep.Vst3.Hosting;

namespace AceStep.Plugin.Tests;

/// <summary>
/// Plays a project like a host at 48 kHz, 120 BPM, 4/4 (one bar = 2 s = 96 000 samples), with an optional cycle, and
/// keeps what went in and what came out, so tests can compare them sample by sample.
/// </summary>
internal sealed class TimelineDriver : IDisposable
{
    public const int Rate = 48_000;
    public const double Tempo = 120;
    public const int BlockSize = 512;
    public const int SamplesPerBar = 96_000;

    private readonly PluginInstance _instance;
    private readonly ProcessBlock _block = new(SymbolicSampleSize.Sample32, 2, BlockSize);
    private readonly ParameterChanges _changes = new();

    public TimelineDriver(PluginInstance instance)
    {
        _instance = instance;
        _instance.Activate(PluginHarness.Setup(SymbolicSampleSize.Sample32, BlockSize, Rate));
    }

    /// <summary>The cycle in quarter notes, or null for none.</summary>
    public (double Start, double End)? Cycle { get; set; }

    /// <summary>An audio-like input (two sines per channel, ±0.6) that differs at every position.</summary>
    public static float Input(int channel, long position) =>
        (float)((0.35 * Math.Sin(2 * Math.PI * 220 * position / Rate)) + (0.25 * Math.Sin((2 * Math.PI * (331 + (channel * 17)) * position / Rate) + channel)));

    /// <summary>Plays [from, to) and returns the output, planar (channel-major).</summary>
    public float[][] Play(long from, long to)
    {
        var output = new[] { new float[to - from], new float[to - from] };
        for (long at = from; at < to; at += BlockSize)
        {
            int samples = (int)Math.Min(BlockSize, to - at);
            Block(at, samples, parameter: null);
            for (int c = 0; c < 2; c++)
                _block.Output32(c)[..samples].CopyTo(output[c].AsSpan((int)(at - from)));
        }

        return output;
    }

    /// <summary>One block at <paramref name="position"/> that flips a parameter to <paramref name="normalized"/> (e.g. a trigger).</summary>
    public void SetParameter(long position, uint id, double normalized)
    {
        Block(position, BlockSize, (id, normalized));
    }

    private void Block(long position, int samples, (uint Id, double Value)? parameter)
    {
        _block.NumSamples = samples;
        for (int c = 0; c < 2; c++)
        {
            var input = _block.Input32(c);
            for (int i = 0; i < samples; i++)
                input[i] = Input(c, position + i);
        }

        _changes.Clear();
        if (parameter is { } p)
            _changes.Add(p.Id, 0, p.Value);
        _block.InputParameterChanges = _changes;
        ref var context = ref _block.Context;
        context.State = ProcessContextState.Playing | ProcessContextState.TempoValid | ProcessContextState.TimeSigValid
            | ProcessContextState.ProjectTimeMusicValid;
        context.SampleRate = Rate;
        context.ProjectTimeSamples = position;
        context.Tempo = Tempo;
        context.TimeSigNumerator = 4;
        context.TimeSigDenominator = 4;
        context.ProjectTimeMusic = position / (double)Rate * Tempo / 60.0;
        if (Cycle is { } cycle)
        {
            context.State |= ProcessContextState.CycleValid | ProcessContextState.CycleActive;
            context.CycleStartMusic = cycle.Start;
            context.CycleEndMusic = cycle.End;
        }

        Assert.Equal(Vst3Result.Ok, _instance.Component.Process(_block));
    }

    public void Dispose()
    {
        _block.Dispose();
        _changes.Dispose();
    }
}

/// <summary>Writes and reads 32-bit float WAV files independently of the plugin (RIFF, fmt format 3, data).</summary>
internal static class TestWav
{
    public static void Write(string path, float[] interleaved, int rate, int channels)
    {
        var bytes = new byte[44 + (interleaved.Length * 4)];
        "RIFF"u8.CopyTo(bytes);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), bytes.Length - 8);
        "WAVEfmt "u8.CopyTo(bytes.AsSpan(8));
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(16), 16);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(20), 3);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(22), (short)channels);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(24), rate);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(28), rate * channels * 4);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(32), (short)(channels * 4));
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(34), 32);
        "data"u8.CopyTo(bytes.AsSpan(36));
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(40), interleaved.Length * 4);
        for (int i = 0; i < interleaved.Length; i++)
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(44 + (i * 4)), interleaved[i]);
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>Reads a float32 WAV: format, rate, channels and samples (chunks walked, so a fact chunk is fine).</summary>
    public static (int Format, int Rate, int Channels, float[] Samples) Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.Equal("RIFF", System.Text.Encoding.ASCII.GetString(bytes, 0, 4));
        Assert.Equal("WAVE", System.Text.Encoding.ASCII.GetString(bytes, 8, 4));
        int format = 0, rate = 0, channels = 0;
        for (int at = 12; at + 8 <= bytes.Length;)
        {
            string id = System.Text.Encoding.ASCII.GetString(bytes, at, 4);
            int size = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at + 4));
            if (id == "fmt ")
            {
                format = BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(at + 8));
                channels = BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(at + 10));
                rate = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at + 12));
            }
            else if (id == "data")
            {
                var samples = new float[size / 4];
                for (int i = 0; i < samples.Length; i++)
                    samples[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(at + 8 + (i * 4)));
                return (format, rate, channels, samples);
            }

            at += 8 + size + (size & 1);
        }

        throw new InvalidDataException("no data chunk");
    }
}
