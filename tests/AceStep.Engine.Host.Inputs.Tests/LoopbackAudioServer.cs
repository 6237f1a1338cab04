using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AceStep.Engine.Host.Inputs.Tests;

/// <summary>
/// A real Kestrel server on 127.0.0.1 (a port the OS picks) that answers the ways a URL for input audio can answer:
/// a file, 404/410/500, an empty body, a redirect chain, a lying Content-Length, an endless chunked body, a server
/// that never answers and one that stops halfway. Every endless route stops when the client goes away.
/// </summary>
public sealed class LoopbackAudioServer : IAsyncLifetime
{
    /// <summary>The file served at /audio.wav: 300 000 bytes of a fixed pattern.</summary>
    public static readonly byte[] Audio = Enumerable.Range(0, 300_000).Select(i => (byte)(i * 31 % 251)).ToArray();

    private WebApplication? _app;

    /// <summary>http://127.0.0.1:port</summary>
    public Uri BaseAddress { get; private set; } = null!;

    public Uri Url(string pathAndQuery) => new(BaseAddress, pathAndQuery);

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        _app = builder.Build();

        _app.MapGet("/audio.wav", () => Results.Bytes(Audio, "audio/wav"));
        _app.MapGet("/missing.wav", () => Results.NotFound());
        _app.MapGet("/gone.wav", () => Results.StatusCode(410));
        _app.MapGet("/broken.wav", () => Results.StatusCode(500));
        _app.MapGet("/empty.wav", () => Results.Bytes([], "audio/wav"));
        // /hop/3 → /hop/2 → /hop/1 → /audio.wav: a chain of n redirects.
        _app.MapGet("/hop/{n:int}", (int n) => Results.Redirect(n <= 1 ? "/audio.wav" : $"/hop/{n - 1}"));
        _app.MapGet("/to-file", () => Results.Redirect("file:///etc/passwd"));
        _app.MapGet("/to-ftp", (HttpContext context) => Results.Redirect($"ftp://127.0.0.1:{context.Connection.LocalPort}/audio.wav"));
        _app.MapGet("/never-answers.wav", async (HttpContext context) =>
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        });
        _app.MapGet("/stops-halfway.wav", async (HttpContext context) =>
        {
            context.Response.ContentLength = 1_000_000;
            await context.Response.StartAsync(context.RequestAborted);
            await context.Response.Body.WriteAsync(Audio.AsMemory(0, 1_000), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        });
        // Declares 2 GiB and writes slowly: a client that reads the header refuses before the body matters.
        _app.MapGet("/declares-2-gib.wav", async (HttpContext context) =>
        {
            context.Response.ContentLength = 2L * 1024 * 1024 * 1024;
            await WriteForeverAsync(context, delay: TimeSpan.FromMilliseconds(50));
        });
        // No Content-Length: chunked, and it never ends.
        _app.MapGet("/endless-chunked.wav", (HttpContext context) => WriteForeverAsync(context, delay: TimeSpan.Zero));
        await _app.StartAsync();

        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        BaseAddress = new Uri(address);

        // One request first, so routing and the endpoints are compiled before a test times anything.
        using var warmUp = new HttpClient();
        await warmUp.GetByteArrayAsync(Url("/audio.wav"));
    }

    private static async Task WriteForeverAsync(HttpContext context, TimeSpan delay)
    {
        var chunk = Audio.AsMemory(0, 64 * 1024);
        try
        {
            // Bounded even if the client never goes away: 64 MiB at most.
            for (var i = 0; i < 1024; i++)
            {
                await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                if (delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay, context.RequestAborted);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The client went away: what the tests expect.
        }
        catch (IOException)
        {
            // Same, seen as a broken connection.
        }
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _app.StopAsync(stop.Token);
            await _app.DisposeAsync();
        }
    }
}
