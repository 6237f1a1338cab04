using System.Net;
using System.Net.Http.Headers;

namespace AceStep.Engine.ModelStore;

/// <summary>
/// Downloads one hub file into place: into <c>&lt;file&gt;.partial</c>, resuming an earlier part with a Range request,
/// hashing as it goes, and renaming onto the real name only once size and hash match what the hub announced.
/// </summary>
internal sealed class FileDownloader
{
    /// <summary>Suffix of a file still being downloaded.</summary>
    public const string PartialSuffix = ".partial";

    private readonly HubClient _hub;

    public FileDownloader(HubClient hub) => _hub = hub;

    /// <summary>
    /// Fetches <paramref name="uri"/> into <paramref name="target"/> and returns its SHA-256. <paramref name="progress"/>
    /// gets the bytes of this file that are on disk and checked so far (re-hashing a part counts too).
    /// Throws <see cref="DownloadIntegrityException"/> when the bytes are wrong and <see cref="ModelSourceException"/> when
    /// the hub keeps failing.
    /// </summary>
    public async Task<string> DownloadAsync(Uri uri, string target, HubFile file, Action<ProgressStage, long> progress,
        CancellationToken cancellationToken)
    {
        var partial = target + PartialSuffix;
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var failures = 0;
        var restartedAfterMismatch = false;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var have = File.Exists(partial) ? new FileInfo(partial).Length : 0;
            if (have > file.Size)
            {
                File.Delete(partial);   // left by another version of the file; none of it can be trusted
                have = 0;
            }
            var resumed = have > 0;
            // Re-hash what is already on disk instead of trusting it: the hash must cover every byte of the final file.
            using var hashes = resumed
                ? await FileHashes.OfFileAsync(partial, GitBlobSize(file), done => progress(ProgressStage.Hashing, done), cancellationToken).ConfigureAwait(false)
                : new FileHashes(GitBlobSize(file));
            try
            {
                if (!resumed || have < file.Size)
                {
                    await FetchAsync(uri, partial, file, hashes, have, progress, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (Transient.Is(ex, cancellationToken))
            {
                var now = File.Exists(partial) ? new FileInfo(partial).Length : 0;
                // A drop after real progress is normal on long downloads; only attempts that move nothing count.
                failures = now > have ? 1 : failures + 1;
                if (failures >= _hub.Retries.MaxAttempts)
                {
                    throw new ModelSourceException($"Downloading {file.Path} from {uri} kept failing after {failures} attempts without progress: {ex.Message}", ex);
                }
                await Task.Delay(_hub.Retries.RetryDelay(failures), _hub.Time, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var problem = Check(file, new FileInfo(partial).Length, hashes);
            if (problem is null)
            {
                File.Move(partial, target, overwrite: true);
                return hashes.Sha256();
            }
            File.Delete(partial);
            if (resumed && !restartedAfterMismatch)
            {
                // The old part may have come from an earlier revision of the file: start over once from nothing.
                restartedAfterMismatch = true;
                continue;
            }
            throw new DownloadIntegrityException(file.Path, $"{file.Path} from {uri} is damaged: {problem}. The download was discarded; run the pull again.");
        }
    }

    /// <summary>Null when the bytes are right, else what is wrong.</summary>
    internal static string? Check(HubFile file, long length, FileHashes hashes)
    {
        if (length != file.Size)
        {
            return $"{length} bytes instead of {file.Size}";
        }
        if (file.Sha256 is { } sha256 && !string.Equals(hashes.Sha256(), sha256, StringComparison.OrdinalIgnoreCase))
        {
            return $"SHA-256 {hashes.Sha256()} instead of {sha256}";
        }
        if (hashes.GitBlobId() is { } blob && file.GitOid.Length > 0 && !string.Equals(blob, file.GitOid, StringComparison.OrdinalIgnoreCase))
        {
            return $"git blob id {blob} instead of {file.GitOid}";
        }
        return null;
    }

    /// <summary>Files in git itself are checked by their blob id; LFS files by SHA-256 (their git id names the pointer).</summary>
    internal static long? GitBlobSize(HubFile file) => file.Sha256 is null && file.GitOid.Length == 40 ? file.Size : null;

    private async Task FetchAsync(Uri uri, string partial, HubFile file, FileHashes hashes, long have,
        Action<ProgressStage, long> progress, CancellationToken cancellationToken)
    {
        using var request = _hub.Get(uri);
        if (have > 0)
        {
            request.Headers.Range = new RangeHeaderValue(have, null);
        }
        HttpResponseMessage response;
        try
        {
            response = await _hub.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex) when (ex.StatusCode is null)
        {
            throw new TransientNetworkException($"could not connect: {ex.Message}", ex);
        }
        using (response)
        {
            var mode = have > 0 ? FileMode.Append : FileMode.Create;
            if (have > 0 && response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
            {
                File.Delete(partial);
                throw new TransientNetworkException("the server would not resume the part on disk; starting the file over");
            }
            Transient.ThrowUnlessSuccess(response, $"Downloading {file.Path} ({uri})");
            if (have > 0 && response.StatusCode == HttpStatusCode.PartialContent)
            {
                if (response.Content.Headers.ContentRange?.From is { } from && from != have)
                {
                    File.Delete(partial);
                    throw new TransientNetworkException($"the server resumed at byte {from} instead of {have}; starting the file over");
                }
            }
            else
            {
                // A 200 answers a Range request with the whole file: the part on disk is worthless, and the hashes
                // already hold it, so the next attempt starts clean.
                if (have > 0)
                {
                    File.Delete(partial);
                    throw new TransientNetworkException("the server ignored the resume request; starting the file over");
                }
            }
            await CopyBodyAsync(response, partial, mode, file, hashes, have, progress, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task CopyBodyAsync(HttpResponseMessage response, string partial, FileMode mode, HubFile file, FileHashes hashes,
        long have, Action<ProgressStage, long> progress, CancellationToken cancellationToken)
    {
        var buffer = new byte[1 << 20];
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await using var body = await Network(() => response.Content.ReadAsStreamAsync(cancellationToken)).ConfigureAwait(false);
        // What is written stays in the part file (disposing flushes it) and the next attempt resumes after it. Disk
        // errors (a full disk) are not network errors and are not retried.
        await using var output = new FileStream(partial, mode, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
        while (true)
        {
            idle.CancelAfter(_hub.Retries.ReadIdleTimeout);
            var read = await Network(() => body.ReadAsync(buffer, idle.Token).AsTask()).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }
            if (have + read > file.Size)
            {
                await output.DisposeAsync().ConfigureAwait(false);
                File.Delete(partial);
                throw new DownloadIntegrityException(file.Path,
                    $"{file.Path} from {response.RequestMessage?.RequestUri} is longer than the {file.Size} bytes the hub announced. The download was discarded.");
            }
            await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            hashes.Append(buffer.AsSpan(0, read));
            have += read;
            progress(ProgressStage.Downloading, have);
        }
        if (have < file.Size)
        {
            throw new TransientNetworkException($"the server stopped after {have} of {file.Size} bytes");
        }

        async Task<T> Network<T>(Func<Task<T>> read)
        {
            try
            {
                return await read().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException
                || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                throw new TransientNetworkException($"the connection broke after {have} of {file.Size} bytes: {ex.Message}", ex);
            }
        }
    }
}
