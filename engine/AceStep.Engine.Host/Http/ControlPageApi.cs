using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AceStep.Contracts;
using AceStep.Contracts.Sessions;
using AceStep.Contracts.Tasks;
using AceStep.Contracts.Validation;
using AceStep.Engine.Host.Sessions;
using AceStep.Engine.Host.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;

namespace AceStep.Engine.Host.Http;

/// <summary>
/// The plugin instances' control pages (docs/control-page.md), on the same loopback server as the task API. A page
/// is reached by its instance id, a random UUID v4 only the plugin shows: that id is the capability, so these
/// endpoints do not ask for the API key (the list of instances does, when a key is configured).
/// </summary>
public static class ControlPageApi
{
    private const string PagePlaceholderTitle = "{{TITLE}}";

    /// <summary>Maps <c>/control</c> and its sub-paths.</summary>
    public static IEndpointRouteBuilder MapControlPages(this IEndpointRouteBuilder routes, EngineOptions options)
    {
        var group = routes.MapGroup("/control");
        group.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            SetSecurityHeaders(http.Response);
            // A web page on another site could resolve its own name to 127.0.0.1 (DNS rebinding): only loopback names pass.
            if (!HostNames.IsLoopback(http.Request.Host.Host))
            {
                return Results.Text("The control pages answer only on loopback addresses (127.0.0.1, ::1, localhost).",
                    "text/plain; charset=utf-8", statusCode: StatusCodes.Status403Forbidden);
            }
            return await next(context);
        });

        group.MapGet("", (HttpContext http, SessionRegistry sessions) => ListInstances(http, sessions, options.ApiKey));
        group.MapGet("/assets/{name}", (string name) => ControlPageAssets.Find(name) is { } asset
            ? Results.Bytes(asset.Bytes, asset.ContentType)
            : Results.NotFound());
        group.MapGet("/assets/options.json", () => Results.Json(PageOptions(), contentType: "application/json"));
        group.MapGet("/{instanceId}", (string instanceId, SessionRegistry sessions) =>
            Find(instanceId, sessions) is { } session
                ? Html(StatusCodes.Status200OK, ControlPageAssets.Page.Replace(PagePlaceholderTitle, Encode(PageTitle(session)), StringComparison.Ordinal))
                : NotConnectedPage());
        group.MapGet("/{instanceId}/view", async (string instanceId, long? after, SessionRegistry sessions, HttpContext http,
            IHostApplicationLifetime lifetime) =>
        {
            if (Find(instanceId, sessions) is not { } session)
            {
                return NotConnectedJson();
            }
            // A waiting page must not hold up the engine's shutdown for the whole long poll.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
            SessionView? view;
            try
            {
                view = await session.WaitForViewAsync(after ?? -1, sessions.Limits.PageWait, sessions.Time, stop.Token);
            }
            catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested)
            {
                return CommandError(StatusCodes.Status503ServiceUnavailable, "The engine is stopping.");
            }
            return view is null
                ? NotConnectedJson()
                : Results.Bytes(JsonSerializer.SerializeToUtf8Bytes(view, ContractsJson.Default.SessionView), "application/json");
        });
        group.MapPost("/{instanceId}/commands", async (string instanceId, SessionRegistry sessions, HttpContext http) =>
            await PostCommandAsync(instanceId, sessions, http));
        group.MapGet("/{instanceId}/takes/{takeId}.wav", (string instanceId, string takeId, SessionRegistry sessions) =>
            Find(instanceId, sessions)?.TakeWav(takeId) is { } wav
                ? Results.Bytes(wav, "audio/wav", enableRangeProcessing: true)
                : Results.Text("The engine does not hold this take's audio (the plugin has not sent it, or it was dropped to save memory).",
                    "text/plain; charset=utf-8", statusCode: StatusCodes.Status404NotFound));
        return routes;
    }

    private static async Task<IResult> PostCommandAsync(string instanceId, SessionRegistry sessions, HttpContext http)
    {
        if (Find(instanceId, sessions) is not { } session)
        {
            return NotConnectedJson();
        }
        // A cross-site form cannot send JSON, and a script elsewhere gets no CORS grant: together they stop another
        // site from driving the instance even if it learnt the address.
        if (http.Request.Headers.Origin is { Count: > 0 } origin && !IsSameOrigin(origin.ToString(), http.Request))
        {
            return CommandError(StatusCodes.Status403Forbidden, "Commands are accepted only from the control page itself.");
        }
        if (!HttpApi.IsJson(http.Request.ContentType))
        {
            return CommandError(StatusCodes.Status415UnsupportedMediaType, "Send the command as JSON (Content-Type: application/json).");
        }
        JsonObject? body;
        try
        {
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
            body = StrictJson.Parse(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)) as JsonObject;
        }
        catch (InvalidJsonTextException ex)
        {
            return CommandError(StatusCodes.Status400BadRequest, $"The command cannot be read: {ex.Message}");
        }
        if (body is null)
        {
            return CommandError(StatusCodes.Status400BadRequest, "The command must be a JSON object such as {\"command\":\"cancel\"}.");
        }
        var validation = SessionCommandValidator.Validate(body);
        if (!validation.IsValid)
        {
            return CommandError(StatusCodes.Status400BadRequest, string.Join(" ", validation.Errors.Select(e => e.Message)),
                validation.Errors);
        }
        try
        {
            var sequence = session.AddCommand(validation.Value);
            return Results.Json(new JsonObject { ["sequence"] = sequence }, contentType: "application/json");
        }
        catch (SessionClosedException)
        {
            return NotConnectedJson();
        }
    }

    private static IResult ListInstances(HttpContext http, SessionRegistry sessions, string? apiKey)
    {
        // The list holds every page's secret address, so with a key configured it takes the key like the API does.
        if (apiKey is not null)
        {
            var header = http.Request.Headers.Authorization.ToString();
            if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                || !AuthenticationHandler.Accepts(apiKey, header["Bearer ".Length..].Trim()))
            {
                return Results.Text("This engine has an API key: the list of plugin instances needs 'Authorization: Bearer <key>'. " +
                                    "Open a control page from its plugin instead.", "text/plain; charset=utf-8",
                    statusCode: StatusCodes.Status401Unauthorized);
            }
        }
        var open = sessions.OpenSessions();
        var wantsJson = http.Request.Query.ContainsKey("json")
                        || http.Request.Headers.Accept.ToString().Contains("application/json", StringComparison.OrdinalIgnoreCase);
        if (wantsJson)
        {
            var list = new JsonArray();
            foreach (var session in open)
            {
                list.Add(new JsonObject
                {
                    ["instanceId"] = session.InstanceId.ToString("D"),
                    ["hostName"] = session.HostName,
                    ["title"] = session.Title,
                    ["controlUrl"] = session.ControlUrl.AbsoluteUri,
                    ["openedAt"] = session.OpenedAt.ToString("O"),
                });
            }
            return Results.Json(new JsonObject { ["instances"] = list }, contentType: "application/json");
        }
        var rows = new StringBuilder();
        foreach (var session in open)
        {
            rows.Append("<li><a href=\"").Append(Encode(session.ControlUrl.AbsolutePath)).Append("\">")
                .Append(Encode(PageTitle(session))).Append("</a> <span class=\"muted\">opened ")
                .Append(Encode(session.OpenedAt.ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture))).Append(" UTC</span></li>");
        }
        var content = open.Count == 0
            ? "<p>No plugin instance is connected. Insert AceStep on a track and open its control page from the plugin.</p>"
            : $"<ul class=\"instances\">{rows}</ul>";
        return Html(StatusCodes.Status200OK, SimplePage("AceStep — plugin instances", "<h1>Plugin instances</h1>" + content));
    }

    private static JsonObject PageOptions()
    {
        var keys = new JsonArray();
        foreach (var key in KeyScales.Choices)
        {
            keys.Add(key);
        }
        var languages = new JsonArray();
        foreach (var language in VocalLanguages.All)
        {
            languages.Add(new JsonObject { ["code"] = language, ["name"] = VocalLanguages.DisplayName(language) });
        }
        var modes = new JsonArray();
        foreach (var mode in SessionCommandValidator.Modes)
        {
            modes.Add(mode);
        }
        // The stems of lego/extract/complete: the engine's one list, so the page never offers a name the engine refuses.
        var stems = new JsonArray();
        foreach (var stem in StemTracks.All)
        {
            stems.Add(stem);
        }
        return new JsonObject { ["keys"] = keys, ["languages"] = languages, ["modes"] = modes, ["stems"] = stems };
    }

    private static InstanceSession? Find(string instanceId, SessionRegistry sessions) =>
        Guid.TryParseExact(instanceId, "D", out var id) ? sessions.Find(id) : null;

    private static string PageTitle(InstanceSession session) =>
        string.Join(" — ", new[] { session.Title, session.HostName }.Where(s => !string.IsNullOrWhiteSpace(s)).DefaultIfEmpty("AceStep"));

    private static IResult NotConnectedPage() =>
        Html(StatusCodes.Status404NotFound, SimplePage("AceStep — not connected",
            "<h1>This plugin instance is not connected</h1><p>The plugin instance this address belongs to is not connected to the engine: " +
            "it was closed, its host quit, or the engine restarted. Open the control page again from the plugin.</p>" +
            "<p><a href=\"/control\">Connected instances</a></p>"));

    private static IResult NotConnectedJson() =>
        CommandError(StatusCodes.Status404NotFound,
            "This plugin instance is not connected to the engine: it was closed, its host quit, or the engine restarted.");

    private static IResult CommandError(int status, string message, IReadOnlyList<TaskError>? errors = null)
    {
        var body = new JsonObject { ["error"] = message };
        if (errors is not null)
        {
            var list = new JsonArray();
            foreach (var error in errors)
            {
                list.Add(new JsonObject { ["parameter"] = error.Parameter?.ToString(), ["message"] = error.Message });
            }
            body["errors"] = list;
        }
        return Results.Json(body, contentType: "application/json", statusCode: status);
    }

    private static IResult Html(int status, string html) =>
        Results.Text(html, "text/html; charset=utf-8", Encoding.UTF8, status);

    private static string SimplePage(string title, string body) =>
        $"""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{Encode(title)}</title><link rel="icon" href="/control/assets/icon.svg" type="image/svg+xml">
        <link rel="stylesheet" href="/control/assets/control.css"></head>
        <body class="simple"><main class="card">{body}</main></body></html>
        """;

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static void SetSecurityHeaders(HttpResponse response)
    {
        var headers = response.Headers;
        headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; media-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
        headers.XContentTypeOptions = "nosniff";
        // The address is the capability: never leak it in a Referer header.
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-store";
    }

    private static bool IsSameOrigin(string origin, HttpRequest request) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri)
        && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase)
        && uri.Scheme == request.Scheme;
}
