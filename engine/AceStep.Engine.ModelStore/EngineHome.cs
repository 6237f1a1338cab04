namespace AceStep.Engine.ModelStore;

/// <summary>
/// Where the engine keeps its data, computed in one place so the engine and the <c>acestep</c> command agree on it
/// without either having to start the other.
/// </summary>
public static class EngineHome
{
    /// <summary>Environment variable that moves the engine home.</summary>
    public const string Variable = "ACESTEP_HOME";

    /// <summary><c>$XDG_DATA_HOME/acestep</c>, else <c>~/.local/share/acestep</c>.</summary>
    public static string DefaultDirectory()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        var root = string.IsNullOrEmpty(xdg)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share")
            : xdg;
        return Path.Combine(root, "acestep");
    }

    /// <summary><see cref="Variable"/> when set, else <see cref="DefaultDirectory"/>.</summary>
    public static string Resolve() =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } home ? home : DefaultDirectory();
}
