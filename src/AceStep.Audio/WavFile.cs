using System.Buffers.Binary;
using System.Text;
using NAudio.Wave;

namespace AceStep.Audio;

/// <summary>
/// RIFF/WAVE reading and writing, done in-process (FFmpeg is only needed for compressed formats). Reading and its
/// sample decoding are NAudio's; writing is ours, because NAudio's writer needs a seekable stream, writes float files
/// with a 58-byte header and wraps 16-bit samples beyond full scale instead of clipping them (docs/audio.md).
/// </summary>
public static class WavFile
{
    private const ushort FormatPcm = 1;
    private const ushort FormatFloat = 3;

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
    /// Reads 8/16/24/32-bit integer PCM or 32-bit float WAV (plain or WAVE_FORMAT_EXTENSIBLE, any chunk order NAudio's
    /// <see cref="WaveFileReader"/> accepts) as float samples. Throws <see cref="InvalidDataException"/> naming what is
    /// wrong for anything else. The stream is left open.
    /// </summary>
    public static AudioBuffer Read(Stream input)
    {
        ArgumentNullException.ThrowIfNull(input);
        WaveFileReader reader;
        try
        {
            reader = new WaveFileReader(input);
        }
        catch (Exception e) when (e is FormatException or EndOfStreamException)
        {
            throw new InvalidDataException($"Not a readable WAV file: {e.Message}.", e);
        }
        using (reader)
        {
            var format = reader.WaveFormat;
            if (format.Channels < 1 || format.SampleRate < 1 || format.BlockAlign < 1)
            {
                throw new InvalidDataException($"The WAV file's fmt chunk is invalid ({format.Channels} channels, {format.SampleRate} Hz, block {format.BlockAlign}).");
            }
            ISampleProvider samples;
            try
            {
                samples = reader.ToSampleProvider();
            }
            catch (ArgumentException)
            {
                throw new InvalidDataException(
                    $"WAV sample format {format.Encoding} with {format.BitsPerSample} bits is not supported; use 8/16/24/32-bit PCM or 32-bit float.");
            }
            return new AudioBuffer(ReadAll(samples, FramesPresent(reader, input), format.Channels), format.SampleRate, format.Channels);
        }
    }

    // The frames the file really holds: the data chunk's declared size, but never more than the bytes after it, so a
    // small file that claims gigabytes costs no more memory than its length (a truncated file reads what is there).
    private static long FramesPresent(WaveFileReader reader, Stream input)
    {
        var bytes = reader.Length;
        if (input.CanSeek)
        {
            bytes = Math.Min(bytes, Math.Max(0, input.Length - input.Position));
        }
        var frames = bytes / reader.WaveFormat.BlockAlign;
        if (frames * reader.WaveFormat.Channels > Array.MaxLength)
        {
            throw new InvalidDataException($"The WAV file's {frames} frames do not fit in memory as one buffer.");
        }
        return frames;
    }

    private static float[] ReadAll(ISampleProvider provider, long frames, int channels)
    {
        var samples = new float[frames * channels];
        var filled = 0;
        while (filled < samples.Length)
        {
            var read = provider.Read(samples.AsSpan(filled, Math.Min(samples.Length - filled, 1 << 16)));
            if (read <= 0)
            {
                break;
            }
            filled += read;
        }
        // A data chunk cut short keeps its whole frames, as a DAW would.
        var whole = filled / channels * channels;
        return whole == samples.Length ? samples : samples[..whole];
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
}
