using System.Globalization;
using AceStep.Engine.Host.Storage;

namespace AceStep.Engine.Host.Delivery;

/// <summary>
/// Result files and uploaded media in the data directory's <c>media/</c>, named <c>&lt;uuid&gt;.&lt;ext&gt;</c>,
/// served at <c>/v1/media/&lt;uuid&gt;.&lt;ext&gt;</c> until they expire. Each file has a row in the job store's
/// <c>media</c> table with its expiry; an expired file is never served, even before the sweeper deletes it.
/// </summary>
public sealed class MediaFiles : IDisposable
{
    private static readonly Dictionary<string, string> s_contentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["mp3"] = "audio/mpeg",
        ["ogg"] = "audio/ogg",
        ["flac"] = "audio/flac",
        ["wav"] = "audio/wav",
    };

    private readonly string _directory;
    private readonly JobDatabase _database;
    private readonly TimeProvider _clock;
    private readonly long _quota;
    private readonly SemaphoreSlim _saving = new(1, 1);

    /// <summary>Uses the data directory's media folder and the job store's media index.</summary>
    public MediaFiles(DataDirectory data, JobDatabase database, TimeProvider clock, EngineOptions options)
    {
        _quota = options.MediaQuotaBytes;
        _directory = data.MediaDirectory;
        _database = database;
        _clock = clock;
    }

    /// <summary>
    /// Writes a file atomically (temp file, then rename) that expires after <paramref name="lifetime"/>, and
    /// returns its file name.
    /// </summary>
    public async Task<string> SaveAsync(Guid uuid, string extension, ReadOnlyMemory<byte> bytes, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var name = $"{uuid}.{extension}";
        var path = Path.Combine(_directory, name);
        var temp = Path.Combine(_directory, $".{name}.{Guid.NewGuid():N}.part");
        // One save at a time, so two saves cannot both pass the quota check.
        await _saving.WaitAsync(cancellationToken);
        try
        {
            using var connection = _database.Connect();
            using (var used = connection.CreateCommand())
            {
                used.CommandText = "SELECT COALESCE(SUM(bytes), 0) FROM media";
                var total = (long)used.ExecuteScalar()!;
                if (total + bytes.Length > _quota)
                {
                    throw new MediaQuotaExceededException(
                        $"The engine's media storage is full ({total / 1_048_576} MB of {_quota / 1_048_576} MB used); a {bytes.Length / 1024} KB file does not fit. " +
                        "Delete media with mediaStorage, use a shorter ttl, or raise --media-quota-mb.");
                }
            }
            try
            {
                await WritePrivateAsync(temp, bytes, cancellationToken);
                File.Move(temp, path, overwrite: true);
            }
            finally
            {
                File.Delete(temp);
            }
            Index(connection, uuid, name, extension, bytes.Length, lifetime);
        }
        finally
        {
            _saving.Release();
        }
        return name;
    }

    private void Index(Microsoft.Data.Sqlite.SqliteConnection connection, Guid uuid, string name, string extension, int length, TimeSpan lifetime)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT OR REPLACE INTO media (media_uuid, path, content_type, bytes, expires_utc) VALUES ($u, $p, $t, $b, $e)";
        command.Parameters.AddWithValue("$u", uuid.ToString());
        command.Parameters.AddWithValue("$p", name);
        command.Parameters.AddWithValue("$t", ContentType(extension));
        command.Parameters.AddWithValue("$b", length);
        command.Parameters.AddWithValue("$e", (_clock.GetUtcNow() + lifetime).ToString("O", CultureInfo.InvariantCulture));
        command.ExecuteNonQuery();
    }

    /// <summary>Writes a new file readable by this user only (0600 on Unix), whatever the process umask.</summary>
    private static async Task WritePrivateAsync(string path, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Options = FileOptions.Asynchronous };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = Storage.PrivateFiles.File;
        }
        await using var file = new FileStream(path, options);
        await file.WriteAsync(bytes, cancellationToken);
    }

    /// <summary>
    /// The path and content type of a served file, or null when the name is not one of ours (only
    /// <c>&lt;uuid&gt;.&lt;known ext&gt;</c> is accepted: no path tricks), it does not exist, or it has expired.
    /// </summary>
    public (string Path, string ContentType)? Find(string fileName)
    {
        var dot = fileName.LastIndexOf('.');
        if (dot <= 0 || !Guid.TryParseExact(fileName[..dot], "D", out var uuid) || !s_contentTypes.TryGetValue(fileName[(dot + 1)..], out var type))
        {
            return null;
        }
        // The file is stored under the canonical (lower-case) name; a UUID or extension in upper case names the same file.
        var path = Path.Combine(_directory, $"{uuid}.{fileName[(dot + 1)..].ToLowerInvariant()}");
        return File.Exists(path) && !IsExpired(uuid) ? (path, type) : null;
    }

    /// <summary>The live stored file of an earlier result or upload, whatever its format, or null.</summary>
    public string? FindByUuid(Guid uuid) =>
        IsExpired(uuid) ? null : s_contentTypes.Keys.Select(ext => Path.Combine(_directory, $"{uuid}.{ext}")).FirstOrDefault(File.Exists);

    /// <summary>Deletes a stored file and its index row; false when there was none.</summary>
    public bool Delete(Guid uuid)
    {
        var path = FindByUuid(uuid);
        using var connection = _database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM media WHERE media_uuid = $u";
        command.Parameters.AddWithValue("$u", uuid.ToString());
        command.ExecuteNonQuery();
        if (path is null)
        {
            return false;
        }
        File.Delete(path);
        return true;
    }

    /// <summary>Deletes every expired file and its row, and stray temp files; returns how many files went.</summary>
    public int SweepExpired()
    {
        var now = _clock.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
        var expired = new List<(string Uuid, string Path)>();
        using var connection = _database.Connect();
        using (var select = connection.CreateCommand())
        {
            select.CommandText = "SELECT media_uuid, path FROM media WHERE expires_utc IS NOT NULL AND expires_utc <= $now";
            select.Parameters.AddWithValue("$now", now);
            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                expired.Add((reader.GetString(0), reader.GetString(1)));
            }
        }
        foreach (var (uuid, name) in expired)
        {
            File.Delete(Path.Combine(_directory, name));
            using var delete = connection.CreateCommand();
            delete.CommandText = "DELETE FROM media WHERE media_uuid = $u";
            delete.Parameters.AddWithValue("$u", uuid);
            delete.ExecuteNonQuery();
        }
        return expired.Count;
    }

    /// <inheritdoc />
    public void Dispose() => _saving.Dispose();

    /// <summary>The content type for a file extension.</summary>
    public static string ContentType(string extension) => s_contentTypes.TryGetValue(extension, out var type) ? type : "application/octet-stream";

    private bool IsExpired(Guid uuid)
    {
        using var connection = _database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT expires_utc FROM media WHERE media_uuid = $u";
        command.Parameters.AddWithValue("$u", uuid.ToString());
        return command.ExecuteScalar() is string expires
            && DateTimeOffset.Parse(expires, CultureInfo.InvariantCulture) <= _clock.GetUtcNow();
    }
}

/// <summary>The media quota is full; the message says how full and what to do.</summary>
public sealed class MediaQuotaExceededException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MediaQuotaExceededException(string message) : base(message)
    {
    }
}
