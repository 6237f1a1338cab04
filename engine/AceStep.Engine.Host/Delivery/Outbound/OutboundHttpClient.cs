using System.Net;
using System.Net.Http.Headers;
using System.Reflection;

namespace AceStep.Engine.Host.Delivery.Outbound;

/// <summary>Builds the one <see cref="HttpClient"/> the engine uses for webhooks and uploads.</summary>
/// <remarks>
/// One long-lived client, shared by <see cref="WebhookSender"/> and <see cref="UploadSender"/>, rather than
/// <c>IHttpClientFactory</c>: the engine talks to arbitrary user URLs from a single process, needs no named clients,
/// handler pipelines or per-request scopes, and a singleton <see cref="SocketsHttpHandler"/> with a bounded
/// <see cref="SocketsHttpHandler.PooledConnectionLifetime"/> already gives what the factory exists for (pooled
/// sockets without exhaustion, and DNS changes picked up). Creating it here keeps the settings the retry loop relies on
/// in one place.
/// </remarks>
public static class OutboundHttpClient
{
    /// <summary>
    /// A client for outbound deliveries: no overall timeout (each attempt has its own,
    /// <see cref="RetryOptions.AttemptTimeout"/>), no redirects followed (a 3xx is a final answer, so a POST is never
    /// turned into a GET nor sent somewhere the user did not name), no cookies, pooled connections recycled every
    /// 2 minutes. Keep one for the life of the engine and dispose it at shutdown.
    /// </summary>
    public static HttpClient Create()
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        };
        var client = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        var version = typeof(OutboundHttpClient).Assembly.GetName().Version ?? new Version(0, 0);
        client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("acestep-engine", version.ToString(3)));
        return client;
    }
}
