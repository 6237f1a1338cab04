namespace AceStep.Engine.Analysis;

/// <summary>
/// Onset strength over time: spectral flux of the log-compressed magnitude spectrum (only rises count, so a note's
/// decay adds nothing), with a moving local mean subtracted and the rest half-wave rectified again, which keeps the
/// attacks and drops slow swells of loudness.
/// </summary>
internal static class OnsetEnvelope
{
    /// <summary>Frame size: at 16 kHz, 64 ms, short enough to separate sixteenth notes at 240 BPM.</summary>
    public const int FrameSize = 1024;

    /// <summary>Hop: at 16 kHz, 16 ms (62.5 frames per second).</summary>
    public const int Hop = 256;

    // log(1 + γ·|X|/fullScale). A mild γ keeps loud attacks (kick, snare, chord changes) ahead of soft off-beat hi-hats;
    // γ = 100…1000 made the hats as strong as the beats, and straight eighths at 60–90 BPM then read as double time.
    // Measured on the synthetic sets in docs/analysis.md.
    private const float Compression = 10f;

    // Local mean window in frames (about 0.5 s either side).
    private const int MeanRadius = 16;

    /// <summary>The envelope (one value per frame) and its frame rate.</summary>
    public static (float[] Envelope, double FrameRate) Compute(float[] signal, double sampleRate, CancellationToken cancellationToken)
    {
        var stft = new SpectrumFrames(FrameSize, Hop);
        var frames = stft.FrameCount(signal.Length);
        var flux = new float[frames];
        var previous = new float[stft.Bins];
        var scale = Compression / stft.FullScale;
        var first = true;
        stft.Run(signal, (frame, magnitude) =>
        {
            var rise = 0f;
            for (var k = 1; k < magnitude.Length; k++)
            {
                var value = MathF.Log(1 + scale * magnitude[k]);
                var difference = value - previous[k];
                if (difference > 0)
                {
                    rise += difference;
                }
                previous[k] = value;
            }
            // The first frame rises from nothing; it is not an onset.
            flux[frame] = first ? 0 : rise;
            first = false;
        }, cancellationToken);
        return (SubtractLocalMean(flux), sampleRate / Hop);
    }

    private static float[] SubtractLocalMean(float[] flux)
    {
        var result = new float[flux.Length];
        double window = 0;
        var count = 0;
        // Running sum over [i - radius, i + radius].
        for (var i = 0; i < Math.Min(MeanRadius, flux.Length); i++)
        {
            window += flux[i];
            count++;
        }
        for (var i = 0; i < flux.Length; i++)
        {
            var enter = i + MeanRadius;
            if (enter < flux.Length)
            {
                window += flux[enter];
                count++;
            }
            var leave = i - MeanRadius - 1;
            if (leave >= 0)
            {
                window -= flux[leave];
                count--;
            }
            result[i] = Math.Max(0, flux[i] - (float)(window / count));
        }
        return result;
    }
}
