using AceStep.Audio;
using AceStep.Contracts.Tasks;
using AceStep.Engine.Media;
using AceStep.Pipes;

namespace AceStep.Engine.Host.Delivery;

/// <summary>Turns generated audio into the bytes of the asked output format.</summary>
public sealed class AudioFileEncoder
{
    private readonly MediaTools _media;

    /// <summary>Creates the encoder.</summary>
    public AudioFileEncoder(MediaTools media) => _media = media;

    /// <summary>The file extension of a format.</summary>
    public static string Extension(OutputFormat format) => format switch
    {
        OutputFormat.Mp3 => "mp3",
        OutputFormat.Ogg => "ogg",
        OutputFormat.Flac => "flac",
        OutputFormat.Wav => "wav",
        _ => "pcm",
    };

    /// <summary>
    /// Encodes as the request says: WAV 48 kHz stereo 24-bit and PCM_F32 in-process (PCM resampled to the asked
    /// rate), FLAC 48 kHz 24-bit, MP3/OGG with their audioSettings (defaults applied by validation) through FFmpeg.
    /// </summary>
    /// <param name="audio">The result at the model's rate.</param>
    /// <param name="format">Output format.</param>
    /// <param name="settings">audioSettings (rate, channels, bitrate).</param>
    /// <param name="cancellationToken">Cancels encoding.</param>
    /// <param name="pcmFrames">For PCM_F32: the exact frame count to return at the asked rate (the resampler's own
    /// rounding may differ by a frame); null keeps its length.</param>
    public async Task<ReadOnlyMemory<byte>> EncodeAsync(AudioBuffer audio, OutputFormat format, AudioSettings? settings, CancellationToken cancellationToken,
        long? pcmFrames = null)
    {
        switch (format)
        {
            case OutputFormat.Wav:
                using (var stream = new MemoryStream())
                {
                    WavFile.Write(stream, audio, WavSampleFormat.Pcm24);
                    return stream.ToArray();
                }
            case OutputFormat.PcmF32:
                var rate = settings?.SampleRate ?? audio.SampleRate;
                var channels = settings?.Channels ?? audio.Channels;
                var pcm = rate == audio.SampleRate && channels == audio.Channels
                    ? audio
                    : await _media.Codec.ResampleAsync(audio, rate, channels, cancellationToken);
                return Attachments.FromSamples(pcmFrames is { } frames ? FitFrames(pcm, frames) : pcm.Samples);
            default:
                var encode = format switch
                {
                    OutputFormat.Mp3 => new EncodeSettings(CompressedFormat.Mp3, settings?.SampleRate ?? 44_100, settings?.Channels ?? 2, settings?.Bitrate ?? 128),
                    OutputFormat.Ogg => new EncodeSettings(CompressedFormat.Ogg, settings?.SampleRate ?? 48_000, settings?.Channels ?? 2, settings?.Bitrate ?? 128),
                    _ => new EncodeSettings(CompressedFormat.Flac, 48_000, 2),
                };
                var path = Path.Combine(Path.GetTempPath(), $"acestep-{Guid.NewGuid():N}.{Extension(format)}");
                try
                {
                    await _media.Codec.EncodeAsync(audio, path, encode, cancellationToken);
                    return await File.ReadAllBytesAsync(path, cancellationToken);
                }
                finally
                {
                    File.Delete(path);
                }
        }
    }

    // Trims or zero-pads to exactly `frames`; the difference is the resampler's rounding (a frame or two), never audio.
    private static float[] FitFrames(AudioBuffer audio, long frames)
    {
        if (audio.Frames == frames)
            return audio.Samples;
        var fitted = new float[frames * audio.Channels];
        Array.Copy(audio.Samples, fitted, Math.Min(fitted.Length, audio.Samples.Length));
        return fitted;
    }
}
