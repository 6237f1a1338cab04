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
}
