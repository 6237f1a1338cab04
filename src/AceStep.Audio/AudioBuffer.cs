namespace AceStep.Audio;

/// <summary>Interleaved float32 audio with its rate and channel count.</summary>
public sealed class AudioBuffer
{
    /// <summary>Wraps interleaved samples; the length must be a whole number of frames.</summary>
    public AudioBuffer(float[] interleaved, int sampleRate, int channels)
    {
        ArgumentNullException.ThrowIfNull(interleaved);
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        if (interleaved.Length % channels != 0)
        {
            throw new ArgumentException($"{interleaved.Length} samples are not a whole number of {channels}-channel frames.", nameof(interleaved));
        }
        Samples = interleaved;
        SampleRate = sampleRate;
        Channels = channels;
    }

    /// <summary>Interleaved samples, nominally in [-1, 1].</summary>
    public float[] Samples { get; }

    /// <summary>Frames per second.</summary>
    public int SampleRate { get; }

    /// <summary>Channels per frame.</summary>
    public int Channels { get; }

    /// <summary>Number of frames.</summary>
    public int Frames => Samples.Length / Channels;

    /// <summary>Length in seconds.</summary>
    public double Duration => (double)Frames / SampleRate;
}
