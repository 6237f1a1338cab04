namespace AceStep.Engine.Media;

/// <summary>
/// What finding FFmpeg depends on per operating system: the programs' file names, how PATH is split and how to
/// install it. The one platform seam of <see cref="FfmpegInstallation"/>, so the Windows rules are tested on Linux.
/// </summary>
internal sealed record FfmpegPlatform(string ExecutableSuffix, char PathSeparator, string InstallAdvice)
{
    /// <summary>Windows: <c>ffmpeg.exe</c>/<c>ffprobe.exe</c>, PATH split at ';', installed with winget or Chocolatey.</summary>
    public static FfmpegPlatform Windows { get; } = new(".exe", ';',
        "Install it with 'winget install Gyan.FFmpeg' or 'choco install ffmpeg' (scripts/setup.ps1 does this), then open a new terminal; " +
        "or unpack a Windows build of FFmpeg to a folder and set " + FfmpegInstallation.FolderVariable + " to the folder holding ffmpeg.exe and ffprobe.exe.");

    /// <summary>Linux and other Unix systems: <c>ffmpeg</c>/<c>ffprobe</c>, PATH split at ':', installed with apt.</summary>
    public static FfmpegPlatform Unix { get; } = new("", ':',
        "Install it with 'sudo apt-get install ffmpeg' (scripts/setup.sh does this), or set " + FfmpegInstallation.FolderVariable + " to its folder.");

    /// <summary>The rules of the system this process runs on.</summary>
    public static FfmpegPlatform Current { get; } = OperatingSystem.IsWindows() ? Windows : Unix;

    /// <summary>The file name of FFmpeg's program <paramref name="name"/> (ffmpeg or ffprobe) on this platform.</summary>
    public string Program(string name) => name + ExecutableSuffix;
}
