using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;

namespace AceStep.Engine.Host.Delivery.Outbound;

/// <summary>
/// Delivers a result file to a task's <c>uploadEndpoint</c>: a <c>PUT</c> of the raw bytes with the format's
/// Content-Type, retried exactly like webhooks. A failed result means the item gets the <c>uploadFailed</c> error
/// while the file stays available by its outputType; that is the caller's part.
/// </summary>
public sealed class UploadSender
{
    private readonly RetryingDelivery _delivery;

    /// <summary>Creates the sender over the engine's shared outbound client (<see cref="OutboundHttpClient.Create"/>).</summary>
    public UploadSender(HttpClient httpClient, RetryOptions options, ILogger<UploadSender> logger) =>
        _delivery = new RetryingDelivery(httpClient, options, logger, "Upload");

    /// <summary>
    /// PUTs <paramref name="body"/> unchanged to <paramref name="url"/> with <c>Content-Type:
    /// <paramref name="contentType"/></c> (<c>audio/mpeg</c>, <c>audio/ogg</c>, <c>audio/flac</c>, <c>audio/wav</c>)
    /// and a Content-Length. The bytes are not copied; keep them unchanged until the task completes.
    /// </summary>
    /// <returns>How the delivery ended; a failure is a result, not an exception.</returns>
    /// <exception cref="ArgumentException">
    /// At once, when the URL is not an absolute http(s) URL or the content type is not a valid media type.
    /// </exception>
    /// <exception cref="OperationCanceledException">When <paramref name="cancellationToken"/> is cancelled.</exception>
    public Task<DeliveryResult> PutAsync(Uri url, ReadOnlyMemory<byte> body, string contentType, CancellationToken cancellationToken)
    {
        RetryingDelivery.RequireHttpUrl(url, nameof(url));
        ArgumentException.ThrowIfNullOrWhiteSpace(contentType);
        if (!MediaTypeHeaderValue.TryParse(contentType, out _))
        {
            throw new ArgumentException($"'{contentType}' is not a media type.", nameof(contentType));
        }
        return _delivery.RunAsync(HttpMethod.Put, url, () =>
        {
            var content = new ReadOnlyMemoryContent(body);
            // Parsed per attempt: header values are mutable objects, so requests do not share one.
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            return content;
        }, cancellationToken);
    }
}
