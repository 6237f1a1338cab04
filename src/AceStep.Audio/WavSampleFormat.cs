namespace AceStep.Audio;

/// <summary>Sample encodings <see cref="WavFile"/> writes and reads.</summary>
public enum WavSampleFormat
{
    /// <summary>16-bit signed integer PCM.</summary>
    Pcm16,

    /// <summary>24-bit signed integer PCM (the API's WAV output).</summary>
    Pcm24,

    /// <summary>32-bit IEEE float.</summary>
    IeeeFloat,
}
