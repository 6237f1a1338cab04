namespace AceStep.Contracts.Tasks;

/// <summary>One model id the engine accepts for <c>audioInference</c>, with what sets it apart.</summary>
/// <param name="Id">The <c>model</c> value, e.g. <c>runware:ace-step@v1.5-base</c>.</param>
/// <param name="IsTurbo">
/// A guidance-distilled (turbo) model: it has no classifier-free guidance, so it rejects <c>CFGScale</c>,
/// <c>negativePrompt</c> and <c>settings.guidanceType</c> (<c>unsupported&lt;Param&gt;</c>).
/// </param>
/// <param name="DefaultSteps">The <c>steps</c> used when the task gives none.</param>
public sealed record AudioModel(string Id, bool IsTurbo, int DefaultSteps);

/// <summary>The model ids a validator accepts. The engine may offer more than <see cref="Default"/>.</summary>
public sealed class AudioModelCatalog
{
    /// <summary>ACE-Step v1.5 base: the model of the seed document (100 steps, guidance on).</summary>
    public static readonly AudioModel Base = new("runware:ace-step@v1.5-base", IsTurbo: false, DefaultSteps: 100);

    /// <summary>ACE-Step v1.5 turbo: distilled, 8 steps, no guidance.</summary>
    public static readonly AudioModel Turbo = new("runware:ace-step@v1.5-turbo", IsTurbo: true, DefaultSteps: 8);

    /// <summary>What the engine serves: <see cref="Base"/> (the seed document's model) and <see cref="Turbo"/>.</summary>
    public static readonly AudioModelCatalog Default = new([Base, Turbo]);

    private readonly AudioModel[] _models;

    /// <summary>A catalog of the given models (ids compared exactly, as the seed spells them).</summary>
    public AudioModelCatalog(IEnumerable<AudioModel> models)
    {
        ArgumentNullException.ThrowIfNull(models);
        _models = models.ToArray();
        if (_models.Length == 0)
        {
            throw new ArgumentException("A catalog needs at least one model.", nameof(models));
        }
    }

    /// <summary>The models, in the order given.</summary>
    public IReadOnlyList<AudioModel> Models => _models;

    /// <summary>The model with this id, or null.</summary>
    public AudioModel? Find(string id)
    {
        foreach (var model in _models)
        {
            if (string.Equals(model.Id, id, StringComparison.Ordinal))
            {
                return model;
            }
        }
        return null;
    }

    /// <summary>This catalog plus <paramref name="model"/>.</summary>
    public AudioModelCatalog With(AudioModel model) => new([.. _models, model]);
}
