namespace AceStep.Engine.Host;

/// <summary>The engine cannot start; the message says why and what to do.</summary>
public sealed class EngineStartupException : Exception
{
    /// <summary>Creates the exception.</summary>
    public EngineStartupException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}
