using AceStep.Audio;

namespace AceStep.Audio.Tests;

public static class Signals
{
    /// <summary>A stereo sine: left at <paramref name="hz"/>, right at 1.5 × hz, so swapped channels show.</summary>
    public static AudioBuffer StereoSine(double hz, int rate, double seconds, float amplitude = 0.5f)
    {
        var frames = (int)(rate * seconds);
        var samples = new float[frames * 2];
        for (var i = 0; i < frames; i++)
        {
            samples[2 * i] = amplitude * (float)Math.Sin(2 * Math.PI * hz * i / rate);
            samples[2 * i + 1] = amplitude * (float)Math.Sin(2 * Math.PI * 1.5 * hz * i / rate);
        }
        return new AudioBuffer(samples, rate, 2);
    }
}
