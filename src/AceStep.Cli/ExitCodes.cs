namespace AceStep.Cli;

/// <summary>Exit codes scripts can rely on (documented in docs/cli.md).</summary>
public static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Ok = 0;

    /// <summary>The engine answered, but with errors for the task.</summary>
    public const int TaskFailed = 1;

    /// <summary>The command line was wrong.</summary>
    public const int Usage = 2;

    /// <summary>No engine answered on the chosen transport.</summary>
    public const int EngineUnavailable = 3;

    /// <summary>Something answered but broke the protocol (wrong version, garbage).</summary>
    public const int ProtocolError = 4;

    /// <summary>A model is not installed, or its files are damaged (a verify found bad files; a download failed its checks).</summary>
    public const int ModelInvalid = 5;

    /// <summary>A model could not be installed: the hub was unreachable, refused, or kept failing, or the disk failed.</summary>
    public const int ModelInstallFailed = 6;

    /// <summary>Another acestep process is installing or removing the same model.</summary>
    public const int ModelBusy = 7;

    /// <summary>
    /// The engine refused the task's parameters (a validation error such as <c>invalidSteps</c> or
    /// <c>invalidKeyScale</c>); each error is printed with its parameter.
    /// </summary>
    public const int TaskRejected = 8;

    /// <summary>A local audio file could not be read (<c>--in</c>, <c>--lyrics-file</c>) or the result not written (<c>--out</c>).</summary>
    public const int FileFailed = 9;

    /// <summary>The engine could not start (<c>serve</c>, or the engine a command runs for itself): data directory, port or pipe in use.</summary>
    public const int EngineStartFailed = 10;

    /// <summary>Cancelled (Ctrl+C), the shell's convention for SIGINT.</summary>
    public const int Cancelled = 130;
}
