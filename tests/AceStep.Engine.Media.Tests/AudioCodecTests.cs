using AceStep.Audio;
using AceStep.Audio.Tests;
using AceStep.Engine.Media;

namespace AceStep.Engine.Media.Tests;

/// <summary>The real FFmpeg from the machine (scripts/setup.sh installs it), on real files.</summary>
public sealed class AudioCodecTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("acestep-media-").FullName;
    private readonly AudioCodec _codec = new(FfmpegInstallation.Locate());

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(CompressedFormat.Mp3, 44_100, 2, 128, "mp3")]
    [InlineData(CompressedFormat.Mp3, 22_050, 1, 64, "mp3")]
    [InlineData(CompressedFormat.Ogg, 48_000, 2, 128, "vorbis")]
    [InlineData(CompressedFormat.Flac, 48_000, 2, null, "flac")]
    public async Task Encoded_files_have_the_asked_rate_channels_and_bitrate(CompressedFormat format, int rate, int channels, int? kbps, string codec)
    {
        var path = Path.Combine(_dir, "out." + format.ToString().ToLowerInvariant());
        await _codec.EncodeAsync(Signals.StereoSine(440, 48_000, 2.0), path, new EncodeSettings(format, rate, channels, kbps), CancellationToken.None);

        var info = await _codec.ProbeAsync(path, CancellationToken.None);
        Assert.Equal((codec, rate, channels), (info.Codec, info.SampleRate, info.Channels));
        Assert.InRange(info.Duration.TotalSeconds, 1.95, 2.1);
        if (format == CompressedFormat.Mp3)
        {
            Assert.NotNull(info.BitrateKbps);
            Assert.InRange(info.BitrateKbps.Value, kbps!.Value * 0.9, kbps.Value * 1.1);
        }
    }

    [Fact]
    public async Task Flac_decodes_back_to_the_same_samples_within_24_bit_precision()
    {
        var source = Signals.StereoSine(440, 48_000, 1.0);
        var path = Path.Combine(_dir, "exact.flac");
        await _codec.EncodeAsync(source, path, new EncodeSettings(CompressedFormat.Flac, 48_000, 2), CancellationToken.None);
        var decoded = await _codec.DecodeAsync(path, null, null, CancellationToken.None);

        Assert.Equal((source.SampleRate, source.Channels, source.Frames), (decoded.SampleRate, decoded.Channels, decoded.Frames));
        var worst = source.Samples.Zip(decoded.Samples, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(worst < 2.0 / 8388608, $"largest error {worst}");
    }

    [Fact]
    public async Task Decoding_resamples_and_upmixes_on_request()
    {
        var mono = new AudioBuffer(Signals.StereoSine(440, 44_100, 1.0).Samples.Where((_, i) => i % 2 == 0).ToArray(), 44_100, 1);
        var path = Path.Combine(_dir, "mono.wav");
        WavFile.Write(path, mono, WavSampleFormat.Pcm16);
        var decoded = await _codec.DecodeAsync(path, 48_000, 2, CancellationToken.None);
        Assert.Equal((48_000, 2), (decoded.SampleRate, decoded.Channels));
        Assert.InRange(decoded.Frames, 47_900, 48_100);
    }

    [Fact]
    public async Task A_file_that_is_not_audio_is_refused_with_ffmpegs_reason()
    {
        // Input: 4 KiB of random bytes named .mp3.
        var path = Path.Combine(_dir, "garbage.mp3");
        await File.WriteAllBytesAsync(path, Enumerable.Range(0, 4096).Select(i => (byte)(i * 7919 % 251)).ToArray());
        var ex = await Assert.ThrowsAsync<MediaCodecException>(() => _codec.DecodeAsync(path, null, null, CancellationToken.None));
        Assert.Contains("FFmpeg could not decode", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_ffmpeg_names_the_fix()
    {
        // Input: a folder with no ffmpeg in it.
        var ex = Assert.Throws<FfmpegNotFoundException>(() => FfmpegInstallation.Locate(_dir));
        Assert.Contains("apt-get install ffmpeg", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_located_ffmpeg_reports_its_version()
    {
        Assert.StartsWith("ffmpeg version", FfmpegInstallation.Locate().Version, StringComparison.Ordinal);
    }
}
