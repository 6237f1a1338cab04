namespace AceStep.Engine.Generation;

/// <summary>
/// Turns one validated <c>audioInference</c> task into audio. Implemented by the model pipelines; the task queue
/// calls it for one job at a time.
/// </summary>
public interface IAudioGenerator
{
    /// <summary>
    /// Null when <paramref name="model"/> can run now; otherwise a message for the user saying what is missing and
    /// how to install it (answered as <c>modelNotFound</c> before the task is queued).
    /// </summary>
    string? WhyUnavailable(string model);

    /// <summary>
    /// Generates <see cref="GenerationJob.Seeds"/>.Count results, one per seed, in seed order. Reports progress as
    /// it goes and stops promptly (throwing <see cref="OperationCanceledException"/>) when cancelled.
    /// </summary>
    Task<IReadOnlyList<GeneratedAudio>> GenerateAsync(GenerationJob job, IProgress<GenerationProgress> progress,
        CancellationToken cancellationToken);
}
