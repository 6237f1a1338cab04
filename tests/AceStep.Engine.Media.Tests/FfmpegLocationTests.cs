namespace AceStep.Engine.Media.Tests;

/// <summary>
/// Finding FFmpeg under each platform's rules, with stand-in programs (shell scripts that print a version line), so
/// the Windows rules (ffmpeg.exe, ';'-separated PATH, winget/choco advice) are checked on Linux.
/// </summary>
public sealed class FfmpegLocationTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("acestep-ffmpeg-").FullName;

    [Fact]
    public void Windows_rules_find_ffmpeg_exe_in_the_configured_folder()
    {
        // Input: ACESTEP_FFMPEG_DIR names a folder holding ffmpeg.exe and ffprobe.exe (no suffix-less programs).
        var folder = StandIn("win-bin", ".exe", "ffmpeg version 7.1-essentials_build-www.gyan.dev");

        var found = FfmpegInstallation.Locate(null, FfmpegPlatform.Windows, Env(("ACESTEP_FFMPEG_DIR", folder)));

        Assert.Equal(folder, found.Folder);
        Assert.Equal("ffmpeg version 7.1-essentials_build-www.gyan.dev", found.Version);
    }

    [Fact]
    public void Windows_rules_search_a_semicolon_separated_PATH_with_quoted_entries()
    {
        // Input: PATH = "<empty dir>;\"<dir with ffmpeg.exe>\"" as Windows writes it.
        var empty = Directory.CreateDirectory(Path.Combine(_root, "empty")).FullName;
        var folder = StandIn("Program Files", ".exe", "ffmpeg version stand-in");

        var found = FfmpegInstallation.Locate(null, FfmpegPlatform.Windows, Env(("PATH", $"{empty};\"{folder}\"")));

        Assert.Equal(folder, found.Folder);
    }

    [Fact]
    public void Windows_rules_ignore_programs_without_exe_and_advise_winget_or_choco()
    {
        // Input: the folder has Linux-style ffmpeg/ffprobe only; the Windows rules need ffmpeg.exe.
        var folder = StandIn("linux-bin", "", "ffmpeg version stand-in");

        var error = Assert.Throws<FfmpegNotFoundException>(() =>
            FfmpegInstallation.Locate(null, FfmpegPlatform.Windows, Env(("ACESTEP_FFMPEG_DIR", folder))));

        Assert.Contains("ffmpeg.exe and ffprobe.exe", error.Message, StringComparison.Ordinal);
        Assert.Contains(folder, error.Message, StringComparison.Ordinal);
        Assert.Contains("winget install", error.Message, StringComparison.Ordinal);
        Assert.Contains("choco install ffmpeg", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("apt-get", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unix_rules_find_suffixless_programs_on_a_colon_separated_PATH_and_advise_apt()
    {
        // Input: PATH = "<dir with ffmpeg.exe only>:<dir with ffmpeg>"; then a PATH with neither.
        var windowsOnly = StandIn("exe-only", ".exe", "ffmpeg version wrong");
        var folder = StandIn("bin", "", "ffmpeg version 5.1.6-0+deb12u1");

        var found = FfmpegInstallation.Locate(null, FfmpegPlatform.Unix, Env(("PATH", $"{windowsOnly}:{folder}")));
        Assert.Equal(folder, found.Folder);
        Assert.Equal("ffmpeg version 5.1.6-0+deb12u1", found.Version);

        var error = Assert.Throws<FfmpegNotFoundException>(() =>
            FfmpegInstallation.Locate(null, FfmpegPlatform.Unix, Env(("PATH", windowsOnly))));
        Assert.Contains("sudo apt-get install ffmpeg", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("winget", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A folder with stand-in ffmpeg and ffprobe (named with <paramref name="suffix"/>) that print
    /// <paramref name="version"/> for -version.</summary>
    private string StandIn(string name, string suffix, string version)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_root, name)).FullName;
        foreach (var program in new[] { "ffmpeg", "ffprobe" })
        {
            var path = Path.Combine(folder, program + suffix);
            File.WriteAllText(path, $"#!/bin/sh\necho '{version}'\n");
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return folder;
    }

    private static Func<string, string?> Env(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
