namespace AceStep.Engine.ModelStore;

/// <summary>The outcome of a pull.</summary>
/// <param name="Model">The model.</param>
/// <param name="Directory">Its folder.</param>
/// <param name="Manifest">The manifest written.</param>
/// <param name="DownloadedBytes">Bytes fetched by this pull (0 when everything was already there).</param>
public sealed record PullResult(ModelEntry Model, string Directory, ModelManifest Manifest, long DownloadedBytes);

/// <summary>
/// Installs a model from the hub: lists the repository (pinned to its current commit), downloads what is missing or
/// wrong, checks every file, then writes the manifest. Safe to interrupt and run again: finished files are kept, a
/// half-downloaded one resumes.
/// </summary>
public sealed class ModelInstaller
{
    private readonly ModelLayout _layout;
    private readonly HubClient _hub;
    private readonly FileDownloader _downloader;
    private readonly TimeProvider _time;

    /// <summary>Creates the installer.</summary>
    public ModelInstaller(ModelLayout layout, HubClient hub)
    {
        _layout = layout ?? throw new ArgumentNullException(nameof(layout));
        _hub = hub ?? throw new ArgumentNullException(nameof(hub));
        _downloader = new FileDownloader(hub);
        _time = hub.Time;
    }

    /// <summary>
    /// Installs <paramref name="modelId"/>. Throws <see cref="UnknownModelException"/>, <see cref="ModelSourceException"/>
    /// (hub unreachable or refusing, or the repository lacks a required file), <see cref="DownloadIntegrityException"/>
    /// (a file arrived damaged; it is not put in place) or <see cref="ModelBusyException"/>.
    /// </summary>
    public async Task<PullResult> PullAsync(string modelId, IProgress<FileProgress>? progress, CancellationToken cancellationToken)
    {
        var model = _layout.Catalogue.Get(modelId);
        var directory = _layout.DirectoryOf(model);
        using var modelLock = ModelLock.Acquire(model, directory);

        var revision = await _hub.GetRevisionAsync(model.Repository, cancellationToken).ConfigureAwait(false);
        var listed = await _hub.ListFilesAsync(model.Repository, revision ?? "main", model.RepositoryFolder, cancellationToken).ConfigureAwait(false);
        var files = FilesOfModel(model, listed);
        var total = files.Sum(f => f.Local.Size);

        var previous = ModelManifest.TryRead(directory);
        var known = previous?.Files.ToDictionary(f => f.Path, StringComparer.Ordinal) ?? [];
        Directory.CreateDirectory(directory);

        var recorded = new List<ManifestFile>();
        long done = 0;
        long downloaded = 0;
        var manifestDropped = false;
        foreach (var (remote, local) in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var target = ModelLayout.FileIn(directory, local.Path);
            void Report(ProgressStage stage, long fileDone) =>
                progress?.Report(new FileProgress(model.Id, local.Path, stage, fileDone, local.Size, done + fileDone, total));

            var sha256 = await AlreadyInPlaceAsync(local, target, known.GetValueOrDefault(local.Path), Report, cancellationToken).ConfigureAwait(false);
            if (sha256 is null)
            {
                if (!manifestDropped)
                {
                    // From the first change on, the folder is not the install the old manifest describes.
                    ModelManifest.Delete(directory);
                    manifestDropped = true;
                }
                var uri = _hub.FileUri(model.Repository, revision ?? "main", remote.Path);
                sha256 = await _downloader.DownloadAsync(uri, target, local, Report, cancellationToken).ConfigureAwait(false);
                downloaded += local.Size;
            }
            recorded.Add(new ManifestFile(local.Path, local.Size, sha256));
            Report(ProgressStage.Done, local.Size);
            done += local.Size;
        }

        var manifest = new ModelManifest
        {
            Model = model.Id,
            Repository = model.Repository,
            RepositoryFolder = model.RepositoryFolder,
            Revision = revision,
            InstalledAt = _time.GetUtcNow(),
            Files = recorded,
        };
        manifest.Write(directory);
        return new PullResult(model, directory, manifest, downloaded);
    }

    /// <summary>
    /// The repository files that make up <paramref name="model"/>, with paths made relative to its folder. Throws
    /// <see cref="ModelSourceException"/> when a required file is not among them.
    /// </summary>
    internal static List<(HubFile Remote, HubFile Local)> FilesOfModel(ModelEntry model, IReadOnlyList<HubFile> listed)
    {
        var prefix = model.RepositoryFolder.Length == 0 ? "" : model.RepositoryFolder.Trim('/') + "/";
        var files = listed
            .Where(f => f.Path.StartsWith(prefix, StringComparison.Ordinal))
            .Select(f => (Remote: f, Local: f with { Path = f.Path[prefix.Length..] }))
            // .gitattributes is git bookkeeping, not part of any checkpoint.
            .Where(f => f.Local.Path.Length > 0 && f.Local.Path != ".gitattributes")
            .OrderBy(f => f.Local.Path, StringComparer.Ordinal)
            .ToList();
        var where = model.RepositoryFolder.Length == 0 ? model.Repository : $"{model.Repository}/{model.RepositoryFolder}";
        if (files.Count == 0)
        {
            throw new ModelSourceException($"The hub lists no files in {where}.");
        }
        if (model.RequiredFiles.FirstOrDefault(r => !r.IsSatisfiedBy(files.Select(f => f.Local.Path))) is { } missing)
        {
            throw new ModelSourceException($"The hub's {where} has no {missing}, which the engine needs; this acestep version may be too old for the repository.");
        }
        return files;
    }

    /// <summary>
    /// The SHA-256 of the file already at <paramref name="target"/> when it is the one the hub lists, else null (then it
    /// must be downloaded). A manifest entry that matches the hub's hash and the size on disk is trusted without re-hashing.
    /// </summary>
    private static async Task<string?> AlreadyInPlaceAsync(HubFile file, string target, ManifestFile? recorded,
        Action<ProgressStage, long> report, CancellationToken cancellationToken)
    {
        if (!File.Exists(target) || new FileInfo(target).Length != file.Size)
        {
            return null;
        }
        if (recorded is not null && recorded.Size == file.Size
            && (file.Sha256 is null || string.Equals(recorded.Sha256, file.Sha256, StringComparison.OrdinalIgnoreCase)))
        {
            if (file.Sha256 is not null)
            {
                return recorded.Sha256;
            }
            // Files in git are tiny; re-checking their blob id costs nothing and catches an edited config.json.
        }
        using var hashes = await FileHashes.OfFileAsync(target, FileDownloader.GitBlobSize(file), done => report(ProgressStage.Hashing, done), cancellationToken).ConfigureAwait(false);
        return FileDownloader.Check(file, file.Size, hashes) is null ? hashes.Sha256() : null;
    }
}
