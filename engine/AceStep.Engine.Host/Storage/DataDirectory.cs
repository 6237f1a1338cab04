namespace AceStep.Engine.Host.Storage;

/// <summary>The engine's files on disk, created on first start.</summary>
public sealed class DataDirectory
{
    private DataDirectory(string root)
    {
        Root = root;
        DatabasePath = Path.Combine(root, "jobs.db");
        MediaDirectory = Path.Combine(root, "media");
        ModelsDirectory = ModelStore.ModelsDirectory.ForHome(root);
    }

    /// <summary>The data directory itself.</summary>
    public string Root { get; }

    /// <summary>The SQLite job store.</summary>
    public string DatabasePath { get; }

    /// <summary>Stored input media and generated results.</summary>
    public string MediaDirectory { get; }

    /// <summary>Installed model checkpoints: <c>models/</c>, unless <c>ACESTEP_MODELS_DIR</c> moves them (shared with the
    /// <c>acestep models</c> commands through <see cref="ModelStore.ModelsDirectory"/>).</summary>
    public string ModelsDirectory { get; }

    /// <summary>Creates the directory tree if needed; throws <see cref="EngineStartupException"/> if it cannot.</summary>
    public static DataDirectory Prepare(string root)
    {
        var directory = new DataDirectory(Path.GetFullPath(root));
        try
        {
            Directory.CreateDirectory(directory.Root);
            Directory.CreateDirectory(directory.MediaDirectory);
            Directory.CreateDirectory(directory.ModelsDirectory);
            // Prompts, inputs and results are private to this user; models inside are then private too, which costs
            // nothing (ACESTEP_MODELS_DIR can point at a shared folder, which is left as it is).
            PrivateFiles.RestrictDirectory(directory.Root);
            PrivateFiles.RestrictDirectory(directory.MediaDirectory);
            PrivateFiles.RestrictDirectory(Path.Combine(directory.Root, "inputs"));
            PrivateFiles.RestrictFiles(directory.Root, "jobs.db");
            PrivateFiles.RestrictFiles(directory.MediaDirectory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new EngineStartupException(
                $"Cannot create the engine's data directory '{directory.Root}': {ex.Message} " +
                $"Set {EngineOptions.HomeVariable} or --home to a writable folder.", ex);
        }
        return directory;
    }
}
