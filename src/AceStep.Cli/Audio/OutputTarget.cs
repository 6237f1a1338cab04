using System.Globalization;

namespace AceStep.Cli.Audio;

/// <summary>
/// Where results go and in which format: the format comes from <c>--out</c>'s extension, and with several results
/// each gets its number before the extension (<c>song.wav</c> → <c>song-1.wav</c>, <c>song-2.wav</c>).
/// </summary>
public sealed class OutputTarget
{
    private static readonly Dictionary<string, string> Formats = new(StringComparer.OrdinalIgnoreCase)
    {
        [".wav"] = "WAV",
        [".flac"] = "FLAC",
        [".mp3"] = "MP3",
        [".ogg"] = "OGG",
    };

    private OutputTarget(string path, string format)
    {
        Path = path;
        Format = format;
    }

    /// <summary>The full path given with <c>--out</c>.</summary>
    public string Path { get; }

    /// <summary>The task's <c>outputFormat</c>: WAV, FLAC, MP3 or OGG.</summary>
    public string Format { get; }

    /// <summary>
    /// Reads <c>--out</c>; throws <see cref="CliUsageException"/> for an extension the engine cannot write, before
    /// anything runs.
    /// </summary>
    public static OutputTarget Parse(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var extension = System.IO.Path.GetExtension(path);
        if (!Formats.TryGetValue(extension, out var format))
        {
            throw new CliUsageException(
                $"--out '{path}': the format comes from the extension, which must be .wav, .flac, .mp3 or .ogg" +
                (extension.Length == 0 ? " (it has none)." : $", not {extension}."));
        }
        return new OutputTarget(System.IO.Path.GetFullPath(path), format);
    }

    /// <summary>The file of result <paramref name="index"/> (0-based) out of <paramref name="count"/>.</summary>
    public string FileFor(int index, int count)
    {
        if (count <= 1)
        {
            return Path;
        }
        var directory = System.IO.Path.GetDirectoryName(Path) ?? "";
        var name = System.IO.Path.GetFileNameWithoutExtension(Path);
        var extension = System.IO.Path.GetExtension(Path);
        return System.IO.Path.Combine(directory, name + "-" + (index + 1).ToString(CultureInfo.InvariantCulture) + extension);
    }

    /// <summary>
    /// Writes one result through a temporary file in the same folder, so a failed or cancelled run never leaves
    /// a half-written file under the asked name. Throws <see cref="CliFileException"/> when the disk refuses.
    /// </summary>
    public static async Task WriteAsync(string path, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        var temporary = path + ".part-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            if (System.IO.Path.GetDirectoryName(path) is { Length: > 0 } directory)
            {
                Directory.CreateDirectory(directory);
            }
            await File.WriteAllBytesAsync(temporary, bytes, cancellationToken);
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliFileException($"The result could not be written to '{path}': {ex.Message}", ex);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }
}
