using System.Diagnostics;
using FFMpegCore;

namespace AceStep.Engine.Media;

/// <summary>A usable FFmpeg: both programs found and the version they report.</summary>
public sealed class FfmpegInstallation
{
    /// <summary>Environment variable naming a folder that holds <c>ffmpeg</c> and <c>ffprobe</c> (<c>.exe</c> on Windows).</summary>
    public const string FolderVariable = "ACESTEP_FFMPEG_DIR";

    private FfmpegInstallation(string folder, string version)
    {
        Folder = folder;
        Version = version;
        Options = new FFOptions { BinaryFolder = folder, TemporaryFilesFolder = Path.GetTempPath() };
    }

    /// <summary>The folder holding both programs.</summary>
    public string Folder { get; }

    /// <summary>The first line of <c>ffmpeg -version</c>.</summary>
    public string Version { get; }

    /// <summary>Per-call FFMpegCore options (never the library's global state).</summary>
    internal FFOptions Options { get; }

    /// <summary>
    /// Finds FFmpeg in <paramref name="folder"/>, else <see cref="FolderVariable"/>, else PATH, and checks it runs.
    /// Throws <see cref="FfmpegNotFoundException"/> saying how to install it on this operating system.
    /// </summary>
    public static FfmpegInstallation Locate(string? folder = null) =>
        Locate(folder, FfmpegPlatform.Current, Environment.GetEnvironmentVariable);

    /// <summary><see cref="Locate(string?)"/> under the rules of <paramref name="platform"/>, reading the environment
    /// through <paramref name="environment"/> (tests check the Windows rules on Linux).</summary>
    internal static FfmpegInstallation Locate(string? folder, FfmpegPlatform platform, Func<string, string?> environment)
    {
        string[] candidates = folder is not null
            ? [folder]
            : environment(FolderVariable) is { Length: > 0 } configured
                ? [configured]
                : (environment("PATH") ?? "").Split(platform.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var ffmpeg = platform.Program("ffmpeg");
        var ffprobe = platform.Program("ffprobe");
        foreach (var candidate in candidates)
        {
            // Windows PATH entries may be quoted ("C:\Program Files\ffmpeg\bin").
            var directory = candidate.Trim('"');
            if (File.Exists(Path.Combine(directory, ffmpeg)) && File.Exists(Path.Combine(directory, ffprobe)))
            {
                return new FfmpegInstallation(directory, ReadVersion(Path.Combine(directory, ffmpeg)));
            }
        }
        var where = folder ?? (environment(FolderVariable) is { Length: > 0 } variable ? $"{variable} ({FolderVariable})" : "PATH");
        throw new FfmpegNotFoundException($"FFmpeg ({ffmpeg} and {ffprobe}) was not found in {where}. {platform.InstallAdvice}");
    }

    private static string ReadVersion(string ffmpeg)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(ffmpeg, "-hide_banner -version")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            // Start gives no process for a file that is not a program of this system (seen under Wine for a Unix
            // script named ffmpeg.exe): report it like any other unusable FFmpeg rather than fail with a null.
            if (process is null)
                throw new FfmpegNotFoundException($"'{ffmpeg}' exists but did not start as a program.");
            var firstLine = process.StandardOutput.ReadLine() ?? "";
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? firstLine : throw new FfmpegNotFoundException($"'{ffmpeg} -version' failed with exit code {process.ExitCode}.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new FfmpegNotFoundException($"'{ffmpeg}' exists but cannot be run: {ex.Message}", ex);
        }
    }
}
