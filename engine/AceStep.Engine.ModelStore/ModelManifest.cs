using System.Text.Json;
using System.Text.Json.Serialization;

namespace AceStep.Engine.ModelStore;

/// <summary>One installed file as the manifest records it.</summary>
/// <param name="Path">Relative to the model's folder, forward slashes.</param>
/// <param name="Size">Bytes.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the content.</param>
public sealed record ManifestFile(string Path, long Size, string Sha256);

/// <summary>
/// What an install put on disk, written into the model's folder once every file is in place and checked. Its presence is
/// what makes a folder "installed"; its hashes are what <c>verify</c> checks against.
/// </summary>
public sealed record ModelManifest
{
    /// <summary>The manifest's file name inside a model's folder.</summary>
    public const string FileName = "acestep-manifest.json";

    /// <summary>Version of this format.</summary>
    public int Schema { get; init; } = 1;

    /// <summary>The model's id.</summary>
    public required string Model { get; init; }

    /// <summary>The hub repository it came from.</summary>
    public required string Repository { get; init; }

    /// <summary>The folder inside the repository, empty for the whole repository.</summary>
    public string RepositoryFolder { get; init; } = "";

    /// <summary>The repository commit the files came from; null when the hub did not say or the files were adopted.</summary>
    public string? Revision { get; init; }

    /// <summary><c>hub</c> for a pull, <c>adopted</c> for files copied in by hand and recorded as found.</summary>
    public string Source { get; init; } = "hub";

    /// <summary>When the manifest was written.</summary>
    public DateTimeOffset InstalledAt { get; init; }

    /// <summary>The files, in path order.</summary>
    public required IReadOnlyList<ManifestFile> Files { get; init; }

    /// <summary>Total bytes of <see cref="Files"/>.</summary>
    [JsonIgnore]
    public long TotalBytes => Files.Sum(f => f.Size);

    /// <summary>Reads the manifest in <paramref name="directory"/>; null when there is none or it cannot be read (a damaged
    /// manifest means the same as none: the model must be pulled or adopted again).</summary>
    public static ModelManifest? TryRead(string directory)
    {
        var path = System.IO.Path.Combine(directory, FileName);
        try
        {
            if (!File.Exists(path))
            {
                return null;
            }
            var manifest = JsonSerializer.Deserialize(File.ReadAllBytes(path), ModelStoreJson.Default.ModelManifest);
            return manifest is { Files: not null, Model: not null } ? manifest : null;
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Writes the manifest into <paramref name="directory"/> atomically (a temporary file renamed over the old one).</summary>
    public void Write(string directory)
    {
        var path = System.IO.Path.Combine(directory, FileName);
        var temporary = path + ".tmp";
        File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(this, ModelStoreJson.Default.ModelManifest));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Removes the manifest from <paramref name="directory"/>, so the folder no longer counts as installed.</summary>
    public static void Delete(string directory) => File.Delete(System.IO.Path.Combine(directory, FileName));
}

/// <summary>Source-generated JSON for the store's files (no reflection, so it trims and compiles ahead of time).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ModelManifest))]
internal sealed partial class ModelStoreJson : JsonSerializerContext;
