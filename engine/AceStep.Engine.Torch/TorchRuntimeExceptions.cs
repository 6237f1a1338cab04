namespace AceStep.Engine.Torch;

/// <summary>The requested device cannot be used on this machine or with this build (e.g. CUDA requested, none present).</summary>
public class TorchDeviceUnavailableException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public TorchDeviceUnavailableException()
        : base("The requested torch device is not available.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public TorchDeviceUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying error.</summary>
    public TorchDeviceUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The device policy that was requested.</summary>
    public TorchDevicePreference Requested { get; init; }
}

/// <summary>libtorch (the native part of TorchSharp) could not be loaded or initialised.</summary>
public class TorchRuntimeLoadException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public TorchRuntimeLoadException()
        : base("libtorch could not be loaded.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public TorchRuntimeLoadException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying error.</summary>
    public TorchRuntimeLoadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
