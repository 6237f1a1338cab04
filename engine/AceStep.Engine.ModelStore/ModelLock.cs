namespace AceStep.Engine.ModelStore;

/// <summary>
/// Keeps two processes from pulling, adopting or removing the same model at once: an exclusively opened file next to
/// the model's folder, released on dispose (and by the OS if the process dies).
/// </summary>
internal sealed class ModelLock : IDisposable
{
    private readonly FileStream _stream;

    private ModelLock(FileStream stream) => _stream = stream;

    public static ModelLock Acquire(ModelEntry model, string modelDirectory)
    {
        var parent = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(modelDirectory))!;
        Directory.CreateDirectory(parent);
        var path = Path.Combine(parent, "." + model.Id + ".lock");
        try
        {
            return new ModelLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose));
        }
        catch (IOException ex)
        {
            throw new ModelBusyException(model.Id, ex);
        }
    }

    public void Dispose() => _stream.Dispose();
}
