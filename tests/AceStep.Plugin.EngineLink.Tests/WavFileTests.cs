namespace AceStep.Plugin.EngineLink.Tests;

public sealed class WavFileTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "acestep-wav-" + Guid.NewGuid().ToString("N")[..10]);

    public WavFileTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_take_is_written_as_float32_and_read_back_sample_for_sample()
    {
        var samples = new float[2 * 1001];
        for (var i = 0; i < samples.Length; i++)
            samples[i] = MathF.Sin(i * 0.37f) * 0.9f;
        var path = Path.Combine(_folder, "AceStep 0012.1.1 take 3.wav");
        WavFile.Write(path, samples, 44_100, 2);

        var bytes = File.ReadAllBytes(path);
        Assert.Equal("RIFF", System.Text.Encoding.ASCII.GetString(bytes, 0, 4));
        Assert.Equal(3, BitConverter.ToInt16(bytes, 20));                     // IEEE float
        Assert.Equal(bytes.Length - 8, BitConverter.ToInt32(bytes, 4));
        var read = WavFile.Read(path);
        Assert.Equal((44_100, 2, 1001L), (read.SampleRate, read.Channels, read.Frames));
        Assert.Equal(samples, read.Samples);
        Assert.False(File.Exists(path + ".part"));
    }

    [Fact]
    public void Sixteen_and_twenty_four_bit_PCM_files_are_read_too()
    {
        // Input tried: a take the user converted to 24-bit, and one to 16-bit (mono).
        var path24 = Path.Combine(_folder, "24.wav");
        File.WriteAllBytes(path24, Pcm(24, 1, [0x00, 0x00, 0x40, 0x00, 0x00, 0xC0]));
        Assert.Equal([0.5f, -0.5f], WavFile.Read(path24).Samples);
        var path16 = Path.Combine(_folder, "16.wav");
        File.WriteAllBytes(path16, Pcm(16, 1, [0x00, 0x40, 0x00, 0xC0]));
        Assert.Equal([0.5f, -0.5f], WavFile.Read(path16).Samples);
    }

    [Fact]
    public void A_file_that_is_not_a_WAV_is_refused_with_its_name()
    {
        // Input tried: a text file saved with a .wav name.
        var path = Path.Combine(_folder, "not audio.wav");
        File.WriteAllText(path, "hello, this is not a RIFF file");
        var error = Assert.Throws<InvalidDataException>(() => WavFile.Read(path));
        Assert.Contains("not audio.wav", error.Message, StringComparison.Ordinal);
    }

    private static byte[] Pcm(int bits, int channels, byte[] data)
    {
        using var stream = new MemoryStream();
        using var w = new BinaryWriter(stream);
        w.Write("RIFF"u8);
        w.Write(36 + data.Length);
        w.Write("WAVEfmt "u8);
        w.Write(16);
        w.Write((short)1);
        w.Write((short)channels);
        w.Write(48_000);
        w.Write(48_000 * channels * bits / 8);
        w.Write((short)(channels * bits / 8));
        w.Write((short)bits);
        w.Write("data"u8);
        w.Write(data.Length);
        w.Write(data);
        w.Flush();
        return stream.ToArray();
    }
}
