using AceStep.Audio;
using AceStep.Pipes;

namespace AceStep.Engine.Host.Sessions;

/// <summary>Turns a take's PCM_F32 attachment into the WAV the page auditions.</summary>
public static class TakeAudio
{
    /// <summary>Longest take kept for auditioning, seconds (longer audio is refused, not cut).</summary>
    public const double MaxSeconds = 20 * 60;

    /// <summary>
    /// A 16-bit WAV of the interleaved float samples: half the memory of float WAV, and plenty for listening in a
    /// browser (the plugin keeps the full-resolution file).
    /// </summary>
    /// <exception cref="ArgumentException">The bytes are not whole float frames, or the format is out of range.</exception>
    public static byte[] ToWav(ReadOnlySpan<byte> pcmF32, int sampleRate, int channels)
    {
        if (sampleRate is < 8_000 or > 384_000 || channels is not (1 or 2))
        {
            throw new ArgumentException("A take's PCM attachment must declare sampleRate 8000–384000 and channels 1 or 2.");
        }
        if (pcmF32.Length % sizeof(float) != 0)
        {
            throw new ArgumentException($"{pcmF32.Length} bytes are not a whole number of float32 samples.");
        }
        var samples = Attachments.ToSamples(pcmF32);
        if (samples.Length == 0 || samples.Length % channels != 0)
        {
            throw new ArgumentException($"The take's PCM attachment is not a whole, non-empty number of {channels}-channel frames.");
        }
        var audio = new AudioBuffer(samples, sampleRate, channels);
        if (audio.Duration > MaxSeconds)
        {
            throw new ArgumentException($"The take is {audio.Duration:0} s long; takes up to {MaxSeconds:0} s can be auditioned.");
        }
        using var wav = new MemoryStream(44 + samples.Length * 2);
        WavFile.Write(wav, audio, WavSampleFormat.Pcm16);
        return wav.ToArray();
    }
}
