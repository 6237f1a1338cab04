using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace AceStep.Engine.ModelStore;

/// <summary>
/// The hashes a file is checked with, computed in one pass as bytes stream by: SHA-256 (what LFS files are named by and
/// what manifests record) and, for files kept in git itself, the git blob id.
/// </summary>
internal sealed class FileHashes : IDisposable
{
    private readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly IncrementalHash? _gitBlob;

    [SuppressMessage("Security", "CA5350:Do not use weak cryptographic algorithms",
        Justification = "SHA-1 is how git names blobs; it identifies a file here, it protects nothing.")]
    public FileHashes(long? gitBlobSize)
    {
        if (gitBlobSize is { } size)
        {
            _gitBlob = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
            _gitBlob.AppendData(Encoding.ASCII.GetBytes($"blob {size}\0"));
        }
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        _sha256.AppendData(data);
        _gitBlob?.AppendData(data);
    }

    /// <summary>Lower-case hex SHA-256 so far (the state carries on).</summary>
    public string Sha256() => Convert.ToHexStringLower(_sha256.GetCurrentHash());

    /// <summary>Lower-case hex git blob id so far, or null when not computed.</summary>
    public string? GitBlobId() => _gitBlob is null ? null : Convert.ToHexStringLower(_gitBlob.GetCurrentHash());

    public void Dispose()
    {
        _sha256.Dispose();
        _gitBlob?.Dispose();
    }

    /// <summary>Streams a file on disk through fresh hashes, reporting bytes read.</summary>
    public static async Task<FileHashes> OfFileAsync(string path, long? gitBlobSize, Action<long>? progress, CancellationToken cancellationToken)
    {
        var hashes = new FileHashes(gitBlobSize);
        try
        {
            await hashes.AppendFileAsync(path, progress, cancellationToken).ConfigureAwait(false);
            return hashes;
        }
        catch
        {
            hashes.Dispose();
            throw;
        }
    }

    /// <summary>Appends a file's whole content.</summary>
    public async Task AppendFileAsync(string path, Action<long>? progress, CancellationToken cancellationToken)
    {
        var buffer = new byte[1 << 20];
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        long done = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            Append(buffer.AsSpan(0, read));
            done += read;
            progress?.Invoke(done);
        }
    }
}
