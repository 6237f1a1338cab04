using AceStep.Contracts;
using AceStep.Engine.Host.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;

namespace AceStep.Engine.Host.Http;

/// <summary>The HTTP front door: <c>POST /v1</c> with a JSON array of tasks, as in docs/../task-api.</summary>
public static class HttpApi
{
    /// <summary>Maps the task endpoint.</summary>
    public static IEndpointRouteBuilder MapTaskApi(this IEndpointRouteBuilder routes, EngineOptions options)
    {
        routes.MapPost("/v1", async (HttpContext http, TaskDispatcher dispatcher) =>
        {
            http.Features.Get<IHttpMaxRequestBodySizeFeature>()!.MaxRequestBodySize = options.MaxRequestBytes;
            if (!IsJson(http.Request.ContentType))
            {
                return Reply(http, StatusCodes.Status415UnsupportedMediaType, new TaskReply
                {
                    Errors = [new TaskError { Code = ErrorCodes.InvalidRequest, Message = "Send the tasks with Content-Type: application/json." }],
                });
            }
            byte[] body;
            try
            {
                body = await ReadBodyAsync(http.Request, http.RequestAborted);
            }
            catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                return Reply(http, StatusCodes.Status413PayloadTooLarge, new TaskReply
                {
                    Errors = [new TaskError
                    {
                        Code = ErrorCodes.InvalidRequest,
                        Message = $"The request is larger than the engine's limit of {options.MaxRequestBytes} bytes. " +
                                  "Upload large audio once with mediaStorage and reference its mediaUUID.",
                    }],
                });
            }
            var reply = await dispatcher.DispatchAsync(body, new TaskContext("http", http.Connection.Id), http.RequestAborted);
            return Reply(http, reply.AnyAccepted ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest, reply);
        });
        return routes;
    }

    private static bool IsJson(string? contentType) =>
        contentType is not null && contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase);

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    private static IResult Reply(HttpContext http, int status, TaskReply reply)
    {
        http.Response.StatusCode = status;
        return Results.Bytes(ContractsJson.ToUtf8(reply), "application/json");
    }
}
