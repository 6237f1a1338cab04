using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using AceStep.Contracts;
using AceStep.Contracts.Validation;

namespace AceStep.Engine.Host.Inputs;

/// <summary>
/// Downloads input audio named by an http(s) URL, bounded in size and time, and explains every failure as an
/// <see cref="InputAudioFetchException"/> that names the URL's host and the reason.
/// </summary>
/// <remarks>
/// <para>
/// The body is streamed to a file (<see cref="FetchToFileAsync"/>), not gathered in memory: the size limit allows
/// half a GiB, FFmpeg decodes from a path anyway, and a growing <see cref="MemoryStream"/> would hold up to twice the
/// body on the large-object heap. <see cref="FetchAsync"/> is the same download into memory, for callers that want
/// bytes and set a smaller limit.
/// </para>
/// <para>
/// Limits: only http and https; at most <see cref="MaxBytes"/> (checked against <c>Content-Length</c> before the
/// body is read and again while it streams, so a chunked or lying server is cut off at the limit); the connection
/// must open within <see cref="ConnectTimeout"/> and the whole download, redirects included, finish within
/// <see cref="Timeout"/>; up to <see cref="MaxRedirects"/> redirects are followed (never from https down to http).
/// No cookies, no credentials, no content decompression (so the byte limit is the bytes on the wire). One instance
/// holds one pooled <see cref="HttpClient"/>: keep it for the life of the engine and dispose it at shutdown.
/// </para>
/// </remarks>
public sealed class UrlAudioFetcher : IDisposable
{
    /// <summary>The default size limit: 512 MiB.</summary>
    public const long DefaultMaxBytes = 512L * 1024 * 1024;

    /// <summary>Redirects followed before the fetch is refused (<see cref="UrlPolicy.MaxRedirects"/>).</summary>
    public const int MaxRedirects = UrlPolicy.MaxRedirects;

    /// <summary>The default limit for the whole download: 60 s.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The default limit for opening the connection: 10 s.</summary>
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(10);

    private const int BufferSize = 81_920;

    private readonly HttpClient _client;

