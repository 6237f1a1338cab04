namespace AceStep.Plugin.Playback;

/// <summary>
/// Generated audio placed on the timeline: planar float samples whose first frame belongs at project sample
/// <see cref="Position"/>. Immutable once built (on a worker or the main thread), so the audio thread can read it
/// while other threads publish, replace or retire takes; the garbage collector frees it once no slot and no block
/// refers to it, which the audio thread never causes because it never allocates.
/// </summary>
internal sealed class Take
{
    /// <summary>Length of the equal-power fades at each edge of a take, in seconds (clamped to half the take).</summary>
    public const double FadeSeconds = 0.005;

    private readonly float[][] _channels;

    private Take(long position, double sampleRate, float[][] channels, int frames)
    {
        Position = position;
        SampleRate = sampleRate;
        _channels = channels;
        Frames = frames;
        FadeFrames = (int)Math.Min(Math.Round(FadeSeconds * sampleRate, MidpointRounding.AwayFromZero), frames / 2);
    }

    /// <summary>Project sample of the first frame.</summary>
    public long Position { get; }

    /// <summary>The rate the take was rendered at; it plays only when the host runs at this rate.</summary>
    public double SampleRate { get; }

    /// <summary>Frames per channel.</summary>
    public int Frames { get; }

    /// <summary>Project sample after the last frame.</summary>
    public long End => Position + Frames;

    /// <summary>Channels (1 or 2).</summary>
    public int Channels => _channels.Length;

    /// <summary>Frames faded in at the start and out at the end.</summary>
    public int FadeFrames { get; }

    /// <summary>The samples of channel <paramref name="channel"/>.</summary>
    public ReadOnlySpan<float> Channel(int channel) => _channels[channel];

    /// <summary>Builds a take from interleaved samples (frame-major).</summary>
    /// <param name="position">Project sample of the first frame (≥ 0).</param>
    /// <param name="sampleRate">The rate it was rendered at.</param>
    /// <param name="channels">Channels per frame (1 or 2).</param>
    /// <param name="interleaved">Samples; the length must be a positive multiple of <paramref name="channels"/>.</param>
    public static Take FromInterleaved(long position, double sampleRate, int channels, ReadOnlySpan<float> interleaved)
    {
        Validate(position, sampleRate, channels, interleaved.Length);
        int frames = interleaved.Length / channels;
        var planar = Allocate(channels, frames);
        for (int i = 0; i < frames; i++)
        {
            for (int c = 0; c < channels; c++)
            {
                planar[c][i] = interleaved[(i * channels) + c];
            }
        }

        return new Take(position, sampleRate, planar, frames);
    }

    /// <summary>Builds a take from planar samples (all of channel 0, then all of channel 1).</summary>
    /// <param name="position">Project sample of the first frame (≥ 0).</param>
    /// <param name="sampleRate">The rate it was rendered at.</param>
    /// <param name="channels">Channels (1 or 2).</param>
    /// <param name="planar">Samples; the length must be a positive multiple of <paramref name="channels"/>.</param>
    public static Take FromPlanar(long position, double sampleRate, int channels, ReadOnlySpan<float> planar)
    {
        Validate(position, sampleRate, channels, planar.Length);
        int frames = planar.Length / channels;
        var buffers = Allocate(channels, frames);
        for (int c = 0; c < channels; c++)
        {
            planar.Slice(c * frames, frames).CopyTo(buffers[c]);
        }

        return new Take(position, sampleRate, buffers, frames);
    }

    private static float[][] Allocate(int channels, int frames)
    {
        var buffers = new float[channels][];
        for (int c = 0; c < channels; c++)
        {
            buffers[c] = new float[frames];
        }

        return buffers;
    }

    private static void Validate(long position, double sampleRate, int channels, int samples)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        if (!(sampleRate > 0) || !double.IsFinite(sampleRate))
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRate), "The sample rate must be positive.");
        }

        if (channels is < 1 or > 2)
        {
            throw new ArgumentOutOfRangeException(nameof(channels), "A take has one or two channels.");
        }

        if (samples <= 0 || samples % channels != 0)
        {
            throw new ArgumentException("A take needs at least one whole frame.", nameof(samples));
        }
    }
}
