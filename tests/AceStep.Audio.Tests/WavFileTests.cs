using AceStep.Audio;

namespace AceStep.Audio.Tests;

public class WavFileTests
{
    [Theory]
    [InlineData(WavSampleFormat.Pcm16, 1.0 / 32768)]
    [InlineData(WavSampleFormat.Pcm24, 1.0 / 8388608)]
    [InlineData(WavSampleFormat.IeeeFloat, 0)]
    public void Audio_round_trips_within_the_format_quantisation(WavSampleFormat format, double step)
    {
        var audio = Signals.StereoSine(440, 44_100, 0.25);
        using var stream = new MemoryStream();
        WavFile.Write(stream, audio, format);
        stream.Position = 0;
        var read = WavFile.Read(stream);

        Assert.Equal((44_100, 2, audio.Frames), (read.SampleRate, read.Channels, read.Frames));
        var worst = audio.Samples.Zip(read.Samples, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(worst <= step, $"largest error {worst} exceeds one quantisation step {step}");
    }

    [Fact]
    public void The_header_is_the_canonical_44_bytes()
    {
        using var stream = new MemoryStream();
        WavFile.Write(stream, new AudioBuffer(new float[96], 48_000, 2), WavSampleFormat.Pcm24);
        var bytes = stream.ToArray();
        Assert.Equal(44 + 96 * 3, bytes.Length);
        Assert.Equal("RIFF", System.Text.Encoding.ASCII.GetString(bytes, 0, 4));
        Assert.Equal(24, BitConverter.ToUInt16(bytes, 34));
        Assert.Equal(48_000u, BitConverter.ToUInt32(bytes, 24));
    }

    [Fact]
    public void Out_of_range_samples_are_clipped_in_integer_formats()
    {
        using var stream = new MemoryStream();
        WavFile.Write(stream, new AudioBuffer([2f, -3f], 8000, 1), WavSampleFormat.Pcm16);
        stream.Position = 0;
        var read = WavFile.Read(stream);
        Assert.Equal(32767 / 32768f, read.Samples[0]);
        Assert.Equal(-32767 / 32768f, read.Samples[1]);
    }

    [Theory]
    [InlineData(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 }, "does not start with RIFF")]                      // garbage
    [InlineData(new byte[] { (byte)'R', (byte)'I', (byte)'F', (byte)'F', 0, 0, 0, 0, (byte)'A', (byte)'V', (byte)'I', (byte)' ' }, "not WAVE")] // another RIFF type
    [InlineData(new byte[] { (byte)'R', (byte)'I', (byte)'F', (byte)'F', 0, 0, 0, 0, (byte)'W', (byte)'A', (byte)'V', (byte)'E' }, "ends before its data")] // truncated
    public void Files_that_are_not_readable_wav_say_why(byte[] input, string reason)
    {
        var ex = Assert.Throws<InvalidDataException>(() => WavFile.Read(new MemoryStream(input)));
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_buffer_that_is_not_whole_frames_is_refused()
    {
        // Input: 3 samples declared as stereo.
        var ex = Assert.Throws<ArgumentException>(() => new AudioBuffer(new float[3], 48_000, 2));
        Assert.Contains("whole number", ex.Message, StringComparison.Ordinal);
    }
}
