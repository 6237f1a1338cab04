namespace AceStep.Engine.Text.Tokenization;

/// <summary>
/// A tokenizer directory cannot be used: a required file is missing, is not valid JSON or text, or holds something
/// this tokenizer does not support (another model type, pre-tokenizer or normaliser). The message names the file
/// and what is wrong with it.
/// </summary>
public sealed class TokenizerFileException : Exception
{
    /// <summary>Creates the exception with no details (for serializers and analyzers).</summary>
    public TokenizerFileException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public TokenizerFileException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    public TokenizerFileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The file at fault, or the directory when no file of the expected set was found.</summary>
    public string? FilePath { get; init; }

    internal static TokenizerFileException For(string path, string problem, Exception? inner = null)
    {
        var message = $"Tokenizer file {path}: {problem}";
        return inner is null
            ? new TokenizerFileException(message) { FilePath = path }
            : new TokenizerFileException(message, inner) { FilePath = path };
    }
}
