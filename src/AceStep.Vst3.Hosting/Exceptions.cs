namespace AceStep.Vst3.Hosting;

/// <summary>Base of every error this host raises about a module.</summary>
public class Vst3HostingException : Exception
{
    /// <summary>Creates the exception.</summary>
    public Vst3HostingException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    public Vst3HostingException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public Vst3HostingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The bundle path does not exist.</summary>
public class Vst3BundleNotFoundException : Vst3HostingException
{
    /// <summary>Creates the exception.</summary>
    public Vst3BundleNotFoundException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    public Vst3BundleNotFoundException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public Vst3BundleNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The bundle exists but lacks <c>Contents/</c>, the architecture folder or the matching <c>.so</c>.</summary>
public class Vst3BundleStructureException : Vst3HostingException
{
    /// <summary>Creates the exception.</summary>
    public Vst3BundleStructureException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    public Vst3BundleStructureException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public Vst3BundleStructureException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The library does not export one of <c>ModuleEntry</c>, <c>ModuleExit</c>, <c>GetPluginFactory</c>.</summary>
public class Vst3MissingExportException : Vst3HostingException
{
    /// <summary>Creates the exception.</summary>
    public Vst3MissingExportException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    public Vst3MissingExportException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public Vst3MissingExportException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The export that was looked for.</summary>
    public string? ExportName { get; init; }
}

/// <summary>The library loaded but refused to start (ModuleEntry false, no factory, a failing factory call).</summary>
public class Vst3ModuleException : Vst3HostingException
{
    /// <summary>Creates the exception.</summary>
    public Vst3ModuleException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    public Vst3ModuleException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public Vst3ModuleException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The <c>tresult</c> the module returned, if a call failed with one.</summary>
    public int? Result { get; init; }
}
