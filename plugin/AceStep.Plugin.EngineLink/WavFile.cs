using AceStep.Audio;

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
/// Take files: 32-bit float WAV (every DAW reads it and it holds the engine's samples exactly), written whole or not
/// at all, and read back (8/16/24/32-bit PCM too, so a take the user converted still loads). The RIFF coding is the
/// shared <see cref="AceStep.Audio.WavFile"/>; this adds the take's rules on top.
/// </summary>
public static class WavFile
{
    /// <summary>Writes <paramref name="interleaved"/> to <paramref name="path"/> (through a temporary file, so a reader never sees half a take).</summary>
    /// <exception cref="IOException">The folder is not writable.</exception>
    /// <exception cref="ArgumentException">Not whole frames, or too long for a WAV file.</exception>
    public static void Write(string path, float[] interleaved, int sampleRate, int channels)
    {
        var audio = new AudioBuffer(interleaved, sampleRate, channels);
        var temporary = path + ".part";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            AceStep.Audio.WavFile.Write(stream, audio, WavSampleFormat.IeeeFloat);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Reads a take file (float32, or 8/16/24/32-bit PCM).</summary>
    /// <exception cref="InvalidDataException">Not a WAV file the reader understands; the message names the file.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static WavAudio Read(string path)
    {
        using var stream = File.OpenRead(path);
        try
        {
            var audio = AceStep.Audio.WavFile.Read(stream);
            return new WavAudio(audio.Samples, audio.SampleRate, audio.Channels);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }
}
