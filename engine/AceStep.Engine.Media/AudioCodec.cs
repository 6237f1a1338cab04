using System.Globalization;
using AceStep.Audio;
using FFMpegCore;
using FFMpegCore.Exceptions;

namespace AceStep.Engine.Media;

/// <summary>Encodes, decodes and probes audio files through FFmpeg.</summary>
public sealed class AudioCodec
{
    private readonly FfmpegInstallation _ffmpeg;

    /// <summary>Uses the given FFmpeg.</summary>
    public AudioCodec(FfmpegInstallation ffmpeg) => _ffmpeg = ffmpeg;

    /// <summary>Encodes <paramref name="audio"/> into <paramref name="outputPath"/> as <paramref name="settings"/> say.</summary>
    public async Task EncodeAsync(AudioBuffer audio, string outputPath, EncodeSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        // Float WAV keeps the engine's samples exact up to the encoder.
        var source = Path.Combine(Path.GetTempPath(), $"acestep-{Guid.NewGuid():N}.wav");
        try
        {
            WavFile.Write(source, audio, WavSampleFormat.IeeeFloat);
            await RunAsync(FFMpegArguments.FromFileInput(source).OutputToFile(outputPath, overwrite: true, o =>
            {
                o.WithAudioSamplingRate(settings.SampleRate).WithCustomArgument($"-ac {settings.Channels}");
                switch (settings.Format)
                {
                    case CompressedFormat.Mp3:
                        o.WithAudioCodec("libmp3lame").WithAudioBitrate(settings.BitrateKbps ?? 128);
                        break;
                    case CompressedFormat.Ogg:
                        o.WithAudioCodec("libvorbis").WithAudioBitrate(settings.BitrateKbps ?? 128);
                        break;
                    case CompressedFormat.Flac:
                        o.WithAudioCodec("flac").WithCustomArgument("-sample_fmt s32 -bits_per_raw_sample 24");
                        break;
                    default:
                        throw new ArgumentOutOfRangeException(nameof(settings), settings.Format, "Unknown format.");
                }
            }), $"encode {settings.Format} to {outputPath}", cancellationToken);
        }
        finally
        {
            File.Delete(source);
        }
    }

    /// <summary>
    /// Decodes any format FFmpeg reads to float samples, optionally resampled and up/down-mixed. Throws
    /// <see cref="MediaCodecException"/> with FFmpeg's reason when the file is not audio it can read.
    /// </summary>
    public Task<AudioBuffer> DecodeAsync(string inputPath, int? sampleRate, int? channels, CancellationToken cancellationToken) =>
        DecodeAsync(inputPath, sampleRate, channels, maxSeconds: null, cancellationToken);

    /// <summary>
    /// As <see cref="DecodeAsync(string, int?, int?, CancellationToken)"/>, refusing audio longer than
    /// <paramref name="maxSeconds"/> before it is decoded: ffprobe reads the duration from the container first
    /// (<see cref="AudioTooLongException"/>, nothing decoded), and FFmpeg stops writing one second past the limit in
    /// case the container's duration was missing or wrong, so memory never holds more than the limit allows.
    /// </summary>
    public async Task<AudioBuffer> DecodeAsync(string inputPath, int? sampleRate, int? channels, double? maxSeconds,
        CancellationToken cancellationToken)
    {
        if (maxSeconds is { } limit && (await ProbeAsync(inputPath, cancellationToken)).Duration.TotalSeconds is var seconds
            && seconds > limit + 1e-6)
        {
            throw new AudioTooLongException(seconds, limit);
        }
        // Mono and stereo sources keep their channels through FFmpeg and are mapped at unity gain afterwards
        // (ChannelLayout); only sources with more channels use FFmpeg's downmix.
        var decodedAudio = await DecodeWithFfmpegAsync(inputPath, sampleRate, null, maxSeconds, cancellationToken);
        var result = channels is not { } count || decodedAudio.Channels == count
            ? decodedAudio
            : decodedAudio.Channels <= 2 && count <= 2
                ? ChannelLayout.To(decodedAudio, count)
                : await DecodeWithFfmpegAsync(inputPath, sampleRate, count, maxSeconds, cancellationToken);
        if (maxSeconds is { } max && result.Duration > max + 1e-6)
        {
            // The container understated its length; the output was cut at max + 1 s.
            throw new AudioTooLongException(result.Duration, max);
        }
        return result;
    }

