using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AceStep.Engine.Host.Delivery.Tests;

/// <summary>One request as the server saw it.</summary>
public sealed record Received(string Method, string Path, string? ContentType, long? ContentLength, byte[] Body, DateTimeOffset At);

/// <summary>
/// A real Kestrel server on 127.0.0.1 and a free port. Every request is recorded (body read in full), then answered by
/// <c>respond(context, attemptNumber)</c>, attempt numbers counting from 1.
/// </summary>
public sealed class LocalServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<Received> _received = [];
    private int _arrivals;
    private readonly CancellationTokenSource _stopping = new();

    private LocalServer(WebApplication app) => _app = app;

    /// <summary>The server's base address, e.g. http://127.0.0.1:41234/.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Requests that reached the handler, counted before their body is read (so abandoned ones count too).</summary>
    public int Arrivals => Volatile.Read(ref _arrivals);

    /// <summary>The requests whose body was read in full, in arrival order.</summary>
    public IReadOnlyList<Received> Requests
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    /// <summary>Cancelled when the server stops; hanging handlers wait on it.</summary>
    public CancellationToken Stopping => _stopping.Token;

    public Uri Url(string pathAndQuery = "hook") => new(BaseAddress, pathAndQuery);

    public static async Task<LocalServer> StartAsync(Func<HttpContext, int, Task> respond, TimeProvider? clock = null)
    {
        clock ??= TimeProvider.System;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(1));
        var app = builder.Build();
        var server = new LocalServer(app);
        app.Run(async context =>
        {
            if (context.Request.Path == "/warmup")
            {
                context.Response.StatusCode = 204;
                return;
            }
            var attempt = Interlocked.Increment(ref server._arrivals);
            var at = clock.GetUtcNow();
            try
            {
                using var body = new MemoryStream();
                await context.Request.Body.CopyToAsync(body, context.RequestAborted);
                lock (server._received)
                {
                    server._received.Add(new Received(context.Request.Method, context.Request.Path, context.Request.ContentType,
                        context.Request.ContentLength, body.ToArray(), at));
                }
                await respond(context, attempt);
            }
            catch (Exception ex) when (ex is OperationCanceledException || context.RequestAborted.IsCancellationRequested)
            {
                // The client gave up (a timed-out attempt), or the server is stopping.
            }
        });
        await app.StartAsync();
        server.BaseAddress = new Uri(app.Urls.Single().TrimEnd('/') + "/");
        Assert.True(IPAddress.IsLoopback(IPAddress.Parse(server.BaseAddress.Host)));
        return server;
    }

    /// <summary>
    /// One uncounted request first, so that the tests timing attempts do not also time the first connection and the
    /// JIT compiling the HTTP stack.
    /// </summary>
    public async Task WarmUpAsync(HttpClient client)
    {
        using var response = await client.GetAsync(Url("warmup"));
        Assert.Equal(204, (int)response.StatusCode);
    }

    /// <summary>Answers with a status code and nothing else.</summary>
    public static Func<HttpContext, int, Task> Status(int status) => (context, _) =>
    {
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    };

    /// <summary>Never answers until the client aborts or the server stops.</summary>
    public async Task Hang(HttpContext context)
    {
        using var both = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, Stopping);
        await Task.Delay(Timeout.InfiniteTimeSpan, both.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stopping.Dispose();
    }
}
