using AceStep.Audio;

namespace AceStep.Engine.Analysis;

/// <summary>
/// Estimates the key and tempo of a piece of audio (any rate and channel count; the engine passes 48 kHz stereo).
/// Stateless and thread-safe: every call allocates its own buffers. Ten minutes of audio take about a second or two
/// of CPU (docs/analysis.md); key and tempo run side by side on two threads.
/// </summary>
public static class AudioAnalyzer
{
    /// <summary>The shortest audio analysed, in seconds: a few beats and at least one chord change.</summary>
    public const double MinimumSeconds = 3;

    /// <summary>
    /// Analyses <paramref name="audio"/>. A result with a null key or tempo means none was found (silence, noise,
    /// no steady pulse); throws <see cref="AudioTooShortException"/> under <see cref="MinimumSeconds"/>.
    /// </summary>
    public static AudioAnalysis Analyze(AudioBuffer audio, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(audio);
        if (audio.Duration < MinimumSeconds)
        {
            throw new AudioTooShortException(audio.Duration);
        }
        var (signal, rate) = AnalysisSignal.From(audio, cancellationToken);
        KeyEstimate? key = null;
        TempoEstimate? tempo = null;
        Parallel.Invoke(new ParallelOptions { CancellationToken = cancellationToken },
            () => key = KeyEstimator.Estimate(signal, rate, cancellationToken),
            () => tempo = TempoEstimator.Estimate(signal, rate, cancellationToken));
        return new AudioAnalysis(key!, tempo!, audio.Duration);
    }
}
