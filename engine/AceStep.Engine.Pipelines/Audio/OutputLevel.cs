namespace AceStep.Engine.Pipelines.Audio;

/// <summary>
/// Output level handling of generated audio (spec §9.8): anti-clipping (divide by the peak when it exceeds 1) and peak
/// normalisation to −1 dBFS, as upstream's current default. Interleaved stereo float samples, modified in place.
/// </summary>
public static class OutputLevel
{
    /// <summary>Peak target: −1 dBFS.</summary>
    public static readonly float TargetPeak = (float)Math.Pow(10, -1.0 / 20.0);

    private const float SilenceThreshold = 1e-6f;

    /// <summary>Peak-normalises <paramref name="samples"/> to −1 dBFS; near-silence (peak &lt; 1e-6) is left alone.</summary>
    public static void Normalize(Span<float> samples)
    {
        var peak = Peak(samples);
        if (peak < SilenceThreshold)
            return;
        Scale(samples, TargetPeak / peak);
    }

    /// <summary>Divides by the peak if it exceeds 1, so nothing clips; quieter audio is untouched.</summary>
    public static void AntiClip(Span<float> samples)
    {
        var peak = Peak(samples);
        if (peak > 1f)
            Scale(samples, 1f / peak);
    }

    /// <summary>The largest absolute sample.</summary>
    public static float Peak(ReadOnlySpan<float> samples)
    {
        var peak = 0f;
        foreach (var s in samples)
            peak = Math.Max(peak, Math.Abs(s));
        return peak;
    }

    private static void Scale(Span<float> samples, float gain)
    {
        for (var i = 0; i < samples.Length; i++)
            samples[i] *= gain;
    }
}
