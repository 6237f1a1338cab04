using System.Runtime.InteropServices;

namespace AceStep.Engine.Host.Storage;

/// <summary>
/// Keeps the engine's files to the user who runs it (Unix): prompts, input audio and results are nobody else's
/// business on a shared machine. Directories are 0700 and files 0600; on Windows the profile folder's ACL already
/// does this, so nothing is changed there.
/// </summary>
public static class PrivateFiles
{
    /// <summary>Owner read, write and search.</summary>
    public const UnixFileMode Directory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Owner read and write.</summary>
    public const UnixFileMode File = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// Makes every file and directory the process creates from now on private (umask 077): SQLite's <c>-wal</c> and
    /// <c>-shm</c> files, results, kept inputs and temporary downloads included. Called by the engine process only,
    /// not by tests that host an engine in theirs.
    /// </summary>
    public static void RestrictNewFiles()
    {
        if (!OperatingSystem.IsWindows())
        {
            _ = umask(0b000_111_111);
        }
    }

    /// <summary>Sets <paramref name="path"/> (a directory) to 0700 when it exists.</summary>
    public static void RestrictDirectory(string path)
    {
        if (!OperatingSystem.IsWindows() && System.IO.Directory.Exists(path))
        {
            System.IO.File.SetUnixFileMode(path, Directory);
        }
    }

    /// <summary>
    /// Sets every file directly in <paramref name="directory"/> whose name starts with <paramref name="prefix"/> to 0600,
    /// so files an older engine left readable become private too.
    /// </summary>
    public static void RestrictFiles(string directory, string prefix = "")
    {
        if (OperatingSystem.IsWindows() || !System.IO.Directory.Exists(directory))
        {
            return;
        }
        foreach (var path in System.IO.Directory.EnumerateFiles(directory, prefix + "*"))
        {
            System.IO.File.SetUnixFileMode(path, File);
        }
    }

    [DllImport("libc", SetLastError = false)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int umask(int mask);
}
