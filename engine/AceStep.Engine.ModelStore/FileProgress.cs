namespace AceStep.Engine.ModelStore;

/// <summary>What is happening to a file.</summary>
public enum ProgressStage
{
    /// <summary>Reading bytes already on disk through the hashes (a resumed part, or a verify).</summary>
    Hashing,

    /// <summary>Receiving bytes from the hub.</summary>
    Downloading,

    /// <summary>The file is in place and checked (or was already).</summary>
    Done,
}

/// <summary>Progress of a pull or a verify, per file and overall.</summary>
/// <param name="ModelId">The model.</param>
/// <param name="Path">The file, relative to the model's folder.</param>
/// <param name="Stage">What is happening to it.</param>
/// <param name="FileBytesDone">Bytes of this file handled so far.</param>
/// <param name="FileBytesTotal">Size of this file.</param>
/// <param name="BytesDone">Bytes of the whole model handled so far.</param>
/// <param name="BytesTotal">Size of the whole model.</param>
public sealed record FileProgress(string ModelId, string Path, ProgressStage Stage, long FileBytesDone, long FileBytesTotal,
    long BytesDone, long BytesTotal);
