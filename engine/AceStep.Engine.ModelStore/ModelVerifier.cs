namespace AceStep.Engine.ModelStore;

/// <summary>What is wrong with one file.</summary>
public enum FileProblemKind
{
    /// <summary>The manifest lists it and it is not there.</summary>
    Missing,

    /// <summary>Its size differs from the manifest's.</summary>
    WrongSize,

    /// <summary>Its SHA-256 differs from the manifest's: it was changed or damaged after install.</summary>
    WrongHash,

    /// <summary>The model needs it and the manifest does not list it.</summary>
    RequiredMissing,
}

/// <summary>One bad file found by <see cref="ModelVerifier.VerifyAsync"/>.</summary>
/// <param name="Path">Relative to the model's folder.</param>
/// <param name="Kind">What is wrong.</param>
/// <param name="Detail">Expected against found, for people.</param>
public sealed record FileProblem(string Path, FileProblemKind Kind, string Detail);

/// <summary>The outcome of a verify.</summary>
/// <param name="Model">The model.</param>
/// <param name="Directory">Its folder.</param>
/// <param name="Manifest">The manifest checked against; null when the model is not installed.</param>
/// <param name="Problems">Every bad file; empty when all is well.</param>
public sealed record VerifyResult(ModelEntry Model, string Directory, ModelManifest? Manifest, IReadOnlyList<FileProblem> Problems)
{
    /// <summary>Installed, and every file matches its manifest.</summary>
    public bool IsValid => Manifest is not null && Problems.Count == 0;
}

/// <summary>
/// Checks an installed model's files against its manifest (sizes and SHA-256), and records a manifest for model files
/// that were copied in by hand.
/// </summary>
public sealed class ModelVerifier
{
    private readonly ModelLayout _layout;
    private readonly TimeProvider _time;

    /// <summary>Creates the verifier.</summary>
    public ModelVerifier(ModelLayout layout, TimeProvider? time = null)
    {
        _layout = layout ?? throw new ArgumentNullException(nameof(layout));
        _time = time ?? TimeProvider.System;
    }

    /// <summary>
    /// Hashes every file the manifest lists and reports each that is missing, resized or changed. A model without a
    /// manifest comes back with <see cref="VerifyResult.Manifest"/> null. Throws <see cref="UnknownModelException"/>.
    /// </summary>
    public async Task<VerifyResult> VerifyAsync(string modelId, IProgress<FileProgress>? progress, CancellationToken cancellationToken)
    {
        var model = _layout.Catalogue.Get(modelId);
        var directory = _layout.DirectoryOf(model);
        var manifest = ModelManifest.TryRead(directory);
        if (manifest is null)
        {
            return new VerifyResult(model, directory, null, []);
        }
        var problems = new List<FileProblem>();
        foreach (var required in model.RequiredFiles.Where(r => !r.IsSatisfiedBy(manifest.Files.Select(f => f.Path))))
        {
            problems.Add(new FileProblem(required.ToString(), FileProblemKind.RequiredMissing, "the model needs it and the install does not have it"));
        }
        var total = manifest.TotalBytes;
        long done = 0;
        foreach (var file in manifest.Files)
        {
            var path = ModelLayout.FileIn(directory, file.Path);
            if (!File.Exists(path))
            {
                problems.Add(new FileProblem(file.Path, FileProblemKind.Missing, "not there"));
            }
            else if (new FileInfo(path).Length is var length && length != file.Size)
            {
                problems.Add(new FileProblem(file.Path, FileProblemKind.WrongSize, $"{length} bytes instead of {file.Size}"));
            }
            else
            {
                var before = done;
                using var hashes = await FileHashes.OfFileAsync(path, null,
                    d => progress?.Report(new FileProgress(model.Id, file.Path, ProgressStage.Hashing, d, file.Size, before + d, total)),
                    cancellationToken).ConfigureAwait(false);
                if (!string.Equals(hashes.Sha256(), file.Sha256, StringComparison.OrdinalIgnoreCase))
                {
                    problems.Add(new FileProblem(file.Path, FileProblemKind.WrongHash, $"SHA-256 {hashes.Sha256()} instead of {file.Sha256}"));
                }
            }
            done += file.Size;
            progress?.Report(new FileProgress(model.Id, file.Path, ProgressStage.Done, file.Size, file.Size, done, total));
        }
        return new VerifyResult(model, directory, manifest, problems);
    }

    /// <summary>
    /// Records the files found in a model's folder as its install (for folders copied from another machine or from the
    /// Python project's <c>checkpoints/</c>), after checking the required files are there. The hashes are of the files
    /// as found: nothing is compared with the hub. Throws <see cref="ModelNotInstalledException"/> when required files
    /// are missing, <see cref="UnknownModelException"/> and <see cref="ModelBusyException"/>.
    /// </summary>
    public async Task<ModelManifest> AdoptAsync(string modelId, IProgress<FileProgress>? progress, CancellationToken cancellationToken)
    {
        var model = _layout.Catalogue.Get(modelId);
        var directory = _layout.DirectoryOf(model);
        using var modelLock = ModelLock.Acquire(model, directory);
        if (!Directory.Exists(directory))
        {
            throw new ModelNotInstalledException(model, directory, "its folder does not exist");
        }
        var paths = Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(directory, p).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(p => p != ModelManifest.FileName && !p.EndsWith(FileDownloader.PartialSuffix, StringComparison.Ordinal)
                && !p.EndsWith(".tmp", StringComparison.Ordinal) && p != ".gitattributes" && !p.StartsWith(".cache/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (model.RequiredFiles.FirstOrDefault(r => !r.IsSatisfiedBy(paths)) is { } missing)
        {
            throw new ModelNotInstalledException(model, directory, $"{missing} is missing, so there is nothing complete to adopt");
        }
        var total = paths.Sum(p => new FileInfo(Path.Combine(directory, p)).Length);
        var files = new List<ManifestFile>();
        long done = 0;
        foreach (var relative in paths)
        {
            var path = ModelLayout.FileIn(directory, relative);
            var size = new FileInfo(path).Length;
            var before = done;
            using var hashes = await FileHashes.OfFileAsync(path, null,
                d => progress?.Report(new FileProgress(model.Id, relative, ProgressStage.Hashing, d, size, before + d, total)),
                cancellationToken).ConfigureAwait(false);
            files.Add(new ManifestFile(relative, size, hashes.Sha256()));
            done += size;
            progress?.Report(new FileProgress(model.Id, relative, ProgressStage.Done, size, size, done, total));
        }
        var manifest = new ModelManifest
        {
            Model = model.Id,
            Repository = model.Repository,
            RepositoryFolder = model.RepositoryFolder,
            Source = "adopted",
            InstalledAt = _time.GetUtcNow(),
            Files = files,
        };
        manifest.Write(directory);
        return manifest;
    }
}
