namespace AceStep.Engine.Model.Config;

/// <summary>A model's <c>config.json</c> is missing, unreadable, or describes an architecture this engine does not run.
/// The message names the file and the key.</summary>
public sealed class ModelConfigException : Exception
{
    /// <summary>Creates the exception with no details.</summary>
    public ModelConfigException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ModelConfigException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public ModelConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
