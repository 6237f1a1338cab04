using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace AceStep.Engine.Host.Delivery.Outbound;

/// <summary>
/// Delivers a task's <c>webhookURL</c>: one <c>POST</c> of <c>{"data":[item]}</c> or <c>{"errors":[item]}</c> per
/// finished result item, retried as <see cref="RetryOptions"/> says until a 2xx answer.
/// </summary>
public sealed class WebhookSender
{
    private readonly RetryingDelivery _delivery;

    /// <summary>Creates the sender over the engine's shared outbound client (<see cref="OutboundHttpClient.Create"/>).</summary>
    public WebhookSender(HttpClient httpClient, RetryOptions options, ILogger<WebhookSender> logger) =>
        _delivery = new RetryingDelivery(httpClient, options, logger, "Webhook");

    /// <summary>The body for a successful item: <c>{"data":[item]}</c> (the item is copied).</summary>
    public static JsonObject DataPayload(JsonObject item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return new JsonObject { ["data"] = new JsonArray(item.DeepClone()) };
    }

    /// <summary>The body for a failed item: <c>{"errors":[item]}</c> (the item is copied).</summary>
    public static JsonObject ErrorPayload(JsonObject item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return new JsonObject { ["errors"] = new JsonArray(item.DeepClone()) };
    }

    /// <summary>
    /// POSTs <paramref name="payload"/> as UTF-8 JSON (<c>Content-Type: application/json</c>) to
    /// <paramref name="url"/>. The payload is serialised once, so every attempt sends the same bytes.
    /// </summary>
    /// <returns>How the delivery ended; a failure is a result, not an exception.</returns>
    /// <exception cref="ArgumentException">At once, when the URL is not an absolute http(s) URL.</exception>
    /// <exception cref="OperationCanceledException">When <paramref name="cancellationToken"/> is cancelled.</exception>
    public Task<DeliveryResult> SendAsync(Uri url, JsonObject payload, CancellationToken cancellationToken)
    {
        RetryingDelivery.RequireHttpUrl(url, nameof(url));
        ArgumentNullException.ThrowIfNull(payload);
        var body = JsonSerializer.SerializeToUtf8Bytes(payload);
        return _delivery.RunAsync(HttpMethod.Post, url, () =>
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            return content;
        }, cancellationToken);
    }
}
