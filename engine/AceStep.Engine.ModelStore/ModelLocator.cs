namespace AceStep.Engine.ModelStore;

/// <summary>
/// How the engine finds a model's folder: installed and complete according to its manifest, or a
/// <see cref="ModelNotInstalledException"/> that tells the user the command to run.
/// </summary>
public sealed class ModelLocator
{
    private readonly ModelLayout _layout;

    /// <summary>Creates the locator over <paramref name="layout"/>.</summary>
    public ModelLocator(ModelLayout layout) => _layout = layout ?? throw new ArgumentNullException(nameof(layout));

    /// <summary>A locator over <paramref name="modelsDirectory"/> and the official catalogue.</summary>
    public ModelLocator(string modelsDirectory)
        : this(new ModelLayout(modelsDirectory))
    {
    }

    /// <summary>The models directory searched.</summary>
    public string ModelsDirectory => _layout.Root;

    /// <summary>
    /// The folder of <paramref name="modelId"/> (e.g. <c>acestep-v15-base</c>, <c>vae</c>, <c>Qwen3-Embedding-0.6B</c>),
    /// in the official <c>checkpoints/&lt;name&gt;/</c> layout. Checks that the manifest's files are present with their
    /// sizes (not their hashes: that is <c>acestep models verify</c>). Throws <see cref="ModelNotInstalledException"/>
    /// naming the pull command, or <see cref="UnknownModelException"/>.
    /// </summary>
    public string Locate(string modelId)
    {
        var model = _layout.Catalogue.Get(modelId);
        var directory = _layout.DirectoryOf(model);
        var problem = ModelLayout.InstallProblem(model, directory, ModelManifest.TryRead(directory));
        return problem is null ? directory : throw new ModelNotInstalledException(model, directory, problem);
    }

    /// <summary>Like <see cref="Locate"/>, without throwing for a model that is not installed.</summary>
    public bool TryLocate(string modelId, out string directory)
    {
        var model = _layout.Catalogue.Get(modelId);
        directory = _layout.DirectoryOf(model);
        return ModelLayout.InstallProblem(model, directory, ModelManifest.TryRead(directory)) is null;
    }
}
