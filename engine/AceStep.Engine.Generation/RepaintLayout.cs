using AceStep.Contracts.Tasks;

namespace AceStep.Engine.Generation;

/// <summary>
/// Where a repaint's result lies, in samples at the model's rate: silence prepended for a negative start, appended for an
/// end past the source (spec §9.4 step 1), the span to regenerate, and the waveform crossfade inside its edges. The model
/// pipeline and the diagnostic tone both lay a repaint out with this, so their results have the same length and the
/// same splice, sample for sample.
/// </summary>
/// <param name="LeftPadSamples">Silence before the source.</param>
/// <param name="RightPadSamples">Silence after the source.</param>
/// <param name="OutputSamples">The result's length: pads plus source.</param>
/// <param name="SpanStartSample">First sample of the span, in the result.</param>
/// <param name="SpanEndSample">End of the span (exclusive), in the result.</param>
/// <param name="WaveCrossfadeSamples">Linear crossfade inside each span edge that borders source audio.</param>
public sealed record RepaintLayout(int LeftPadSamples, int RightPadSamples, int OutputSamples, int SpanStartSample, int SpanEndSample,
    int WaveCrossfadeSamples)
{
    /// <summary>Waveform crossfade at full strength (50 ms) and the floor that keeps a hard cut from clicking (10 ms).</summary>
    public const double MaxWaveCrossfadeSeconds = 0.05, MinWaveCrossfadeSeconds = 0.01;

    /// <summary>
    /// The layout of <paramref name="request"/> (a repaint) over a source of <paramref name="sourceSamples"/> samples at
    /// <paramref name="sampleRate"/>. Throws <see cref="ArgumentException"/> when the span is empty or covers no sample.
    /// </summary>
    public static RepaintLayout For(AudioInferenceRequest request, int sourceSamples, int sampleRate)
    {
        ArgumentNullException.ThrowIfNull(request);
        var sourceSeconds = sourceSamples / (double)sampleRate;
        var start = request.Settings.RepaintingStart ?? 0.0;
        var end = request.Settings.RepaintingEnd ?? sourceSeconds;
        if (end <= start)
            throw new ArgumentException($"The repaint span {start}–{end} s is empty.", nameof(request));

        // The appended part ends exactly at `end`, whatever the source's rounding.
        var (before, after) = request.RepaintExtension(sourceSeconds);
        var left = (int)Math.Round(before * sampleRate);
        var right = after > 0 ? (int)Math.Round(end * sampleRate) - sourceSamples : 0;
        var output = left + sourceSamples + right;
        var spanStart = Math.Clamp(left + (int)Math.Round(start * sampleRate), 0, output);
        var spanEnd = Math.Clamp(left + (int)Math.Round(end * sampleRate), 0, output);
        if (spanEnd <= spanStart)
            throw new ArgumentException($"The repaint span {start}–{end} s covers no sample of the source.", nameof(request));
        var crossfade = (int)Math.Round(sampleRate * Math.Max(MinWaveCrossfadeSeconds, MaxWaveCrossfadeSeconds * request.Strength));
        return new RepaintLayout(left, right, output, spanStart, spanEnd, crossfade);
    }

    /// <summary>The interleaved stereo source placed in the result's timeline: pads of silence around it.</summary>
    public float[] Extend(ReadOnlySpan<float> source)
    {
        var extended = new float[OutputSamples * 2];
        source[..Math.Min(source.Length, extended.Length - (LeftPadSamples * 2))].CopyTo(extended.AsSpan(LeftPadSamples * 2));
        return extended;
    }
}
