using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using AceStep.Engine.Host.Delivery;
using AceStep.Engine.Host.Delivery.Outbound;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AceStep.Engine.Host.Tests;

/// <summary>webhookURL and uploadEndpoint against real local HTTP servers (loopback only).</summary>
public sealed class OutboundTests
{
    private sealed record Received(string Method, string Path, string ContentType, byte[] Body);

    /// <summary>A loopback server that records requests and answers /ok with 200 and /broken with 500.</summary>
    private sealed class Endpoint : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private Endpoint(WebApplication app) => _app = app;

        public ConcurrentQueue<Received> Requests { get; } = new();

        public Uri Base => new(_app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());

        public static async Task<Endpoint> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            var endpoint = new Endpoint(app);
            app.Run(async context =>
            {
                using var body = new MemoryStream();
                await context.Request.Body.CopyToAsync(body);
                endpoint.Requests.Enqueue(new Received(context.Request.Method, context.Request.Path, context.Request.ContentType ?? "", body.ToArray()));
                context.Response.StatusCode = context.Request.Path.StartsWithSegments("/broken") ? 500 : 200;
            });
            await app.StartAsync();
            return endpoint;
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }

    private static RunningEngine Engine() => new()
    {
        Generator = new TestGenerator(),
        ExtraServices = s => s.AddSingleton(new RetryOptions { MaxAttempts = 3, FirstDelay = TimeSpan.FromMilliseconds(20), AttemptTimeout = TimeSpan.FromSeconds(5) }),
    };

    [Fact]
    public async Task Each_finished_item_is_posted_to_the_webhook_and_its_file_put_to_the_upload_endpoint()
    {
        await using var endpoint = await Endpoint.StartAsync();
        var engine = Engine();
        await engine.InitializeAsync();
        await using var _ = engine;
        var task = Requests.Inference(t =>
        {
            t["numberResults"] = 2;
            t["webhookURL"] = new Uri(endpoint.Base, "/ok/hook").ToString();
            t["uploadEndpoint"] = new Uri(endpoint.Base, "/ok/upload").ToString();
        });
        var (status, body, _) = await Requests.PostAsync(engine.Http, [task]);
        Assert.Equal(HttpStatusCode.OK, status);
        await engine.Host.Services<ResultNotifier>().Idle.WaitAsync(TimeSpan.FromSeconds(20));

        var uploads = endpoint.Requests.Where(r => r.Path == "/ok/upload").ToArray();
        Assert.Equal(2, uploads.Length);
        Assert.All(uploads, u => Assert.Equal(("PUT", "audio/wav"), (u.Method, u.ContentType)));
        var delivered = body["data"]!.AsArray().Select(i => Convert.FromBase64String((string)i!["audioBase64Data"]!)).ToArray();
        Assert.All(uploads, u => Assert.Contains(delivered, d => d.AsSpan().SequenceEqual(u.Body)));

        var hooks = endpoint.Requests.Where(r => r.Path == "/ok/hook").Select(r => JsonNode.Parse(r.Body)!).ToArray();
        Assert.Equal(2, hooks.Length);
        Assert.All(hooks, h => Assert.Equal((string)task["taskUUID"]!, (string)h["data"]![0]!["taskUUID"]!));
        Assert.Equal(2, hooks.Select(h => (string)h["data"]![0]!["audioUUID"]!).Distinct().Count());
    }

    [Fact]
    public async Task A_dead_upload_endpoint_adds_upload_failed_and_the_result_stays_available()
    {
        await using var endpoint = await Endpoint.StartAsync();
        var engine = Engine();
        await engine.InitializeAsync();
        await using var _ = engine;
        // Input: an upload endpoint that answers 500 to every attempt.
        var task = Requests.Inference(t =>
        {
            t["outputType"] = "URL";
            t["uploadEndpoint"] = new Uri(endpoint.Base, "/broken/upload").ToString();
            t["webhookURL"] = new Uri(endpoint.Base, "/ok/hook").ToString();
        });
        await Requests.PostAsync(engine.Http, [task]);
        await engine.Host.Services<ResultNotifier>().Idle.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(3, endpoint.Requests.Count(r => r.Path == "/broken/upload"));
        var (_, polled, _) = await Requests.PostAsync(engine.Http, [new JsonObject { ["taskType"] = "getResponse", ["taskUUID"] = (string)task["taskUUID"]! }]);
        Assert.Equal("success", (string)polled["data"]![0]!["status"]!);
        var error = polled["errors"]![0]!;
        Assert.Equal("uploadFailed", (string)error["code"]!);
        Assert.Contains("HTTP 500", (string)error["message"]!, StringComparison.Ordinal);
        using (var file = await engine.Http.GetAsync(new Uri((string)polled["data"]![0]!["audioURL"]!).PathAndQuery))
        {
            Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        }
        // The webhook heard both: the result, then the failed upload.
        var hooks = endpoint.Requests.Where(r => r.Path == "/ok/hook").Select(r => JsonNode.Parse(r.Body)!.AsObject()).ToArray();
        Assert.NotNull(hooks[0]["data"]);
        Assert.Equal("uploadFailed", (string)hooks[1]["errors"]![0]!["code"]!);
    }

    [Fact]
    public async Task A_sync_reply_waits_for_the_upload_and_carries_upload_failed()
    {
        await using var endpoint = await Endpoint.StartAsync();
        var engine = Engine();
        await engine.InitializeAsync();
        await using var _ = engine;
        // Input: a sync task whose upload endpoint answers 500 to every attempt (3 attempts in this fixture).
        var task = Requests.Inference(t =>
        {
            t["deliveryMethod"] = "sync";
            t["outputType"] = "URL";
            t["uploadEndpoint"] = new Uri(endpoint.Base, "/broken/upload").ToString();
        });
        var (status, body, _) = await Requests.PostAsync(engine.Http, [task]);

        // The reply itself says so: no getResponse needed, and every attempt was made before it was sent.
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.NotNull((string?)body["data"]![0]!["audioURL"]);
        Assert.Equal("uploadFailed", (string)body["errors"]![0]!["code"]!);
        Assert.Equal(3, endpoint.Requests.Count(r => r.Path == "/broken/upload"));
    }

    [Fact]
    public async Task A_sync_reply_comes_after_a_successful_upload()
    {
        await using var endpoint = await Endpoint.StartAsync();
        var engine = Engine();
        await engine.InitializeAsync();
        await using var _ = engine;
        var task = Requests.Inference(t =>
        {
            t["deliveryMethod"] = "sync";
            t["uploadEndpoint"] = new Uri(endpoint.Base, "/ok/upload").ToString();
        });
        var (status, body, _) = await Requests.PostAsync(engine.Http, [task]);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Null(body["errors"]);
        Assert.Single(endpoint.Requests, r => r.Path == "/ok/upload");
    }
}
