using AceStep.Audio;
using AceStep.Contracts.Tasks;
using AceStep.Engine.Generation;

namespace AceStep.Engine.Host.Tests;

/// <summary>
/// Stands in for the model: a sine per result (frequency from the seed, so results differ), as long as the
/// request's duration or its source. It reports progress per step, can be held at a gate, and can be told to fail.
/// </summary>
public sealed class TestGenerator : IAudioGenerator
{
    private readonly List<Guid> _started = [];

    public SemaphoreSlim? Gate { get; set; }

    public int Steps { get; set; } = 4;

    public Exception? FailWith { get; set; }

    public GenerationJob? LastJob { get; private set; }

    public IReadOnlyList<Guid> Started
    {
        get
        {
            lock (_started)
            {
                return [.. _started];
            }
        }
    }

    public string? WhyUnavailable(string model) => null;

    public async Task<IReadOnlyList<GeneratedAudio>> GenerateAsync(GenerationJob job, IProgress<GenerationProgress> progress, CancellationToken cancellationToken)
    {
        lock (_started)
        {
            _started.Add(job.Request.TaskUuid);
        }
        LastJob = job;
        if (Gate is not null)
        {
            await Gate.WaitAsync(cancellationToken);
        }
        for (var step = 1; step <= Steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            progress.Report(new GenerationProgress((double)step / Steps, "diffusion"));
        }
        if (FailWith is not null)
        {
            throw FailWith;
        }
        var seconds = job.Source?.Duration ?? job.Request.Duration;
        return job.Seeds.Select(seed => new GeneratedAudio(Sine(220 + seed % 400, seconds), seed)).ToArray();
    }

    public static AudioBuffer Sine(double hz, double seconds, int rate = 48_000)
    {
        var frames = (int)Math.Round(seconds * rate);
        var samples = new float[frames * 2];
        for (var i = 0; i < frames; i++)
        {
            samples[2 * i] = samples[2 * i + 1] = 0.25f * (float)Math.Sin(2 * Math.PI * hz * i / rate);
        }
        return new AudioBuffer(samples, rate, 2);
    }
}
