namespace AceStep.Pipes;

/// <summary>No engine answered, or the connection to it broke.</summary>
public sealed class EngineUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public EngineUnavailableException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}
