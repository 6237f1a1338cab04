namespace AceStep.Engine.ModelStore;

/// <summary>Where a model stands on disk.</summary>
public enum InstallState
{
    /// <summary>Nothing of it is on disk.</summary>
    Missing,

    /// <summary>Some of it is on disk, but not a complete install (an interrupted pull, a removed file, no manifest).</summary>
    Partial,

    /// <summary>A manifest describes it and every file is there with its recorded size.</summary>
    Installed,
}

/// <summary>One line of <see cref="ModelInventory.List"/>.</summary>
/// <param name="Model">The catalogue entry.</param>
/// <param name="Directory">Its folder.</param>
/// <param name="State">Where it stands.</param>
/// <param name="SizeBytes">Its full size: the manifest's when installed, else the catalogue's estimate.</param>
/// <param name="BytesOnDisk">What its folder holds now, part files included.</param>
/// <param name="Revision">The installed commit, when known.</param>
/// <param name="Problem">Why it is not <see cref="InstallState.Installed"/>; null when it is, or when nothing is there.</param>
public sealed record ModelStatus(ModelEntry Model, string Directory, InstallState State, long SizeBytes, long BytesOnDisk,
    string? Revision, string? Problem);

/// <summary>What is installed, and removing it.</summary>
public sealed class ModelInventory
{
    private readonly ModelLayout _layout;

    /// <summary>Creates the inventory of <paramref name="layout"/>.</summary>
    public ModelInventory(ModelLayout layout) => _layout = layout ?? throw new ArgumentNullException(nameof(layout));

    /// <summary>Every catalogue entry with its state, in catalogue order. Reads sizes only; never hashes.</summary>
    public IReadOnlyList<ModelStatus> List() => [.. _layout.Catalogue.Entries.Select(Status)];

    /// <summary>The state of one model; throws <see cref="UnknownModelException"/>.</summary>
    public ModelStatus Status(string modelId) => Status(_layout.Catalogue.Get(modelId));

    /// <summary>
    /// Deletes the model's folder. Returns false when there was nothing to delete. Throws
    /// <see cref="UnknownModelException"/> and <see cref="ModelBusyException"/> (a pull of it is running).
    /// </summary>
    public bool Remove(string modelId)
    {
        var model = _layout.Catalogue.Get(modelId);
        var directory = _layout.DirectoryOf(model);
        using var modelLock = ModelLock.Acquire(model, directory);
        if (!Directory.Exists(directory))
        {
            return false;
        }
        // The manifest goes first: if deleting the rest fails half-way, the folder must not still look installed.
        ModelManifest.Delete(directory);
        Directory.Delete(directory, recursive: true);
        return true;
    }

    private ModelStatus Status(ModelEntry model)
    {
        var directory = _layout.DirectoryOf(model);
        var onDisk = Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Sum(p => new FileInfo(p).Length)
            : 0;
        var hasAnything = Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any();
        if (!hasAnything)
        {
            return new ModelStatus(model, directory, InstallState.Missing, model.ApproximateBytes, 0, null, null);
        }
        var manifest = ModelManifest.TryRead(directory);
        var problem = ModelLayout.InstallProblem(model, directory, manifest);
        return problem is null
            ? new ModelStatus(model, directory, InstallState.Installed, manifest!.TotalBytes, onDisk, manifest.Revision, null)
            : new ModelStatus(model, directory, InstallState.Partial, manifest?.TotalBytes ?? model.ApproximateBytes, onDisk, manifest?.Revision, problem);
    }
}
