namespace AceStep.Engine.Generation;

/// <summary>
/// The generator of an engine built without model pipelines, or whose weights are not installed: every model is
/// unavailable, with a message that says where the engine looked.
/// </summary>
public sealed class NoModelGenerator : IAudioGenerator
{
    private readonly string _modelsDirectory;

    /// <summary>Creates the generator; <paramref name="modelsDirectory"/> is named in its messages.</summary>
    public NoModelGenerator(string modelsDirectory) => _modelsDirectory = modelsDirectory;

    /// <inheritdoc />
    public string? WhyUnavailable(string model) =>
        $"The model '{model}' is not installed: no ACE-Step v1.5 checkpoint was found in {_modelsDirectory}, and this " +
        "engine build has no model pipeline yet. Install the checkpoints there when the model release lands " +
        "(see README, 'Model weights').";

    /// <inheritdoc />
    public Task<IReadOnlyList<GeneratedAudio>> GenerateAsync(GenerationJob job, IProgress<GenerationProgress> progress,
        CancellationToken cancellationToken) =>
        throw new InvalidOperationException(WhyUnavailable(job.Request.Model));
}
