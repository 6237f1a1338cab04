using AceStep.Audio;

namespace AceStep.Engine.Generation;

/// <summary>
/// A generator without a model, for checking a DAW, plugin or API integration before downloading the weights:
/// each result is a quiet sine (its pitch set by the seed) as long as the source or the asked duration, produced
/// in the request's number of steps with a fixed pause per step, so progress and cancel behave as with the model.
/// The engine uses it only when started with <c>--diagnostic-tone</c>.
/// </summary>
public sealed class ToneGenerator : IAudioGenerator
{
    private readonly TimeSpan _perStep;

    /// <summary>Creates the generator; <paramref name="perStep"/> is the pause per denoising step.</summary>
    public ToneGenerator(TimeSpan perStep) => _perStep = perStep;

    /// <inheritdoc />
    public string? WhyUnavailable(string model) => null;

    /// <inheritdoc />
    public async Task<IReadOnlyList<GeneratedAudio>> GenerateAsync(GenerationJob job, IProgress<GenerationProgress> progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(progress);
        for (var step = 1; step <= job.Request.Steps; step++)
        {
            await Task.Delay(_perStep, cancellationToken);
            progress.Report(new GenerationProgress((double)step / job.Request.Steps, "diffusion"));
        }
        var seconds = job.Source is { } source ? Extended(job.Request, source.Duration) : job.Request.Duration;
        return job.Seeds.Select(seed => new GeneratedAudio(Tone(220.0 + seed % 440, seconds), seed)).ToArray();
    }

    // A repaint may extend the source before and after, as the model does.
    private static double Extended(Contracts.Tasks.AudioInferenceRequest request, double sourceSeconds)
    {
        var (before, after) = request.RepaintExtension(sourceSeconds);
        return sourceSeconds + before + after;
    }

    private static AudioBuffer Tone(double hz, double seconds)
    {
        const int rate = 48_000;
        var frames = (int)Math.Round(seconds * rate);
        var samples = new float[frames * 2];
        for (var i = 0; i < frames; i++)
        {
            samples[2 * i] = samples[2 * i + 1] = 0.2f * (float)Math.Sin(2 * Math.PI * hz * i / rate);
        }
        return new AudioBuffer(samples, rate, 2);
    }
}
