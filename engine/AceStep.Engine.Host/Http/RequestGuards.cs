using System.Net;
using AceStep.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AceStep.Engine.Host.Http;

/// <summary>
/// What every HTTP request passes before an endpoint sees it: the one mapping of unexpected failures to an answer
/// (500 <c>internalError</c> with an incident id, never an empty body), and the DNS-rebinding guard of the task API.
/// </summary>
public static class RequestGuards
{
    /// <summary>
    /// Answers any exception an endpoint lets escape with 500 and an <c>internalError</c> item naming an incident
    /// id that the log names too; a client that left or sent a broken request is logged briefly, not as a bug.
    /// </summary>
    public static IApplicationBuilder UseEngineErrors(this IApplicationBuilder app, ILogger logger) =>
        app.Use(async (http, next) =>
        {
            try
            {
                await next(http);
            }
            catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
            {
                // The client left; nobody is waiting for an answer.
            }
            catch (EndOfStreamException) when (!http.Response.HasStarted)
            {
                // The body ended before its Content-Length.
                await TryAnswerAsync(http, StatusCodes.Status400BadRequest, ErrorCodes.InvalidRequest,
                    "The request body ended before the length its Content-Length announced.");
            }
            catch (BadHttpRequestException ex)
            {
                // A body that arrives too slowly, a connection cut mid-body: the client's problem, not an engine bug.
                logger.LogInformation("HTTP {Method} {Path}: bad request ({Status}): {Message}", http.Request.Method, http.Request.Path,
                    ex.StatusCode, ex.Message);
                await TryAnswerAsync(http, ex.StatusCode, ErrorCodes.InvalidRequest, $"The request could not be read: {ex.Message}");
            }
            catch (Exception ex)
            {
                var incident = Guid.NewGuid().ToString("N")[..12];
                logger.LogError(ex, "HTTP {Method} {Path} failed inside the engine (incident {Incident})", http.Request.Method, http.Request.Path, incident);
                await TryAnswerAsync(http, StatusCodes.Status500InternalServerError, ErrorCodes.InternalError,
                    $"The engine failed while handling this request; this is a bug. The engine log names it as incident {incident}.");
            }
        });

    /// <summary>
    /// Refuses task-API requests (<c>/v1</c>) whose <c>Host</c> is not a loopback name (or an allowed one), or whose
    /// <c>Origin</c> is another site, while no API key is configured: a web page that points its own host name at
    /// 127.0.0.1 (DNS rebinding) could otherwise submit tasks, make the engine fetch URLs and delete media. With a key
    /// the key is the protection (a page on another site cannot know it), so any host name is served.
    /// </summary>
    public static IApplicationBuilder UseHostGuard(this IApplicationBuilder app, EngineOptions options) =>
        app.Use(async (http, next) =>
        {
            if (options.ApiKey is null && http.Request.Path.StartsWithSegments("/v1", StringComparison.Ordinal))
            {
                var host = http.Request.Host.Host;
                if (!HostNames.IsAllowed(host, options.AllowedHosts))
                {
                    await TryAnswerAsync(http, StatusCodes.Status403Forbidden, ErrorCodes.InvalidRequest,
                        $"This engine answers only requests addressed to a loopback name (127.0.0.1, [::1], localhost), not '{host}'. " +
                        "To serve other names, configure an API key (--api-key) or list them in ACESTEP_ALLOWED_HOSTS.");
                    return;
                }
                if (http.Request.Headers.Origin is { Count: > 0 } origin && !HostNames.IsAllowedOrigin(origin.ToString(), options.AllowedHosts))
                {
                    await TryAnswerAsync(http, StatusCodes.Status403Forbidden, ErrorCodes.InvalidRequest,
                        $"Requests from web pages of other sites ('{origin}') are refused: a page in a browser must not drive a local engine.");
                    return;
                }
            }
            await next(http);
        });

    private static async Task TryAnswerAsync(HttpContext http, int status, string code, string message)
    {
        if (http.Response.HasStarted)
        {
            return;
        }
        http.Response.Clear();
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        try
        {
            await http.Response.Body.WriteAsync(ContractsJson.ToUtf8(new TaskReply { Errors = [new TaskError { Code = code, Message = message }] }));
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client is gone.
        }
    }
}

/// <summary>Which host names count as this machine (the DNS-rebinding rule of the task API and the control pages).</summary>
public static class HostNames
{
    /// <summary>True for <c>localhost</c>, a name under <c>.localhost</c>, and loopback addresses (127.0.0.0/8, ::1).</summary>
    public static bool IsLoopback(string host)
    {
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        return IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address);
    }

    /// <summary>A loopback name, or one of <paramref name="allowed"/> (case-insensitive; <c>*</c> allows any).</summary>
    public static bool IsAllowed(string host, IReadOnlyList<string> allowed) =>
        IsLoopback(host) || allowed.Any(a => a == "*" || string.Equals(a, host.Trim('[', ']'), StringComparison.OrdinalIgnoreCase));

    /// <summary>An <c>Origin</c> header of a page served by an allowed host (any port), or <c>null</c> (sandboxed pages, files).</summary>
    public static bool IsAllowedOrigin(string origin, IReadOnlyList<string> allowed) =>
        origin != "null"
            && Uri.TryCreate(origin, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && IsAllowed(uri.Host, allowed);

    /// <summary>True when <paramref name="httpUrl"/> (a listen address) binds only loopback interfaces.</summary>
    public static bool ListensOnLoopbackOnly(string httpUrl)
    {
        // Kestrel's wildcards: "http://*:8001", "http://+:8001" and "http://0.0.0.0:8001" are every interface.
        var host = httpUrl.Contains("://*", StringComparison.Ordinal) || httpUrl.Contains("://+", StringComparison.Ordinal)
            ? "*"
            : Uri.TryCreate(httpUrl, UriKind.Absolute, out var uri) ? uri.Host : "*";
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
               || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
    }
}
