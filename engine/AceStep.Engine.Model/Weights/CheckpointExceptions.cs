namespace AceStep.Engine.Model.Weights;

/// <summary>
/// A checkpoint file is not well-formed: truncated, a header that is not JSON, offsets out of range or overlapping,
/// an unknown dtype, a missing shard, a torch zip that cannot be read. The message names the file and, where one is
/// involved, the tensor.
/// </summary>
public sealed class CheckpointFormatException : Exception
{
    /// <summary>Creates the exception with no details (for serializers and analyzers).</summary>
    public CheckpointFormatException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public CheckpointFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    public CheckpointFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The checkpoint file at fault, when known.</summary>
    public string? FilePath { get; init; }

    /// <summary>The tensor at fault, when one is involved.</summary>
    public string? TensorName { get; init; }
}

/// <summary>A tensor the model expects that the checkpoint does not hold.</summary>
/// <param name="Name">The checkpoint name that was looked for (with every prefix alias tried).</param>
/// <param name="ExpectedShape">The shape the model expects.</param>
public sealed record MissingTensor(string Name, IReadOnlyList<long> ExpectedShape)
{
    /// <inheritdoc />
    public override string ToString() => $"{Name} (expected {ShapeText.Format(ExpectedShape)})";
}

/// <summary>A tensor present in the checkpoint with a shape other than the model's.</summary>
/// <param name="Name">The checkpoint name of the tensor.</param>
/// <param name="ExpectedShape">The shape the model expects.</param>
/// <param name="FoundShape">The shape stored in the checkpoint.</param>
/// <param name="FilePath">The file the tensor was found in.</param>
public sealed record MismatchedTensor(string Name, IReadOnlyList<long> ExpectedShape, IReadOnlyList<long> FoundShape, string FilePath)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"{Name}: expected {ShapeText.Format(ExpectedShape)}, found {ShapeText.Format(FoundShape)} in {FilePath}";
}

/// <summary>A tensor in the checkpoint that no module parameter takes.</summary>
/// <param name="Name">The checkpoint name of the tensor.</param>
/// <param name="FilePath">The file it is stored in.</param>
public sealed record UnexpectedTensor(string Name, string FilePath)
{
    /// <inheritdoc />
    public override string ToString() => $"{Name} in {FilePath}";
}

/// <summary>
/// A checkpoint does not match the model under strict loading. <see cref="Exception.Message"/> lists every missing
/// tensor, every shape mismatch (expected vs found, and the file) and, when rejected, every unexpected tensor.
/// </summary>
public sealed class CheckpointMismatchException : Exception
{
    /// <summary>Creates the exception with no details (for serializers and analyzers).</summary>
    public CheckpointMismatchException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public CheckpointMismatchException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    public CheckpointMismatchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Tensors the model expects that the checkpoint lacks.</summary>
    public IReadOnlyList<MissingTensor> Missing { get; init; } = [];

    /// <summary>Tensors whose stored shape differs from the expected one.</summary>
    public IReadOnlyList<MismatchedTensor> Mismatched { get; init; } = [];

    /// <summary>Checkpoint tensors nothing takes (only filled when unexpected tensors are errors).</summary>
    public IReadOnlyList<UnexpectedTensor> Unexpected { get; init; } = [];
}

/// <summary>Formats shapes the way PyTorch users read them: [2048, 64, 2].</summary>
internal static class ShapeText
{
    public static string Format(IReadOnlyList<long> shape) => "[" + string.Join(", ", shape) + "]";
}
