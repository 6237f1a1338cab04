using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;

namespace AceStep.Engine.Host.Delivery.Outbound;

/// <summary>
/// The one retry loop behind <see cref="WebhookSender"/> and <see cref="UploadSender"/>: send, classify the answer,
/// wait with capped exponential backoff (or the server's <c>Retry-After</c>), try again.
/// </summary>
/// <remarks>
/// What is final and what is retried:
/// <list type="bullet">
/// <item>2xx: delivered.</item>
/// <item>408, 429 and every 5xx: retried; on 429 and 503 a <c>Retry-After</c> lengthens the wait, up to
/// <see cref="RetryOptions.MaxDelay"/>, but never shortens it below the backoff.</item>
/// <item>Any other 4xx: final at once. The receiver understood the request and refused it (bad URL, expired
/// signature, no such hook); sending the same bytes again cannot change that and would only hammer it.</item>
/// <item>3xx: final at once, since redirects are not followed (see <see cref="OutboundHttpClient"/>).</item>
/// <item>No response (timeout, connection refused, reset, DNS failure): retried; these are usually passing.</item>
/// </list>
/// The caller's cancellation is not a failure: it ends the loop with <see cref="OperationCanceledException"/>.
/// </remarks>
internal sealed partial class RetryingDelivery
{
    private readonly HttpClient _client;
    private readonly RetryOptions _options;
    private readonly ILogger _logger;
    private readonly string _kind;

    public RetryingDelivery(HttpClient client, RetryOptions options, ILogger logger, string kind)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        _client = client;
        _options = options;
        _logger = logger;
        _kind = kind;
    }

    /// <summary>Throws <see cref="ArgumentException"/> unless the URL is an absolute http or https URL with a host.</summary>
    public static void RequireHttpUrl(Uri url, string paramName)
    {
        ArgumentNullException.ThrowIfNull(url, paramName);
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps) || string.IsNullOrEmpty(url.Host))
        {
            throw new ArgumentException($"Only absolute http and https URLs can be delivered to, not '{Redact(url)}'.", paramName);
        }
    }

    /// <summary>Runs the attempts; <paramref name="createContent"/> makes a fresh body for each.</summary>
    public async Task<DeliveryResult> RunAsync(HttpMethod method, Uri url, Func<HttpContent> createContent, CancellationToken cancellationToken)
    {
        var target = Redact(url);
        for (var attempt = 1; ; attempt++)
        {
            var outcome = await AttemptAsync(method, url, createContent, cancellationToken);
            if (outcome.Delivered)
            {
                LogDelivered(_logger, _kind, target, attempt);
                return new DeliveryResult(true, attempt, outcome.Status, null);
            }

            var final = !outcome.Retryable || attempt >= _options.MaxAttempts;
            var wait = final ? TimeSpan.Zero : WaitAfter(attempt, outcome.RetryAfter);
            LogAttemptFailed(_logger, _kind, attempt, _options.MaxAttempts, target, outcome.Error!,
                final ? "giving up" : "retrying in " + Format(wait));
            if (final)
            {
                LogFailed(_logger, _kind, target, attempt, outcome.Error!);
                return new DeliveryResult(false, attempt, outcome.Status, outcome.Error);
            }
            await Task.Delay(wait, _options.TimeProvider, cancellationToken);
        }
    }

    private async Task<Outcome> AttemptAsync(HttpMethod method, Uri url, Func<HttpContent> createContent, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, url) { Content = createContent() };
        using var timeout = new CancellationTokenSource(_options.AttemptTimeout, _options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            // Headers are the answer; a receiver's body is never read.
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return new Outcome(true, status, null, false, null);
            }
            var retryable = status is 408 or 429 || status >= 500;
            var retryAfter = status is 429 or 503 ? RetryAfter(response.Headers.RetryAfter) : null;
            return new Outcome(false, status, DescribeStatus(status), retryable, retryAfter);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Our per-attempt timeout (or the client's own Timeout, when a caller's client has one).
            return new Outcome(false, null, "timed out after " + Format(_options.AttemptTimeout), true, null);
        }
        catch (HttpRequestException ex)
        {
            return new Outcome(false, null, DescribeFailure(ex), true, null);
        }
    }

    private TimeSpan WaitAfter(int attempt, TimeSpan? retryAfter)
    {
        var backoff = _options.BackoffAfter(attempt);
        if (retryAfter is not { } asked)
        {
            return backoff;
        }
        var capped = asked > _options.MaxDelay ? _options.MaxDelay : asked;
        return capped > backoff ? capped : backoff;
    }

    private TimeSpan? RetryAfter(RetryConditionHeaderValue? header)
    {
        if (header?.Delta is { } delta)
        {
            return delta;
        }
        if (header?.Date is { } date)
        {
            var wait = date - _options.TimeProvider.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        return null;
    }

    private static string DescribeStatus(int status)
    {
        var phrase = ReasonPhrases.GetReasonPhrase(status);
        return string.IsNullOrEmpty(phrase)
            ? string.Create(CultureInfo.InvariantCulture, $"HTTP {status}")
            : string.Create(CultureInfo.InvariantCulture, $"HTTP {status} {phrase}");
    }

    private static string DescribeFailure(HttpRequestException ex)
    {
        switch (ex.HttpRequestError)
        {
            case HttpRequestError.NameResolutionError:
                return "host not found";
            case HttpRequestError.SecureConnectionError:
                return "TLS connection failed";
            case HttpRequestError.ResponseEnded:
                return "connection closed before a response";
            case HttpRequestError.InvalidResponse:
                return "invalid HTTP response";
        }
        for (Exception? inner = ex; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException socket)
            {
                return socket.SocketErrorCode switch
                {
                    SocketError.ConnectionRefused => "connection refused",
                    SocketError.ConnectionReset => "connection reset",
                    SocketError.HostNotFound or SocketError.NoData => "host not found",
                    SocketError.HostUnreachable or SocketError.NetworkUnreachable => "host unreachable",
                    SocketError.TimedOut => "connection timed out",
                    var other => "network error: " + other,
                };
            }
        }
        return "request failed: " + ex.Message;
    }

    /// <summary>A URL for logs and messages: scheme, host, port and path; no user info, no query (may hold secrets).</summary>
    private static string Redact(Uri url) => url.IsAbsoluteUri
        ? url.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped)
        : "(relative URL)";

    /// <summary>"30 s", "1.5 s", "200 ms".</summary>
    private static string Format(TimeSpan span) => span >= TimeSpan.FromSeconds(1)
        ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.###} s")
        : string.Create(CultureInfo.InvariantCulture, $"{span.TotalMilliseconds:0.###} ms");

    private readonly record struct Outcome(bool Delivered, int? Status, string? Error, bool Retryable, TimeSpan? RetryAfter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Kind} attempt {Attempt}/{MaxAttempts} to {Target} failed: {Reason}; {Next}")]
    private static partial void LogAttemptFailed(ILogger logger, string kind, int attempt, int maxAttempts, string target, string reason, string next);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Kind} to {Target} delivered after {Attempts} attempt(s)")]
    private static partial void LogDelivered(ILogger logger, string kind, string target, int attempts);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Kind} to {Target} failed after {Attempts} attempt(s): {Reason}")]
    private static partial void LogFailed(ILogger logger, string kind, string target, int attempts, string reason);
}
