namespace AceStep.Engine.ModelStore;

/// <summary>What a model is: where it comes from, where it lands, and which of its files the engine needs.</summary>
/// <param name="Id">The name commands and the engine use, e.g. <c>acestep-v15-base</c>; matched without regard to case.</param>
/// <param name="Repository">The Hugging Face model repository, e.g. <c>ACE-Step/acestep-v15-base</c>.</param>
/// <param name="RepositoryFolder">The folder inside <paramref name="Repository"/> that holds the model, or empty when the
/// model is the whole repository.</param>
/// <param name="Description">One line for people.</param>
/// <param name="ApproximateBytes">Download size, for listings before anything is fetched (the real size comes from the hub).</param>
/// <param name="RequiredFiles">Files the engine cannot load the model without, relative to its folder.</param>
public sealed record ModelEntry(
    string Id,
    string Repository,
    string RepositoryFolder,
    string Description,
    long ApproximateBytes,
    IReadOnlyList<RequiredFile> RequiredFiles)
{
    /// <summary>Where the model lands under the models directory: the official <c>checkpoints/&lt;name&gt;/</c> layout, so a
    /// checkout of the Python project and this store can share folders.</summary>
    public string RelativeDirectory => "checkpoints/" + Id;

    /// <summary>The command a person runs to install the model.</summary>
    public string PullCommand => "acestep models pull " + Id;
}

/// <summary>A file a model needs; satisfied by any one of <see cref="AnyOf"/> (e.g. a single or a sharded checkpoint).</summary>
public sealed record RequiredFile(IReadOnlyList<string> AnyOf)
{
    /// <summary>A file that has no alternative.</summary>
    public RequiredFile(string path)
        : this([path])
    {
    }

    /// <summary>True when one of the alternatives is among <paramref name="paths"/>.</summary>
    public bool IsSatisfiedBy(IEnumerable<string> paths) => paths.Any(p => AnyOf.Contains(p, StringComparer.Ordinal));

    /// <inheritdoc />
    public override string ToString() => string.Join(" or ", AnyOf);
}

/// <summary>The models this store knows how to install.</summary>
public sealed class ModelCatalogue
{
    /// <summary>The main repository: the turbo DiT, the 1.7B planner, the VAE and the text encoder in one.</summary>
    public const string MainRepository = "ACE-Step/Ace-Step1.5";

    private readonly Dictionary<string, ModelEntry> _byId;

    /// <summary>Creates a catalogue; ids must be unique without regard to case.</summary>
    public ModelCatalogue(IEnumerable<ModelEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        Entries = [.. entries];
        _byId = Entries.ToDictionary(e => e.Id, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The entries in listing order.</summary>
    public IReadOnlyList<ModelEntry> Entries { get; }

    /// <summary>
    /// The official ACE-Step v1.5 checkpoints. Sizes are from the published files (the 4B planner's is computed from its
    /// parameter count); required files are what the C# loaders read, not the Python helper modules that ship alongside.
    /// </summary>
    public static ModelCatalogue Official { get; } = new(
    [
        Dit("acestep-v15-turbo", MainRepository, "acestep-v15-turbo", "DiT, turbo (8 steps, no CFG); the default"),
        Dit("acestep-v15-base", "ACE-Step/acestep-v15-base", "", "DiT, base (50 steps with CFG; repaint, cover, extract)"),
        Dit("acestep-v15-sft", "ACE-Step/acestep-v15-sft", "", "DiT, supervised fine-tune of base"),
        Planner("acestep-5Hz-lm-1.7B", MainRepository, "acestep-5Hz-lm-1.7B", 3_708_521_528, "5 Hz planner LM, 1.7B; the default"),
        Planner("acestep-5Hz-lm-0.6B", "ACE-Step/acestep-5Hz-lm-0.6B", "", 1_325_804_024, "5 Hz planner LM, 0.6B (small GPUs)"),
        Planner("acestep-5Hz-lm-4B", "ACE-Step/acestep-5Hz-lm-4B", "", 8_380_000_000, "5 Hz planner LM, 4B (best plans, most memory)"),
        new ModelEntry("vae", MainRepository, "vae", "Audio VAE (Oobleck, 48 kHz stereo)", 337_431_813,
            [new("config.json"), new("diffusion_pytorch_model.safetensors")]),
        new ModelEntry("Qwen3-Embedding-0.6B", MainRepository, "Qwen3-Embedding-0.6B", "Text encoder for captions and lyrics",
            1_191_586_416 + 11_500_000, [new("config.json"), new("model.safetensors"), new("tokenizer.json")]),
    ]);

    /// <summary>The entry for <paramref name="id"/>; throws <see cref="UnknownModelException"/> naming the known ids.</summary>
    public ModelEntry Get(string id) =>
        TryGet(id, out var entry) ? entry : throw new UnknownModelException(id, Entries.Select(e => e.Id).ToList());

    /// <summary>Looks <paramref name="id"/> up without regard to case.</summary>
    public bool TryGet(string id, out ModelEntry entry) => _byId.TryGetValue(id, out entry!);

    private static ModelEntry Dit(string id, string repository, string folder, string description) =>
        new(id, repository, folder, description, 4_787_825_604 + 3_841_215 + 2_000,
            [new("config.json"), new("model.safetensors"), new("silence_latent.pt")]);

    // Sharded alternatives are accepted for the planners: the 4B checkpoint is big enough that it may ship in shards.
    private static ModelEntry Planner(string id, string repository, string folder, long weights, string description) =>
        new(id, repository, folder, description, weights + 20_000_000,
            [new("config.json"), new(["model.safetensors", "model.safetensors.index.json"]), new("tokenizer.json")]);
}
