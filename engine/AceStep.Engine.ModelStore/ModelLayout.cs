namespace AceStep.Engine.ModelStore;

/// <summary>Where each catalogue entry lives under a models directory, and how to check a folder's install cheaply.</summary>
public sealed class ModelLayout
{
    /// <summary>Creates the layout of <paramref name="modelsDirectory"/> for <paramref name="catalogue"/> (default: the official one).</summary>
    public ModelLayout(string modelsDirectory, ModelCatalogue? catalogue = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelsDirectory);
        Root = Path.GetFullPath(modelsDirectory);
        Catalogue = catalogue ?? ModelCatalogue.Official;
    }

    /// <summary>The models directory.</summary>
    public string Root { get; }

    /// <summary>The models it knows.</summary>
    public ModelCatalogue Catalogue { get; }

    /// <summary>The folder of <paramref name="model"/>: <c>&lt;root&gt;/checkpoints/&lt;id&gt;</c>.</summary>
    public string DirectoryOf(ModelEntry model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Path.Combine(Root, model.RelativeDirectory.Replace('/', Path.DirectorySeparatorChar));
    }

    /// <summary>
    /// The full path of <paramref name="relativePath"/> inside <paramref name="modelDirectory"/>; throws
    /// <see cref="ModelStoreException"/> for a path that would land outside it (a hostile or broken listing or manifest).
    /// </summary>
    public static string FileIn(string modelDirectory, string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        var full = Path.GetFullPath(Path.Combine(modelDirectory, relativePath.Replace('/', Path.DirectorySeparatorChar)));
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(modelDirectory)) + Path.DirectorySeparatorChar;
        if (relativePath.Length == 0 || Path.IsPathRooted(relativePath) || !full.StartsWith(root, StringComparison.Ordinal))
        {
            throw new ModelStoreException($"Refusing the file path '{relativePath}': it does not stay inside {modelDirectory}.");
        }
        return full;
    }

    /// <summary>
    /// Null when <paramref name="manifest"/> describes a complete install of <paramref name="model"/> whose files are all
    /// present with their recorded sizes, else why not. Sizes only: hashing gigabytes belongs to <c>verify</c>, not to
    /// every engine start.
    /// </summary>
    public static string? InstallProblem(ModelEntry model, string directory, ModelManifest? manifest)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!Directory.Exists(directory))
        {
            return "its folder does not exist";
        }
        if (manifest is null)
        {
            return $"its folder has no readable {ModelManifest.FileName} (an unfinished pull, or files copied in by hand: " +
                $"run 'acestep models adopt {model.Id}' to record copied files)";
        }
        if (!string.Equals(manifest.Model, model.Id, StringComparison.OrdinalIgnoreCase))
        {
            return $"its manifest is for '{manifest.Model}'";
        }
        if (model.RequiredFiles.FirstOrDefault(r => !r.IsSatisfiedBy(manifest.Files.Select(f => f.Path))) is { } missingRequired)
        {
            return $"the install lacks {missingRequired}";
        }
        foreach (var file in manifest.Files)
        {
            var path = FileIn(directory, file.Path);
            if (!File.Exists(path))
            {
                return $"{file.Path} is missing";
            }
            var length = new FileInfo(path).Length;
            if (length != file.Size)
            {
                return $"{file.Path} has {length} bytes instead of {file.Size}";
            }
        }
        return null;
    }
}