    private async Task<AudioBuffer> DecodeWithFfmpegAsync(string inputPath, int? sampleRate, int? channels, double? maxSeconds,
        CancellationToken cancellationToken)
    {
        var decoded = Path.Combine(Path.GetTempPath(), $"acestep-{Guid.NewGuid():N}.wav");
        try
        {
            await RunAsync(FFMpegArguments.FromFileInput(inputPath).OutputToFile(decoded, overwrite: true, o =>
            {
                o.WithAudioCodec("pcm_f32le").WithCustomArgument("-vn");
                if (sampleRate is { } rate)
                {
                    // SoX's resampler at very high precision: far below 24-bit noise, unlike swr's default filter.
                    o.WithAudioSamplingRate(rate).WithCustomArgument("-af aresample=resampler=soxr:precision=28");
                }
                if (channels is { } count)
                {
                    o.WithCustomArgument("-ac " + count.ToString(CultureInfo.InvariantCulture));
                }
                if (maxSeconds is { } limit)
                {
                    o.WithCustomArgument("-t " + (limit + 1).ToString("0.###", CultureInfo.InvariantCulture));
                }
            }), "decode the audio", cancellationToken);
            await using var file = File.OpenRead(decoded);
            return WavFile.Read(file);
        }
        finally
        {
            File.Delete(decoded);
        }
    }

    /// <summary>
    /// Resamples in-memory audio through FFmpeg's SoX resampler and maps mono ↔ stereo at unity gain. The resampler's measured
    /// quality is documented with the delivery code; this is the engine's one place that changes sample rates.
    /// </summary>
    public async Task<AudioBuffer> ResampleAsync(AudioBuffer audio, int sampleRate, int channels, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audio);
        var source = Path.Combine(Path.GetTempPath(), $"acestep-{Guid.NewGuid():N}.wav");
        try
        {
            WavFile.Write(source, audio, WavSampleFormat.IeeeFloat);
            return await DecodeAsync(source, sampleRate, channels, cancellationToken);
        }
        finally
        {
            File.Delete(source);
        }
    }

    /// <summary>Reports the first audio stream of a file.</summary>
    public async Task<AudioStreamInfo> ProbeAsync(string path, CancellationToken cancellationToken)
    {
        IMediaAnalysis analysis;
        try
        {
            analysis = await FFProbe.AnalyseAsync(path, _ffmpeg.Options, cancellationToken);
        }
        catch (FFMpegException ex)
        {
            // Not the path: it is usually a temporary name that means nothing to the user (and shows the machine's layout).
            throw new MediaCodecException($"ffprobe cannot read it as audio: {LastLine(ex.Message).Replace(path, "<input>", StringComparison.Ordinal)}", ex);
        }
        var stream = analysis.PrimaryAudioStream ?? throw new MediaCodecException("The file contains no audio stream.");
        double? bitrate = stream.BitRate > 0 ? stream.BitRate / 1000.0 : analysis.Format.BitRate > 0 ? analysis.Format.BitRate / 1000.0 : null;
        return new AudioStreamInfo(stream.CodecName, stream.SampleRateHz, stream.Channels,
            stream.Duration > TimeSpan.Zero ? stream.Duration : analysis.Duration, bitrate);
    }

    private async Task RunAsync(FFMpegArgumentProcessor processor, string what, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        try
        {
            await processor
                .NotifyOnError(line => errors.Add(line))
                .CancellableThrough(cancellationToken)
                .ProcessAsynchronously(throwOnError: true, _ffmpeg.Options);
        }
        catch (FFMpegException ex)
        {
            var reason = errors.LastOrDefault(l => !string.IsNullOrWhiteSpace(l)) ?? LastLine(ex.Message);
            throw new MediaCodecException($"FFmpeg could not {what}: {WithoutTempPaths(reason.Trim())}", ex);
        }
    }

    /// <summary>FFmpeg names its input and output files in errors; those are temporary names, not the user's.</summary>
    private static string WithoutTempPaths(string text) =>
        System.Text.RegularExpressions.Regex.Replace(text, @"\S*acestep-[0-9a-z-]+(\.wav)?", "<input>");

    private static string LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? text;
}
