using System.Diagnostics;
using FFMpegCore;

namespace AceStep.Engine.Media;

/// <summary>A usable FFmpeg: both programs found and the version they report.</summary>
public sealed class FfmpegInstallation
{
    /// <summary>Environment variable naming a folder that holds <c>ffmpeg</c> and <c>ffprobe</c>.</summary>
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
    /// Throws <see cref="FfmpegNotFoundException"/> saying how to install it.
    /// </summary>
    public static FfmpegInstallation Locate(string? folder = null)
    {
        var candidates = folder is not null
            ? [folder]
            : Environment.GetEnvironmentVariable(FolderVariable) is { Length: > 0 } configured
                ? [configured]
                : (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        foreach (var candidate in candidates)
        {
            if (File.Exists(Path.Combine(candidate, "ffmpeg")) && File.Exists(Path.Combine(candidate, "ffprobe")))
            {
                return new FfmpegInstallation(candidate, ReadVersion(Path.Combine(candidate, "ffmpeg")));
            }
        }
        throw new FfmpegNotFoundException(
            $"FFmpeg (ffmpeg and ffprobe) was not found in {(folder ?? (candidates.Length == 1 ? candidates[0] : "PATH"))}. " +
            $"Install it with 'sudo apt-get install ffmpeg' (scripts/setup.sh does this), or set {FolderVariable} to its folder.");
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
            })!;
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
