using System.Net.Http.Headers;
using System.Text.Json;

namespace AceStep.Engine.ModelStore;

/// <summary>
/// The few Hugging Face hub calls the store needs: a repository's current commit, its file tree, and file addresses.
/// Transient failures are retried with exponential backoff.
/// </summary>
public sealed class HubClient
{
    private readonly HttpClient _http;
    private readonly DownloadOptions _retries;
    private readonly TimeProvider _time;

    /// <summary>Creates the client over <paramref name="http"/> (see <see cref="CreateHttpClient"/>).</summary>
    public HubClient(HttpClient http, HubOptions options, DownloadOptions? retries = null, TimeProvider? time = null)
    {
        _http = http ?? throw new ArgumentNullException(nameof(http));
        Options = options ?? throw new ArgumentNullException(nameof(options));
        _retries = retries ?? new DownloadOptions();
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The endpoint and token in use.</summary>
    public HubOptions Options { get; }

    /// <summary>Retry and timeout settings.</summary>
    public DownloadOptions Retries => _retries;

    /// <summary>
    /// An <see cref="HttpClient"/> suited to large downloads: its timeout covers only the wait for response headers
    /// (bodies are read with an idle timeout instead), it follows the hub's redirects to its storage, and it never
    /// decompresses, so byte counts and ranges mean what they say.
    /// </summary>
    public static HttpClient CreateHttpClient()
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = true,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
        };
        var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(100) };
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("acestep", typeof(HubClient).Assembly.GetName().Version?.ToString(3) ?? "0"));
        return http;
    }

    /// <summary>The commit the branch <c>main</c> of <paramref name="repository"/> points at, or null when the hub does not say.</summary>
    public Task<string?> GetRevisionAsync(string repository, CancellationToken cancellationToken)
    {
        var uri = new Uri(Options.Endpoint, $"api/models/{EscapeRepository(repository)}/revision/main");
        return WithRetriesAsync($"The hub ({uri})", async ct =>
        {
            using var response = await _http.SendAsync(Get(uri), HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
            Transient.ThrowUnlessSuccess(response, $"The hub ({uri})");
            var body = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
            try
            {
                using var document = JsonDocument.Parse(body);
                return document.RootElement.ValueKind == JsonValueKind.Object
                    && document.RootElement.TryGetProperty("sha", out var sha) && sha.ValueKind == JsonValueKind.String
                    ? sha.GetString()
                    : null;
            }
            catch (JsonException ex)
            {
                throw new ModelSourceException($"The hub ({uri}) answered with something that is not JSON: {ex.Message}", ex);
            }
        }, cancellationToken);
    }

    /// <summary>
    /// Every file of <paramref name="repository"/> at <paramref name="revision"/> under <paramref name="folder"/> (all of
    /// it when empty), following the listing's pages. Paths are the repository's, folder included.
    /// </summary>
    public async Task<IReadOnlyList<HubFile>> ListFilesAsync(string repository, string revision, string folder,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var path = $"api/models/{EscapeRepository(repository)}/tree/{Uri.EscapeDataString(revision)}";
        if (folder.Length > 0)
        {
            path += "/" + EscapePath(folder.Trim('/'));
        }
        Uri? next = new(Options.Endpoint, path + "?recursive=true");
        var files = new List<HubFile>();
        while (next is not null)
        {
            var page = next;
            (var pageFiles, next) = await WithRetriesAsync($"The hub ({page})", ct => ListPageAsync(page, ct), cancellationToken).ConfigureAwait(false);
            files.AddRange(pageFiles);
        }
        return files;
    }

    /// <summary>The download address of one file: <c>{endpoint}/{repository}/resolve/{revision}/{path}</c>.</summary>
    public Uri FileUri(string repository, string revision, string path) =>
        new(Options.Endpoint, $"{EscapeRepository(repository)}/resolve/{Uri.EscapeDataString(revision)}/{EscapePath(path)}");

    /// <summary>A GET request carrying the token, if any.</summary>
    internal HttpRequestMessage Get(Uri uri)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (Options.Token is { } token)
        {
            // HttpClient drops this header when the hub redirects to its storage host, which is what the hub expects.
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return request;
    }

    internal HttpClient Http => _http;

    internal TimeProvider Time => _time;

    /// <summary>Runs <paramref name="action"/>, retrying transient failures with backoff; gives up with <see cref="ModelSourceException"/>.</summary>
    internal async Task<T> WithRetriesAsync<T>(string what, Func<CancellationToken, Task<T>> action, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await action(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (Transient.Is(ex, cancellationToken))
            {
                if (attempt >= _retries.MaxAttempts)
                {
                    throw new ModelSourceException($"{what} kept failing after {attempt} attempts: {ex.Message}", ex);
                }
                await Task.Delay(_retries.RetryDelay(attempt), _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<(List<HubFile> Files, Uri? Next)> ListPageAsync(Uri uri, CancellationToken cancellationToken)
    {
        using var response = await _http.SendAsync(Get(uri), HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        Transient.ThrowUnlessSuccess(response, $"The hub ({uri})");
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var files = new List<HubFile>();
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw new ModelSourceException($"The hub ({uri}) answered with JSON that is not a file list.");
            }
            foreach (var item in document.RootElement.EnumerateArray())
            {
                if (item.GetProperty("type").GetString() != "file")
                {
                    continue;   // directories: their files are listed too, because the listing is recursive
                }
                string? sha256 = null;
                var size = item.GetProperty("size").GetInt64();
                if (item.TryGetProperty("lfs", out var lfs) && lfs.ValueKind == JsonValueKind.Object)
                {
                    sha256 = lfs.GetProperty("oid").GetString()?.ToLowerInvariant();
                    size = lfs.TryGetProperty("size", out var lfsSize) ? lfsSize.GetInt64() : size;
                }
                files.Add(new HubFile(item.GetProperty("path").GetString()!, size, item.GetProperty("oid").GetString() ?? "", sha256));
            }
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new ModelSourceException($"The hub ({uri}) answered with a file list this version cannot read: {ex.Message}", ex);
        }
        return (files, NextPage(response));
    }

    // The hub pages long listings with an RFC 8288 header: Link: <url>; rel="next".
    private static Uri? NextPage(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var values))
        {
            return null;
        }
        foreach (var link in values.SelectMany(v => v.Split(',')))
        {
            var parts = link.Split(';');
            if (parts.Length > 1 && parts.Skip(1).Any(p => p.Trim().Replace(" ", "", StringComparison.Ordinal) is "rel=\"next\"" or "rel=next")
                && Uri.TryCreate(parts[0].Trim().TrimStart('<').TrimEnd('>'), UriKind.Absolute, out var next))
            {
                return next;
            }
        }
        return null;
    }

    private static string EscapeRepository(string repository) => EscapePath(repository);

    private static string EscapePath(string path) => string.Join('/', path.Split('/').Select(Uri.EscapeDataString));
}
