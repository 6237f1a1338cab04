namespace AceStep.Ardour.Tests;

/// <summary>Where the Debian <c>ardour</c> package puts the programs the tests drive.</summary>
internal static class ArdourInstall
{
    /// <summary>The Debian package that provides Ardour 7 (ardour7-lua, the VST3 scanner, the Dummy backend).</summary>
    public const string AptPackage = "ardour";

    /// <summary>The Lua interpreter over libardour (a wrapper script for /usr/lib/ardour7/luasession).</summary>
    public const string LuaCommand = "ardour7-lua";

    /// <summary>Ardour's private libraries and helper programs.</summary>
    public const string LibraryDirectory = "/usr/lib/ardour7";

    /// <summary>The out-of-process VST3 scanner; it writes the .v3i cache Ardour lists plugins from.</summary>
    public static string Scanner => Path.Combine(LibraryDirectory, "ardour-vst3-scanner");

    /// <summary>The full path of ardour7-lua, or an exception whose message says which package to install.</summary>
    public static string RequireLua()
    {
        string? found = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, LuaCommand))
            .FirstOrDefault(File.Exists);
        if (found is null || !File.Exists(Scanner))
        {
            throw new ArdourMissingException(
                $"{LuaCommand} or {Scanner} is missing: install the Debian package `{AptPackage}` " +
                $"(apt-get install --no-install-recommends {AptPackage}; scripts/setup.sh does it) and test again.");
        }

        return found;
    }
}

/// <summary>Ardour is not installed on this machine.</summary>
public sealed class ArdourMissingException(string message) : Exception(message);

/// <summary>An Ardour program failed, timed out, or did not do what the test needed; the message carries its output.</summary>
public sealed class ArdourRunException(string message) : Exception(message);
