using AceStep.Audio;
using AceStep.Engine.Media;
using NAudio.Dsp;
using NAudio.Wave;
using NAudio.Wave.SampleProviders;

namespace AceStep.Audio.Benchmarks;

/// <summary>The resamplers compared: one method each, whole buffer in, whole buffer out.</summary>
public static class Resamplers
{
    private static readonly AudioCodec Codec = new(FfmpegInstallation.Locate());

    /// <summary>Ours: FFmpeg's libsoxr at precision 28, through the engine's one rate-changing method.</summary>
    public static AudioBuffer FfmpegSoxr(AudioBuffer audio, int rate) =>
        Codec.ResampleAsync(audio, rate, audio.Channels, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>NAudio's <see cref="WdlResamplingSampleProvider"/> as it comes (its own default mode).</summary>
    public static AudioBuffer NAudioWdl(AudioBuffer audio, int rate)
    {
        var provider = new WdlResamplingSampleProvider(new ArraySampleProvider(audio), rate);
        var output = new List<float>((int)((long)audio.Samples.Length * rate / audio.SampleRate) + 4096);
        var block = new float[8192 * audio.Channels];
        int read;
        while ((read = provider.Read(block)) > 0)
            output.AddRange(block.AsSpan(0, read));
        return new AudioBuffer(output.ToArray(), rate, audio.Channels);
    }

    /// <summary>NAudio's <see cref="WdlResampler"/> in its windowed-sinc mode (64 taps, 32 phases), its best quality.</summary>
    public static AudioBuffer NAudioWdlSinc(AudioBuffer audio, int rate)
    {
        var resampler = new WdlResampler();
        resampler.SetMode(true, 0, true, 64, 32);
        resampler.SetFeedMode(false);
        resampler.SetRates(audio.SampleRate, rate);
        var channels = audio.Channels;
        var wanted = (int)Math.Round((double)audio.Frames * rate / audio.SampleRate);
        var output = new float[wanted * channels];
        int inFrame = 0, outFrame = 0;
        while (outFrame < wanted)
        {
            var want = Math.Min(4096, wanted - outFrame);
            var need = resampler.ResamplePrepare(want, channels, out var input);
            var given = Math.Min(need, audio.Frames - inFrame);
            audio.Samples.AsSpan(inFrame * channels, given * channels).CopyTo(input);
            inFrame += given;
            var made = resampler.ResampleOut(output.AsSpan(outFrame * channels), given, want, channels);
            if (made == 0)
                break;
            outFrame += made;
        }
        return new AudioBuffer(output[..(outFrame * channels)], rate, channels);
    }

    /// <summary>An in-memory buffer as an NAudio sample source.</summary>
    private sealed class ArraySampleProvider(AudioBuffer audio) : ISampleProvider
    {
        private int _position;

        public WaveFormat WaveFormat { get; } = WaveFormat.CreateIeeeFloatWaveFormat(audio.SampleRate, audio.Channels);

        public int Read(Span<float> buffer)
        {
            var count = Math.Min(buffer.Length, audio.Samples.Length - _position);
            audio.Samples.AsSpan(_position, count).CopyTo(buffer);
            _position += count;
            return count;
        }
    }
}
