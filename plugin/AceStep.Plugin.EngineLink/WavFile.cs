using System.Buffers.Binary;

namespace AceStep.Plugin.EngineLink;

/// <summary>Audio read back from a WAV file: interleaved float samples, their rate and channel count.</summary>
/// <param name="Samples">Interleaved samples.</param>
/// <param name="SampleRate">Frames per second.</param>
/// <param name="Channels">Channels per frame.</param>
public sealed record WavAudio(float[] Samples, int SampleRate, int Channels)
{
    /// <summary>Frames in the file.</summary>
    public long Frames => Samples.Length / Channels;
}

/// <summary>
/// Writes takes as 32-bit float WAV files (format 3, with the <c>fact</c> chunk float WAVs should carry) — every DAW
/// reads them and they hold the engine's samples exactly — and reads such files back (plus 16- and 24-bit PCM, so a
/// take the user converted still loads).
/// </summary>
public static class WavFile
{
    private const ushort FormatPcm = 1;
    private const ushort FormatFloat = 3;

    /// <summary>Writes <paramref name="interleaved"/> to <paramref name="path"/> (through a temporary file, so a reader never sees half a take).</summary>
    /// <exception cref="IOException">The folder is not writable.</exception>
    public static void Write(string path, ReadOnlySpan<float> interleaved, int sampleRate, int channels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1);
        if (interleaved.Length % channels != 0)
            throw new ArgumentException("The samples are not whole frames.", nameof(interleaved));
        long dataBytes = (long)interleaved.Length * 4;
        if (dataBytes > uint.MaxValue - 100)
            throw new ArgumentException("The take is too long for a WAV file.", nameof(interleaved));

        Span<byte> header = stackalloc byte[58];
        "RIFF"u8.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)(50 + dataBytes));
        "WAVE"u8.CopyTo(header[8..]);
        "fmt "u8.CopyTo(header[12..]);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], 18);
        BinaryPrimitives.WriteUInt16LittleEndian(header[20..], FormatFloat);
        BinaryPrimitives.WriteUInt16LittleEndian(header[22..], (ushort)channels);
        BinaryPrimitives.WriteUInt32LittleEndian(header[24..], (uint)sampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(header[28..], (uint)(sampleRate * channels * 4));
        BinaryPrimitives.WriteUInt16LittleEndian(header[32..], (ushort)(channels * 4));
        BinaryPrimitives.WriteUInt16LittleEndian(header[34..], 32);
        BinaryPrimitives.WriteUInt16LittleEndian(header[36..], 0);
        "fact"u8.CopyTo(header[38..]);
        BinaryPrimitives.WriteUInt32LittleEndian(header[42..], 4);
        BinaryPrimitives.WriteUInt32LittleEndian(header[46..], (uint)(interleaved.Length / channels));
        "data"u8.CopyTo(header[50..]);
        BinaryPrimitives.WriteUInt32LittleEndian(header[54..], (uint)dataBytes);

        var temporary = path + ".part";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(header);
            var buffer = new byte[64 * 1024];
            for (var at = 0; at < interleaved.Length;)
            {
                var count = Math.Min(buffer.Length / 4, interleaved.Length - at);
                for (var i = 0; i < count; i++)
                    BinaryPrimitives.WriteSingleLittleEndian(buffer.AsSpan(i * 4), interleaved[at + i]);
                stream.Write(buffer, 0, count * 4);
                at += count;
            }
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Reads a WAV file (float32, or 16/24-bit PCM).</summary>
    /// <exception cref="InvalidDataException">Not a WAV file this reader understands.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static WavAudio Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var span = bytes.AsSpan();
        if (span.Length < 12 || !span[..4].SequenceEqual("RIFF"u8) || !span[8..12].SequenceEqual("WAVE"u8))
            throw new InvalidDataException($"{path} is not a WAV file.");
        ushort format = 0, channels = 0, bits = 0;
        uint rate = 0;
        for (var at = 12; at + 8 <= span.Length;)
        {
            var id = span.Slice(at, 4);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(span[(at + 4)..]);
            var body = span.Slice(at + 8, (int)Math.Min(size, (uint)(span.Length - at - 8)));
            if (id.SequenceEqual("fmt "u8) && body.Length >= 16)
            {
                format = BinaryPrimitives.ReadUInt16LittleEndian(body);
                channels = BinaryPrimitives.ReadUInt16LittleEndian(body[2..]);
                rate = BinaryPrimitives.ReadUInt32LittleEndian(body[4..]);
                bits = BinaryPrimitives.ReadUInt16LittleEndian(body[14..]);
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (channels == 0 || rate == 0)
                    throw new InvalidDataException($"{path} has its data before its format.");
                return new WavAudio(Decode(body, format, bits, path), (int)rate, channels);
            }

            at += 8 + (int)size + (int)(size & 1);
        }

        throw new InvalidDataException($"{path} has no audio data.");
    }

    private static float[] Decode(ReadOnlySpan<byte> data, ushort format, ushort bits, string path)
    {
        switch (format, bits)
        {
            case (FormatFloat, 32):
            {
                var samples = new float[data.Length / 4];
                for (var i = 0; i < samples.Length; i++)
                    samples[i] = BinaryPrimitives.ReadSingleLittleEndian(data[(i * 4)..]);
                return samples;
            }

            case (FormatPcm, 16):
            {
                var samples = new float[data.Length / 2];
                for (var i = 0; i < samples.Length; i++)
                    samples[i] = BinaryPrimitives.ReadInt16LittleEndian(data[(i * 2)..]) / 32768f;
                return samples;
            }

            case (FormatPcm, 24):
            {
                var samples = new float[data.Length / 3];
                for (var i = 0; i < samples.Length; i++)
                {
                    var value = data[i * 3] | (data[(i * 3) + 1] << 8) | ((sbyte)data[(i * 3) + 2] << 16);
                    samples[i] = value / 8388608f;
                }

                return samples;
            }

            default:
                throw new InvalidDataException($"{path}: WAV format {format} with {bits} bits is not supported (float32, 16- or 24-bit PCM are).");
        }
    }
}
