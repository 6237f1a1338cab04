namespace AceStep.Contracts;

/// <summary>Where a client finds the local engine by default; both can be overridden by environment variables.</summary>
public static class EngineEndpoints
{
    /// <summary>Environment variable overriding the HTTP base address.</summary>
    public const string HttpUrlVariable = "ACESTEP_HTTP_URL";

    /// <summary>Environment variable overriding the pipe name.</summary>
    public const string PipeNameVariable = "ACESTEP_PIPE";

    /// <summary>The default HTTP base address: loopback only.</summary>
    public const string DefaultHttpUrl = "http://127.0.0.1:8001";

    /// <summary>The HTTP base address from <see cref="HttpUrlVariable"/> or the default.</summary>
    public static string HttpUrl() => NonEmpty(Environment.GetEnvironmentVariable(HttpUrlVariable)) ?? DefaultHttpUrl;

    /// <summary>The per-user pipe name <c>acestep-engine-&lt;user&gt;</c>, or <see cref="PipeNameVariable"/>.</summary>
    public static string PipeName() =>
        NonEmpty(Environment.GetEnvironmentVariable(PipeNameVariable)) ?? "acestep-engine-" + SafeUserName();

    private static string SafeUserName()
    {
        // The pipe becomes a socket file name on Unix: keep it to characters every file system accepts.
        var user = Environment.UserName;
        var chars = user.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray();
        return chars.Length == 0 ? "user" : new string(chars);
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
