namespace AceStep.Engine.ModelStore;

/// <summary>Base of everything the model store throws on purpose; the message is written for the person at the keyboard.</summary>
public class ModelStoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ModelStoreException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}

/// <summary>A model name the catalogue does not know.</summary>
public sealed class UnknownModelException : ModelStoreException
{
    /// <summary>Creates the exception, listing the names that would have worked.</summary>
    public UnknownModelException(string modelId, IReadOnlyList<string> knownIds)
        : base($"There is no model called '{modelId}'. Known models: {string.Join(", ", knownIds)}. Run 'acestep models list' to see them.")
    {
        ModelId = modelId;
    }

    /// <summary>The name asked for.</summary>
    public string ModelId { get; }
}

/// <summary>The engine asked for a model that is not installed, or whose install is incomplete.</summary>
public sealed class ModelNotInstalledException : ModelStoreException
{
    /// <summary>Creates the exception; <paramref name="why"/> says what is wrong and the message adds how to fix it.</summary>
    public ModelNotInstalledException(ModelEntry model, string directory, string why)
        : base($"The model '{model.Id}' is not installed in {directory}: {why}. Install it with: {model.PullCommand}")
    {
        ModelId = model.Id;
        Directory = directory;
        PullCommand = model.PullCommand;
    }

    /// <summary>The model asked for.</summary>
    public string ModelId { get; }

    /// <summary>Where it was looked for.</summary>
    public string Directory { get; }

    /// <summary>The command that installs it.</summary>
    public string PullCommand { get; }
}

/// <summary>The hub could not be reached, refused, or kept failing after every retry.</summary>
public sealed class ModelSourceException : ModelStoreException
{
    /// <summary>Creates the exception.</summary>
    public ModelSourceException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}

/// <summary>A downloaded file did not have the size or hash the hub announced; it was discarded, never put in place.</summary>
public sealed class DownloadIntegrityException : ModelStoreException
{
    /// <summary>Creates the exception.</summary>
    public DownloadIntegrityException(string path, string message)
        : base(message)
    {
        Path = path;
    }

    /// <summary>The file, relative to the model's folder.</summary>
    public string Path { get; }
}

/// <summary>Another process is installing or removing the same model right now.</summary>
public sealed class ModelBusyException : ModelStoreException
{
    /// <summary>Creates the exception.</summary>
    public ModelBusyException(string modelId, Exception innerException)
        : base($"Another acestep process is working on '{modelId}' right now; wait for it to finish.", innerException)
    {
    }
}
