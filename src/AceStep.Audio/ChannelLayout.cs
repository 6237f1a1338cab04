namespace AceStep.Audio;

/// <summary>
/// Mono ↔ stereo at unity gain: mono is duplicated onto both sides and stereo is averaged, so a mono take that goes
/// through the model and back is unchanged in level, and the untouched parts of a repaint stay sample-exact.
/// (FFmpeg's default matrix is equal-power, −3 dB per side, which would change both.)
/// </summary>
public static class ChannelLayout
{
    /// <summary>The audio with <paramref name="channels"/> (1 or 2) channels; the same buffer when it already has them.</summary>
    public static AudioBuffer To(AudioBuffer audio, int channels)
    {
        ArgumentNullException.ThrowIfNull(audio);
        if (audio.Channels == channels)
        {
            return audio;
        }
        var frames = audio.Frames;
        var source = audio.Samples;
        switch (audio.Channels, channels)
        {
            case (1, 2):
                var stereo = new float[frames * 2];
                for (var i = 0; i < frames; i++)
                {
                    stereo[2 * i] = stereo[2 * i + 1] = source[i];
                }
                return new AudioBuffer(stereo, audio.SampleRate, 2);
            case (2, 1):
                var mono = new float[frames];
                for (var i = 0; i < frames; i++)
                {
                    mono[i] = 0.5f * (source[2 * i] + source[2 * i + 1]);
                }
                return new AudioBuffer(mono, audio.SampleRate, 1);
            default:
                throw new ArgumentOutOfRangeException(nameof(channels), channels,
                    $"Only mono and stereo convert here; {audio.Channels} → {channels} channels is FFmpeg's job.");
        }
    }
}
