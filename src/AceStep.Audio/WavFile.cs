using System.Buffers.Binary;
using System.Text;

namespace AceStep.Audio;

/// <summary>RIFF/WAVE reading and writing, done in-process (FFmpeg is only needed for compressed formats).</summary>
public static class WavFile
{
    private const ushort FormatPcm = 1;
    private const ushort FormatFloat = 3;
    private const ushort FormatExtensible = 0xFFFE;

    /// <summary>Writes the buffer as a canonical 44-byte-header WAV. Integer formats are clipped and rounded.</summary>
    public static void Write(Stream output, AudioBuffer audio, WavSampleFormat format)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(audio);
        var bytesPerSample = format switch { WavSampleFormat.Pcm16 => 2, WavSampleFormat.Pcm24 => 3, _ => 4 };
        var dataBytes = (long)audio.Samples.Length * bytesPerSample;
        if (dataBytes > uint.MaxValue - 36)
        {
            throw new ArgumentException($"{audio.Duration:0.0} s of audio does not fit in a WAV file (4 GiB limit).", nameof(audio));
        }
        Span<byte> header = stackalloc byte[44];
        Encoding.ASCII.GetBytes("RIFF", header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)(36 + dataBytes));
        Encoding.ASCII.GetBytes("WAVEfmt ", header[8..]);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], 16);
        BinaryPrimitives.WriteUInt16LittleEndian(header[20..], format == WavSampleFormat.IeeeFloat ? FormatFloat : FormatPcm);
        BinaryPrimitives.WriteUInt16LittleEndian(header[22..], (ushort)audio.Channels);
        BinaryPrimitives.WriteUInt32LittleEndian(header[24..], (uint)audio.SampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(header[28..], (uint)(audio.SampleRate * audio.Channels * bytesPerSample));
        BinaryPrimitives.WriteUInt16LittleEndian(header[32..], (ushort)(audio.Channels * bytesPerSample));
        BinaryPrimitives.WriteUInt16LittleEndian(header[34..], (ushort)(bytesPerSample * 8));
        Encoding.ASCII.GetBytes("data", header[36..]);
        BinaryPrimitives.WriteUInt32LittleEndian(header[40..], (uint)dataBytes);
        output.Write(header);

        var chunk = new byte[bytesPerSample * 4096];
        for (var start = 0; start < audio.Samples.Length; start += 4096)
        {
            var count = Math.Min(4096, audio.Samples.Length - start);
            for (var i = 0; i < count; i++)
            {
                EncodeSample(audio.Samples[start + i], format, chunk.AsSpan(i * bytesPerSample, bytesPerSample));
            }
            output.Write(chunk, 0, count * bytesPerSample);
        }
    }

    /// <summary>Writes a WAV file at <paramref name="path"/>.</summary>
    public static void Write(string path, AudioBuffer audio, WavSampleFormat format)
    {
        using var file = File.Create(path);
        Write(file, audio, format);
    }

    /// <summary>
    /// Reads 16/24/32-bit PCM or 32-bit float WAV (plain or WAVE_FORMAT_EXTENSIBLE). Throws
    /// <see cref="InvalidDataException"/> naming what is wrong for anything else.
    /// </summary>
    public static AudioBuffer Read(Stream input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var reader = new BinaryReader(input, Encoding.ASCII, leaveOpen: true);
        try
        {
            if (new string(reader.ReadChars(4)) != "RIFF")
            {
                throw new InvalidDataException("Not a WAV file: it does not start with RIFF.");
            }
            reader.ReadUInt32();
            if (new string(reader.ReadChars(4)) != "WAVE")
            {
                throw new InvalidDataException("Not a WAV file: the RIFF type is not WAVE.");
            }
            ushort tag = 0, channels = 0, bits = 0;
            uint rate = 0;
            while (true)
            {
                var id = new string(reader.ReadChars(4));
                var size = reader.ReadUInt32();
                if (id == "fmt ")
                {
                    var fmt = reader.ReadBytes(checked((int)size));
                    tag = BinaryPrimitives.ReadUInt16LittleEndian(fmt);
                    channels = BinaryPrimitives.ReadUInt16LittleEndian(fmt.AsSpan(2));
                    rate = BinaryPrimitives.ReadUInt32LittleEndian(fmt.AsSpan(4));
                    bits = BinaryPrimitives.ReadUInt16LittleEndian(fmt.AsSpan(14));
                    if (tag == FormatExtensible && fmt.Length >= 26)
                    {
                        tag = BinaryPrimitives.ReadUInt16LittleEndian(fmt.AsSpan(24));
                    }
                }
                else if (id == "data")
                {
                    if (channels == 0 || rate == 0)
                    {
                        throw new InvalidDataException("The WAV file has no fmt chunk before its data.");
                    }
                    var format = (tag, bits) switch
                    {
                        (FormatPcm, 16) => WavSampleFormat.Pcm16,
                        (FormatPcm, 24) => WavSampleFormat.Pcm24,
                        (FormatFloat, 32) => WavSampleFormat.IeeeFloat,
                        _ => throw new InvalidDataException($"WAV sample format {tag} with {bits} bits is not supported; use 16/24-bit PCM or 32-bit float."),
                    };
                    var bytesPerSample = bits / 8;
                    var data = reader.ReadBytes(checked((int)size));
                    var samples = new float[data.Length / bytesPerSample / channels * channels];
                    for (var i = 0; i < samples.Length; i++)
                    {
                        samples[i] = DecodeSample(data.AsSpan(i * bytesPerSample, bytesPerSample), format);
                    }
                    return new AudioBuffer(samples, (int)rate, channels);
                }
                else
                {
                    reader.BaseStream.Seek(size + (size & 1), SeekOrigin.Current);
                }
            }
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException("The WAV file ends before its data chunk.");
        }
    }

    private static void EncodeSample(float sample, WavSampleFormat format, Span<byte> destination)
    {
        switch (format)
        {
            case WavSampleFormat.Pcm16:
                BinaryPrimitives.WriteInt16LittleEndian(destination, (short)Math.Round(Math.Clamp(sample, -1f, 1f) * short.MaxValue));
                break;
            case WavSampleFormat.Pcm24:
                var value = (int)Math.Round(Math.Clamp(sample, -1f, 1f) * 8_388_607f);
                destination[0] = (byte)value;
                destination[1] = (byte)(value >> 8);
                destination[2] = (byte)(value >> 16);
                break;
            default:
                BinaryPrimitives.WriteSingleLittleEndian(destination, sample);
                break;
        }
    }

    private static float DecodeSample(ReadOnlySpan<byte> source, WavSampleFormat format) => format switch
    {
        WavSampleFormat.Pcm16 => BinaryPrimitives.ReadInt16LittleEndian(source) / 32768f,
        WavSampleFormat.Pcm24 => ((source[0] | (source[1] << 8) | (source[2] << 16)) << 8 >> 8) / 8_388_608f,
        _ => BinaryPrimitives.ReadSingleLittleEndian(source),
    };
}
