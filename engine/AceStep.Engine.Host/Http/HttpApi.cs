using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AceStep.Contracts;
using AceStep.Contracts.Validation;
using AceStep.Engine.Host.Delivery;
using AceStep.Engine.Host.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;

namespace AceStep.Engine.Host.Http;

/// <summary>
/// The HTTP front door: <c>POST /v1</c> with a JSON array of tasks (docs/task-api.md), and <c>GET
/// /v1/media/{file}</c> for results delivered as URLs.
/// </summary>
public static class HttpApi
{
    /// <summary>Maps the task endpoint.</summary>
    public static IEndpointRouteBuilder MapTaskApi(this IEndpointRouteBuilder routes, EngineOptions options)
    {
        routes.MapPost("/v1", async (HttpContext http, TaskDispatcher dispatcher, MemoryRelief relief) =>
        {
            http.Features.Get<IHttpMaxRequestBodySizeFeature>()!.MaxRequestBodySize = options.MaxRequestBytes;
            if (!IsJson(http.Request.ContentType))
            {
                return Reply(http, StatusCodes.Status415UnsupportedMediaType,
                    RequestError(ErrorCodes.InvalidRequest, "Send the tasks with Content-Type: application/json."));
            }
            byte[] body;
            try
            {
                body = await ReadBodyAsync(http.Request, http.RequestAborted);
            }
            catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                return Reply(http, StatusCodes.Status413PayloadTooLarge, RequestError(ErrorCodes.InvalidRequest,
                    $"The request is larger than the engine's limit of {options.MaxRequestBytes} bytes. " +
                    "Upload large audio once with mediaStorage and reference its mediaUUID."));
            }
            var size = body.LongLength;
            http.Response.OnCompleted(() =>
            {
                relief.After(size);
                return Task.CompletedTask;
            });
            // Parsed once here: the key check may need the first task, and the dispatcher takes the parsed array.
            var (tasks, problem) = TaskDispatcher.Parse(body);
            if (!IsAuthenticated(http.Request, tasks, options.ApiKey))
            {
                return Reply(http, StatusCodes.Status401Unauthorized, RequestError(ErrorCodes.InvalidApiKey,
                    "This engine needs an API key: send 'Authorization: Bearer <key>' or an authentication task with apiKey first in the array."));
            }
            var context = new TaskContext(TransportKind.Http, http.Connection.Id);
            var reply = tasks is null
                ? RequestError(ErrorCodes.InvalidRequest, problem!)
                : await dispatcher.DispatchAsync(tasks, context, http.RequestAborted);
            return Reply(http, StatusFor(reply, http.Response), reply);
        });
        return routes;
    }

    /// <summary>Serves result files, with Range support for players that seek.</summary>
    public static IEndpointRouteBuilder MapMedia(this IEndpointRouteBuilder routes)
    {
        // GET and HEAD: a player or download tool asks HEAD for the size and type before it fetches.
        routes.MapMethods("/v1/media/{file}", [HttpMethods.Get, HttpMethods.Head], (string file, MediaFiles media) =>
            media.Find(file) is { } found
                ? Results.File(found.Path, found.ContentType, enableRangeProcessing: true)
                : Results.NotFound());
        return routes;
    }

    /// <summary>
    /// 200 when any task produced data; otherwise the status of the errors: 429 (queue full, with Retry-After),
    /// 401 (bad key), 500 (only engine bugs), else 400.
    /// </summary>
    internal static int StatusFor(TaskReply reply, HttpResponse response)
    {
        if (reply.AnyAccepted || reply.Errors is not { Count: > 0 } errors)
        {
            return StatusCodes.Status200OK;
        }
        if (errors.Where(e => e.Code == ErrorCodes.QueueFull).Select(e => e.RetryAfter ?? 1).DefaultIfEmpty(0).Max() is > 0 and var retry)
        {
            response.Headers.RetryAfter = retry.ToString(CultureInfo.InvariantCulture);
            return StatusCodes.Status429TooManyRequests;
        }
        if (errors.All(e => e.Code == ErrorCodes.InvalidApiKey))
        {
            return StatusCodes.Status401Unauthorized;
        }
        return errors.All(e => e.Code == ErrorCodes.InternalError) ? StatusCodes.Status500InternalServerError : StatusCodes.Status400BadRequest;
    }

    private static bool IsAuthenticated(HttpRequest request, JsonArray? tasks, string? apiKey)
    {
        if (apiKey is null)
        {
            return true;
        }
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            && AuthenticationHandler.Accepts(apiKey, header["Bearer ".Length..].Trim()))
        {
            return true;
        }
        // The Runware way: an authentication task with the key, first in the array.
        return tasks is { Count: > 0 }
            && tasks[0] is JsonObject first
            && first["taskType"]?.GetValueKind() == JsonValueKind.String
            && (string?)first["taskType"] == TaskTypes.Authentication
            && first["apiKey"]?.GetValueKind() == JsonValueKind.String
            && AuthenticationHandler.Accepts(apiKey, (string?)first["apiKey"]);
    }

    /// <summary><c>application/json</c>, with no charset or UTF-8 (RFC 8259 JSON is UTF-8); not <c>application/jsonx</c>.</summary>
    internal static bool IsJson(string? contentType) =>
        Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var type)
        && type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
        && (!type.Charset.HasValue || type.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase));

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength is { } length and <= int.MaxValue)
        {
            // The usual case: one array of the announced size (Kestrel has checked it against the limit), not a
            // MemoryStream that doubles its way up and copies again — 38 MB of base64 audio cost three times that.
            var body = GC.AllocateUninitializedArray<byte>((int)length);
            await request.Body.ReadExactlyAsync(body, cancellationToken);
            return body;
        }
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    private static TaskReply RequestError(string code, string message) => new() { Errors = [new TaskError { Code = code, Message = message }] };

    private static IResult Reply(HttpContext http, int status, TaskReply reply)
    {
        http.Response.StatusCode = status;
        return Results.Bytes(ContractsJson.ToUtf8(reply), "application/json");
    }
}