    /// <summary>Creates a fetcher with its own connection pool.</summary>
    /// <param name="maxBytes">Largest body accepted, in bytes; <see cref="DefaultMaxBytes"/> when omitted.</param>
    /// <param name="timeout">Limit for the whole download; <see cref="DefaultTimeout"/> when omitted.</param>
    /// <param name="connectTimeout">Limit for opening each connection; <see cref="DefaultConnectTimeout"/> when omitted.</param>
    public UrlAudioFetcher(long maxBytes = DefaultMaxBytes, TimeSpan? timeout = null, TimeSpan? connectTimeout = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        MaxBytes = maxBytes;
        Timeout = timeout ?? DefaultTimeout;
        ConnectTimeout = connectTimeout ?? DefaultConnectTimeout;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Timeout, TimeSpan.Zero, nameof(timeout));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ConnectTimeout, TimeSpan.Zero, nameof(connectTimeout));
        var handler = new SocketsHttpHandler
        {
            // Redirects are followed here, one by one, so each target passes UrlPolicy like the URL the user gave.
            AllowAutoRedirect = false,
            ConnectTimeout = ConnectTimeout,
            UseCookies = false,
            Credentials = null,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        };
        _client = new HttpClient(handler, disposeHandler: true) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        var version = typeof(UrlAudioFetcher).Assembly.GetName().Version ?? new Version(0, 0);
        _client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("acestep-engine", version.ToString(3)));
    }

    /// <summary>Largest body accepted, in bytes.</summary>
    public long MaxBytes { get; }

    /// <summary>Limit for the whole download, redirects included.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>Limit for opening each connection.</summary>
    public TimeSpan ConnectTimeout { get; }

    /// <summary>
    /// Downloads <paramref name="url"/> into memory. Throws <see cref="InputAudioFetchException"/> for any failure,
    /// and <see cref="OperationCanceledException"/> only when <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public async Task<byte[]> FetchAsync(Uri url, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await DownloadAsync(url, buffer, cancellationToken).ConfigureAwait(false);
        return buffer.ToArray();
    }

    /// <summary>
    /// Downloads <paramref name="url"/> into the file <paramref name="destinationPath"/> (created or overwritten) and
    /// returns its length in bytes. On failure the partial file is deleted and <see cref="InputAudioFetchException"/>
    /// is thrown; <see cref="OperationCanceledException"/> only when <paramref name="cancellationToken"/> is
    /// cancelled. The caller owns the file and deletes it when done.
    /// </summary>
    public async Task<long> FetchToFileAsync(Uri url, string destinationPath, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(destinationPath);
        var completed = false;
        try
        {
            var file = new FileStream(destinationPath, FileMode.Create, FileAccess.Write, FileShare.None, BufferSize, useAsync: true);
            await using (file.ConfigureAwait(false))
            {
                var length = await DownloadAsync(url, file, cancellationToken).ConfigureAwait(false);
                completed = true;
                return length;
            }
        }
        finally
        {
            if (!completed)
            {
                File.Delete(destinationPath);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => _client.Dispose();

    private async Task<long> DownloadAsync(Uri url, Stream destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri)
        {
            throw new InputAudioFetchException(ErrorCodes.Invalid("audio"), "",
                $"The input audio URL '{url}' is not absolute; it must start with http:// or https://.");
        }
        var host = url.Host;
        if (UrlPolicy.Problem(url) is { } problem)
        {
            throw Invalid(host, problem);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Timeout);
        long received = 0;
        try
        {
            using var response = await SendFollowingRedirectsAsync(url, deadline.Token).ConfigureAwait(false);
            // After redirects, the host that answered may not be the one asked.
            var answered = response.RequestMessage?.RequestUri?.Host ?? host;
            var via = answered == host ? "" : $" (redirected to {answered})";
            var status = (int)response.StatusCode;
            if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
            {
                throw new InputAudioFetchException(ErrorCodes.MediaNotFound, host,
                    $"The input audio was not found: {host}{via} answered {status} {response.ReasonPhrase}.");
            }
            if (status is >= 300 and < 400)
            {
                throw Invalid(host, $"{host}{via} answered {status} {response.ReasonPhrase} without a Location to follow");
            }
            if (!response.IsSuccessStatusCode)
            {
                throw Invalid(host, $"{host}{via} answered {status} {response.ReasonPhrase}");
            }
            if (response.Content.Headers.ContentLength is { } declared && declared > MaxBytes)
            {
                throw Invalid(host, $"{host}{via} announced {Size(declared)}, over the limit of {Size(MaxBytes)}; nothing was downloaded");
            }

            var body = await response.Content.ReadAsStreamAsync(deadline.Token).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                var buffer = new byte[BufferSize];
                int read;
                while ((read = await body.ReadAsync(buffer, deadline.Token).ConfigureAwait(false)) > 0)
                {
                    received += read;
                    if (received > MaxBytes)
                    {
                        throw Invalid(host, $"{host}{via} sent more than the limit of {Size(MaxBytes)}; the download was stopped");
                    }
                    await destination.WriteAsync(buffer.AsMemory(0, read), deadline.Token).ConfigureAwait(false);
                }
            }
            if (received == 0)
            {
                throw Invalid(host, $"{host}{via} answered {status} with an empty body");
            }
            await destination.FlushAsync(deadline.Token).ConfigureAwait(false);
            return received;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException ex) when (deadline.IsCancellationRequested)
        {
            throw Invalid(host, $"{host} did not deliver it within {Seconds(Timeout)} ({Size(received)} received)", ex);
        }
        catch (OperationCanceledException ex)
        {
            // Neither the caller nor the deadline: the handler's connect timeout.
            throw Invalid(host, $"could not connect to {host} within {Seconds(ConnectTimeout)}", ex);
        }
        catch (HttpRequestException ex)
        {
            throw Invalid(host, Explain(host, ex), ex);
        }
        catch (IOException ex) when (ex is HttpIOException || FindInner<SocketException>(ex) is not null)
        {
            // The connection, not the destination: a full disk stays an IOException for the caller.
            throw Invalid(host, $"the connection to {host} broke after {Size(received)}: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Sends a GET and follows up to <see cref="MaxRedirects"/> redirects, each target checked by
    /// <see cref="UrlPolicy.RedirectProblem"/>; returns the first answer that is not a redirect with a Location.
    /// </summary>
    private async Task<HttpResponseMessage> SendFollowingRedirectsAsync(Uri url, CancellationToken cancellationToken)
    {
        var current = url;
        for (var hops = 0; ; hops++)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, current);
            HttpResponseMessage response;
            try
            {
                response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                request.Dispose();
                throw;
            }
            if ((int)response.StatusCode is not (301 or 302 or 303 or 307 or 308) || response.Headers.Location is not { } location)
            {
                return response;   // disposing the response disposes its request
            }
            var answer = $"{(int)response.StatusCode} {response.ReasonPhrase}";
            response.Dispose();
            var next = location.IsAbsoluteUri ? location : new Uri(current, location);
            if (hops == MaxRedirects)
            {
                throw Invalid(url.Host, $"{current.Host} answered {answer} after {MaxRedirects} redirects; more than {MaxRedirects} redirects are not followed");
            }
            if (UrlPolicy.RedirectProblem(current, next) is { } problem)
            {
                throw Invalid(url.Host, $"{current.Host} redirected and {problem}; the redirect was not followed");
            }
            current = next;
        }
    }

    private static string Explain(string host, HttpRequestException ex)
    {
        var socket = FindInner<SocketException>(ex);
        return socket?.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => $"{host} refused the connection",
            SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => $"the host name {host} could not be resolved",
            SocketError.NetworkUnreachable or SocketError.HostUnreachable => $"{host} cannot be reached from this machine",
            SocketError.TimedOut => $"could not connect to {host} (timed out)",
            _ when ex.HttpRequestError == HttpRequestError.SecureConnectionError => $"the TLS connection to {host} failed: {ex.Message}",
            _ when ex.HttpRequestError == HttpRequestError.ResponseEnded => $"{host} closed the connection before the download ended",
            _ => $"the request to {host} failed: {ex.Message}",
        };
    }

    private static T? FindInner<T>(Exception ex) where T : Exception
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            if (e is T match)
            {
                return match;
            }
        }
        return null;
    }

    private static InputAudioFetchException Invalid(string host, string reason, Exception? inner = null) =>
        new(ErrorCodes.Invalid("audio"), host, $"The input audio URL cannot be used: {reason}.", inner);

    private static string Size(long bytes) => bytes switch
    {
        >= 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MiB"),
        >= 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes"),
    };

    private static string Seconds(TimeSpan span) => string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.###} s");
}

/// <summary>
/// Input audio could not be fetched from its URL. <see cref="Code"/> is the task error code to report
/// (<c>mediaNotFound</c> for 404/410, <c>invalidAudio</c> otherwise); the message names the host and the reason.
/// </summary>
public sealed class InputAudioFetchException : Exception
{
    /// <summary>Creates the exception.</summary>
    public InputAudioFetchException(string code, string host, string message, Exception? inner = null) : base(message, inner)
    {
        Code = code;
        Host = host;
    }

    /// <summary>The task error code: <c>mediaNotFound</c> or <c>invalidAudio</c>.</summary>
    public string Code { get; }

    /// <summary>The host of the URL that was asked for (empty when the URL had none).</summary>
    public string Host { get; }
}
