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

    // The reasons are NAudio's wording (WAV reading moved to NAudio.Core), behind our "Not a readable WAV file".
    [Theory]
    [InlineData(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 }, "no RIFF header")]                      // garbage
    [InlineData(new byte[] { (byte)'R', (byte)'I', (byte)'F', (byte)'F', 0, 0, 0, 0, (byte)'A', (byte)'V', (byte)'I', (byte)' ' }, "no WAVE header")] // another RIFF type
    [InlineData(new byte[] { (byte)'R', (byte)'I', (byte)'F', (byte)'F', 0, 0, 0, 0, (byte)'W', (byte)'A', (byte)'V', (byte)'E' }, "No fmt chunk")] // truncated after the header
    public void Files_that_are_not_readable_wav_say_why(byte[] input, string reason)
    {
        var ex = Assert.Throws<InvalidDataException>(() => WavFile.Read(new MemoryStream(input)));
        Assert.Contains("Not a readable WAV file", ex.Message, StringComparison.Ordinal);
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Eight_bit_and_32_bit_integer_pcm_are_read_at_full_scale()
    {
        // Input: 8-bit unsigned mono [0, 128, 255] and 32-bit signed mono [int.MinValue, 0, int.MaxValue].
        var eight = WavBytes.Build(WavBytes.Fmt(1, 1, 8000, 8), WavBytes.Chunk("data", [0, 128, 255]));
        Assert.Equal([-1f, 0f, 127 / 128f], WavFile.Read(new MemoryStream(eight)).Samples);

        var data = new byte[12];
        BitConverter.TryWriteBytes(data.AsSpan(0), int.MinValue);
        BitConverter.TryWriteBytes(data.AsSpan(8), int.MaxValue);
        var wide = WavFile.Read(new MemoryStream(WavBytes.Build(WavBytes.Fmt(1, 1, 8000, 32), WavBytes.Chunk("data", data))));
        Assert.Equal(-1f, wide.Samples[0]);
        Assert.Equal(0f, wide.Samples[1]);
        Assert.Equal(1f, wide.Samples[2], 6);
    }

    [Fact]
    public void Extensible_float_with_chunks_before_and_after_the_data_is_read()
    {
        // Input: WAVE_FORMAT_EXTENSIBLE float stereo at 96 kHz, a LIST chunk of odd size (padded) between fmt and data,
        // and a trailing chunk after data, as DAWs and tagging tools write.
        var samples = new[] { 0.25f, -0.5f, 1.5f, -0.125f };
        var data = new byte[16];
        for (var i = 0; i < 4; i++)
            BitConverter.TryWriteBytes(data.AsSpan(i * 4), samples[i]);
        var wav = WavBytes.Build(WavBytes.ExtensibleFloatFmt(2, 96_000), WavBytes.Chunk("LIST", [1, 2, 3]), WavBytes.Chunk("data", data),
            WavBytes.Chunk("bext", new byte[10]));
        var read = WavFile.Read(new MemoryStream(wav));
        Assert.Equal((96_000, 2), (read.SampleRate, read.Channels));
        Assert.Equal(samples, read.Samples);
    }

    [Fact]
    public void A_data_chunk_claiming_more_than_the_file_holds_reads_the_whole_frames_present()
    {
        // Input: a 16-bit stereo file whose data chunk claims 2 GB but holds 2.5 frames (10 bytes). It must not cost
        // gigabytes of memory, and the half frame is dropped.
        var data = new byte[10];
        BitConverter.TryWriteBytes(data.AsSpan(0), (short)16384);
        var wav = WavBytes.Build(WavBytes.Fmt(1, 2, 44_100, 16), WavBytes.Chunk("data", data, declaredSize: 2_000_000_000));
        var read = WavFile.Read(new MemoryStream(wav));
        Assert.Equal(2, read.Frames);
        Assert.Equal(0.5f, read.Samples[0]);
    }

    [Fact]
    public void A_compressed_wav_is_refused_naming_its_format()
    {
        // Input: an IMA ADPCM (tag 0x11, 4-bit) WAV, which needs a codec rather than a sample conversion.
        var wav = WavBytes.Build(WavBytes.Fmt(0x11, 1, 8000, 4), WavBytes.Chunk("data", new byte[16]));
        var ex = Assert.Throws<InvalidDataException>(() => WavFile.Read(new MemoryStream(wav)));
        Assert.Contains("not supported", ex.Message, StringComparison.Ordinal);
        Assert.Contains("4 bits", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_buffer_that_is_not_whole_frames_is_refused()
    {
        // Input: 3 samples declared as stereo.
        var ex = Assert.Throws<ArgumentException>(() => new AudioBuffer(new float[3], 48_000, 2));
        Assert.Contains("whole number", ex.Message, StringComparison.Ordinal);
    }
}
