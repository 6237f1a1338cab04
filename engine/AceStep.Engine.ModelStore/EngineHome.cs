namespace AceStep.Engine.ModelStore;

/// <summary>
/// Where the engine keeps its data, computed in one place so the engine and the <c>acestep</c> command agree on it
/// without either having to start the other.
/// </summary>
public static class EngineHome
{
    /// <summary>Environment variable that moves the engine home.</summary>
    public const string Variable = "ACESTEP_HOME";

    /// <summary>The default data folder, in the platform's place for per-user application data:
    /// <c>%LOCALAPPDATA%\AceStep</c> on Windows; <c>$XDG_DATA_HOME/acestep</c>, else <c>~/.local/share/acestep</c>
    /// elsewhere.</summary>
    public static string DefaultDirectory() =>
        DefaultDirectory(OperatingSystem.IsWindows(), Environment.GetEnvironmentVariable, Environment.GetFolderPath);

    /// <summary><see cref="DefaultDirectory()"/> under the rules of Windows (<paramref name="windows"/>) or of Unix,
    /// reading the environment and the special folders through the given functions: the platform seam that lets
    /// the Windows rule be tested on Linux.</summary>
    internal static string DefaultDirectory(bool windows, Func<string, string?> environment,
        Func<Environment.SpecialFolder, string> specialFolder)
    {
        if (windows)
        {
            // %LOCALAPPDATA% (not the roaming profile): models are gigabytes and belong to this machine.
            var local = specialFolder(Environment.SpecialFolder.LocalApplicationData);
            if (string.IsNullOrEmpty(local))
                local = environment("LOCALAPPDATA") ?? "";
            if (string.IsNullOrEmpty(local))
                throw new InvalidOperationException($"Windows reports no local application data folder (%LOCALAPPDATA%); set {Variable} to the folder the engine should use.");
            return Path.Join(local, "AceStep");
        }

        var xdg = environment("XDG_DATA_HOME");
        var root = string.IsNullOrEmpty(xdg)
            ? Path.Join(specialFolder(Environment.SpecialFolder.UserProfile), ".local", "share")
            : xdg;
        return Path.Join(root, "acestep");
    }

    /// <summary><see cref="Variable"/> when set, else <see cref="DefaultDirectory()"/>.</summary>
    public static string Resolve() =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } home ? home : DefaultDirectory();
}
