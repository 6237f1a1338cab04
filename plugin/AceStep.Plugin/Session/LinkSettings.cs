using System.Text;
using AceStep.Contracts;
using AceStep.Plugin.EngineLink;

namespace AceStep.Plugin.Session;

/// <summary>
/// Where the plugin finds the engine and puts its takes. Read from the host process's environment
/// (<c>ACESTEP_PIPE</c>, <c>ACESTEP_ENGINE</c>, <c>ACESTEP_TAKES_DIR</c>, <c>ACESTEP_NO_BROWSER</c>); a test host
/// overrides them through <c>AceStepDiagnostics_ConfigureLink</c>, because the plugin's NativeAOT runtime has its own
/// copy of the environment, taken when it starts.
/// </summary>
internal static class LinkSettings
{
    /// <summary>Environment variable: the engine executable started when none answers (default <c>acestep-engine</c> on PATH).</summary>
    public const string EngineVariable = "ACESTEP_ENGINE";

    /// <summary>Environment variable: the folder takes are saved in outside REAPER.</summary>
    public const string TakesFolderVariable = "ACESTEP_TAKES_DIR";

    /// <summary>Environment variable: when set to 1, the control page address is not opened in a browser.</summary>
    public const string NoBrowserVariable = "ACESTEP_NO_BROWSER";

    private static volatile Overrides? s_overrides;

    /// <summary>The engine's pipe name.</summary>
    public static string PipeName => s_overrides?.PipeName ?? EngineEndpoints.PipeName();

    /// <summary>The folder for takes when the host gives none (REAPER gives its project folder), or null for the default.</summary>
    public static string? TakesFolder => s_overrides?.TakesFolder ?? NonEmpty(Environment.GetEnvironmentVariable(TakesFolderVariable));

    /// <summary>Whether the control page may be opened in a browser.</summary>
    public static bool OpenBrowser => s_overrides is { } o ? o.OpenBrowser : Environment.GetEnvironmentVariable(NoBrowserVariable) != "1";

    /// <summary>Options for a new engine link: the pipe, and a starter unless a test configured an engine of its own.</summary>
    public static EngineLinkOptions EngineOptions()
    {
        var overrides = s_overrides;
        Action? starter = overrides is { StartEngine: false }
            ? null
            : EngineLinkOptions.StartProcess(NonEmpty(Environment.GetEnvironmentVariable(EngineVariable)) ?? "acestep-engine");
        return new EngineLinkOptions { PipeName = PipeName, StartEngine = starter };
    }

    /// <summary>
    /// The documented default folder for takes outside REAPER: <c>~/Music/AceStep Takes</c> (the platform's music
    /// folder where it has one, else the home folder).
    /// </summary>
    public static string DefaultTakesFolder()
    {
        var music = Environment.GetFolderPath(Environment.SpecialFolder.MyMusic);
        if (string.IsNullOrEmpty(music))
            music = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), "Music");
        return Path.Combine(music, "AceStep Takes");
    }

    /// <summary>Replaces the environment's values (tests): a pipe, a takes folder, whether a browser opens, whether an engine may be started.</summary>
    public static void Override(string? pipeName, string? takesFolder, bool openBrowser, bool startEngine) =>
        s_overrides = new Overrides(NonEmpty(pipeName), NonEmpty(takesFolder), openBrowser, startEngine);

    /// <summary>Reads a NUL-terminated UTF-8 string from native memory (null pointer → null).</summary>
    public static unsafe string? Utf8(byte* text) =>
        text == null ? null : Encoding.UTF8.GetString(System.Runtime.InteropServices.MemoryMarshal.CreateReadOnlySpanFromNullTerminated(text));

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private sealed record Overrides(string? PipeName, string? TakesFolder, bool OpenBrowser, bool StartEngine);
}
