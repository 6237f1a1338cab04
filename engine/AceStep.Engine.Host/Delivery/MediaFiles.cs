using AceStep.Engine.Host.Storage;

namespace AceStep.Engine.Host.Delivery;

/// <summary>
/// Result files in the data directory's <c>media/</c>, named <c>&lt;audioUUID&gt;.&lt;ext&gt;</c> and served at
/// <c>/v1/media/&lt;audioUUID&gt;.&lt;ext&gt;</c>.
/// </summary>
public sealed class MediaFiles
{
    private static readonly Dictionary<string, string> s_contentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["mp3"] = "audio/mpeg",
        ["ogg"] = "audio/ogg",
        ["flac"] = "audio/flac",
        ["wav"] = "audio/wav",
    };

    private readonly string _directory;

    /// <summary>Uses the data directory's media folder.</summary>
    public MediaFiles(DataDirectory data) => _directory = data.MediaDirectory;

    /// <summary>Writes a result file atomically (temp file, then rename) and returns its file name.</summary>
    public async Task<string> SaveAsync(Guid audioUuid, string extension, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        var name = $"{audioUuid}.{extension}";
        var temp = Path.Combine(_directory, $".{name}.{Guid.NewGuid():N}.part");
        try
        {
            await File.WriteAllBytesAsync(temp, bytes, cancellationToken);
            File.Move(temp, Path.Combine(_directory, name), overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
        return name;
    }

    /// <summary>
    /// The path and content type of a served file, or null when the name is not one of ours (no path tricks:
    /// only <c>&lt;uuid&gt;.&lt;known ext&gt;</c> is accepted).
    /// </summary>
    public (string Path, string ContentType)? Find(string fileName)
    {
        var dot = fileName.LastIndexOf('.');
        if (dot <= 0 || !Guid.TryParseExact(fileName[..dot], "D", out _) || !s_contentTypes.TryGetValue(fileName[(dot + 1)..], out var type))
        {
            return null;
        }
        var path = Path.Combine(_directory, fileName);
        return File.Exists(path) ? (path, type) : null;
    }

    /// <summary>The stored file of an earlier result, whatever its format, or null.</summary>
    public string? FindByUuid(Guid audioUuid) =>
        s_contentTypes.Keys.Select(ext => Path.Combine(_directory, $"{audioUuid}.{ext}")).FirstOrDefault(File.Exists);

    /// <summary>The content type for a file extension.</summary>
    public static string ContentType(string extension) => s_contentTypes.TryGetValue(extension, out var type) ? type : "application/octet-stream";
}
