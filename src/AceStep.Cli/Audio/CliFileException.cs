namespace AceStep.Cli.Audio;

/// <summary>A local file the command needs could not be read or written; mapped to <see cref="ExitCodes.FileFailed"/>.</summary>
public sealed class CliFileException : Exception
{
    /// <summary>Creates the exception with a message naming the file and the reason.</summary>
    public CliFileException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}

/// <summary>The command line is wrong in a way the parser cannot see (an output extension, a missing input file);
/// mapped to <see cref="ExitCodes.Usage"/>.</summary>
public sealed class CliUsageException : Exception
{
    /// <summary>Creates the exception with a message that says what to change.</summary>
    public CliUsageException(string message) : base(message)
    {
    }
}
