using System.Text.Json;
using System.Text.Json.Nodes;
using AceStep.Engine.Host.Delivery.Outbound;
using Microsoft.Extensions.Logging;

namespace AceStep.Engine.Host.Delivery.Tests;

public sealed class WebhookSenderTests
{
    private static JsonObject Item() => new()
    {
        ["taskType"] = "audioInference",
        ["taskUUID"] = "6f1c3c1e-8f2a-4a4e-9d57-0d8a2f3b9c11",
        ["audioUUID"] = "0b8f2a1c-3d4e-4f5a-8b6c-7d8e9f0a1b2c",
        ["audioURL"] = "http://127.0.0.1:8001/v1/media/0b8f2a1c-3d4e-4f5a-8b6c-7d8e9f0a1b2c.mp3",
        ["caption"] = "lo-fi piano, café ambience ☕",
        ["cost"] = 0.0012,
    };

    [Fact]
    public async Task A_2xx_at_once_is_delivered_in_one_POST_with_the_exact_JSON_bytes()
    {
        await using var server = await LocalServer.StartAsync(LocalServer.Status(204));
        var payload = WebhookSender.DataPayload(Item());
        var logger = new ListLogger<WebhookSender>();

        var result = await Outbound.Webhook(Outbound.Fast(), logger).SendAsync(server.Url("hooks/acestep"), payload, CancellationToken.None);

        Assert.Equal(new DeliveryResult(true, 1, 204, null), result);
        var request = Assert.Single(server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/hooks/acestep", request.Path);
        Assert.Equal("application/json", request.ContentType);
        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(payload), request.Body);
        Assert.Equal(request.Body.Length, request.ContentLength);
        var sent = JsonNode.Parse(request.Body)!.AsObject();
        Assert.True(JsonNode.DeepEquals(Item(), sent["data"]![0]));
        Assert.Single(sent);
        var info = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Information, info.Level);
    }

    [Fact]
    public void Payloads_wrap_one_item_in_data_or_errors_and_copy_it()
    {
        var item = Item();
        var data = WebhookSender.DataPayload(item);
        var errors = WebhookSender.ErrorPayload(new JsonObject { ["code"] = "uploadFailed", ["taskUUID"] = "x" });

        Assert.Equal(Item().ToJsonString(), data["data"]![0]!.ToJsonString());
        Assert.Null(item.Parent);
        Assert.Equal("""{"errors":[{"code":"uploadFailed","taskUUID":"x"}]}""", errors.ToJsonString());
    }

    [Fact]
    public async Task Two_500s_then_a_200_take_three_attempts_with_the_same_body_each_time()
    {
        await using var server = await LocalServer.StartAsync((context, attempt) =>
        {
            context.Response.StatusCode = attempt <= 2 ? 500 : 200;
            return Task.CompletedTask;
        });
        var logger = new ListLogger<WebhookSender>();
        var payload = WebhookSender.ErrorPayload(new JsonObject { ["code"] = "cancelled" });

        var result = await Outbound.Webhook(Outbound.Fast(), logger).SendAsync(server.Url(), payload, CancellationToken.None);

        Assert.Equal(new DeliveryResult(true, 3, 200, null), result);
        Assert.Equal(3, server.Requests.Count);
        Assert.All(server.Requests, r => Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(payload), r.Body));
        // Quiet logs: one warning per failed attempt, one info for the outcome.
        Assert.Equal([LogLevel.Warning, LogLevel.Warning, LogLevel.Information], logger.Entries.Select(e => e.Level));
        Assert.Contains("HTTP 500 Internal Server Error", logger.Entries[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_always_fails_gets_six_attempts_over_the_default_31_s_schedule()
    {
        // Default options on a clock 50× faster: 31 s of waits take about 0.62 s.
        var clock = new ScaledClock(50);
        var options = Outbound.DefaultScheduleOn(clock);
        using var stamping = new StampingClient(clock);
        await using var server = await LocalServer.StartAsync(LocalServer.Status(500), clock);

        var result = await Outbound.Webhook(options, client: stamping.Client).SendAsync(server.Url(), WebhookSender.DataPayload(Item()), CancellationToken.None);

        Assert.Equal(new DeliveryResult(false, 6, 500, "HTTP 500 Internal Server Error"), result);
        Assert.Equal(6, server.Requests.Count);
        TimeSpan[] expected = [.. new[] { 1, 2, 4, 8, 16 }.Select(s => TimeSpan.FromSeconds(s))];
        Assert.Equal(expected, clock.Timers.Where(t => t != options.AttemptTimeout));
        Assert.Equal(6, clock.Timers.Count(t => t == options.AttemptTimeout));
        var sends = stamping.Sends;
        var gaps = Outbound.Gaps(sends);
        for (var i = 0; i < expected.Length; i++)
        {
            // Timers fire on a coarse clock, up to ~10 ms (real) early: 0.75 s of this clock.
            Assert.True(gaps[i] >= expected[i] - TimeSpan.FromSeconds(0.75), $"gap {i + 1} was {gaps[i]}, expected {expected[i]}");
        }
        Assert.True(sends[^1] - sends[0] >= TimeSpan.FromSeconds(30), "the API asks for 30 s or more");
    }

    [Fact]
    public async Task Real_waits_follow_the_configured_first_delay_and_factor()
    {
        // The real clock, only watched: waits are asked for exactly and happen in real time.
        var clock = new ScaledClock(1);
        var options = new RetryOptions { MaxAttempts = 4, FirstDelay = TimeSpan.FromMilliseconds(20), Factor = 3, TimeProvider = clock };
        using var stamping = new StampingClient(clock);
        await using var server = await LocalServer.StartAsync(LocalServer.Status(502));

        var result = await Outbound.Webhook(options, client: stamping.Client).SendAsync(server.Url(), WebhookSender.DataPayload(Item()), CancellationToken.None);

        Assert.Equal(new DeliveryResult(false, 4, 502, "HTTP 502 Bad Gateway"), result);
        int[] expectedMs = [20, 60, 180];
        Assert.Equal([.. expectedMs.Select(ms => TimeSpan.FromMilliseconds(ms))], clock.Timers.Where(t => t != options.AttemptTimeout));
        var gaps = Outbound.Gaps(stamping.Sends);
        Assert.Equal(3, gaps.Length);
        for (var i = 0; i < gaps.Length; i++)
        {
            // Timers fire on a coarse clock, up to ~10 ms early.
            Assert.True(gaps[i] >= TimeSpan.FromMilliseconds(expectedMs[i] - 12), $"gap {i + 1} was {gaps[i].TotalMilliseconds} ms");
        }
    }

    [Fact]
    public async Task A_server_that_hangs_times_out_each_attempt_then_fails_with_a_timed_out_reason()
    {
        // The default 30 s attempt timeout on a clock 60× faster: 0.5 s real per attempt.
        var clock = new ScaledClock(60);
        var options = new RetryOptions { MaxAttempts = 2, TimeProvider = clock };
        using var stamping = new StampingClient(clock);
        LocalServer? server = null;
        await using var started = server = await LocalServer.StartAsync((context, _) => server!.Hang(context), clock);
        await server.WarmUpAsync(stamping.Client);

        var result = await Outbound.Webhook(options, client: stamping.Client).SendAsync(server.Url(), WebhookSender.DataPayload(Item()), CancellationToken.None);

        Assert.Equal(new DeliveryResult(false, 2, null, "timed out after 30 s"), result);
        // The server held at least the first attempt (this was a timeout, not a refusal); on a loaded machine the
        // second can time out before Kestrel hands it to the app, so it is not required to arrive.
        Assert.InRange(server.Arrivals, 1, 2);
        // 30 s timeout + 1 s wait, less the coarse timers' slack (~10 ms real each, 0.6 s of this clock).
        Assert.True(Outbound.Gaps(stamping.Sends)[1] >= TimeSpan.FromSeconds(29.5), "the second attempt starts after the timeout and the wait");
    }

    [Theory]
    [InlineData(400, "HTTP 400 Bad Request")]
    [InlineData(401, "HTTP 401 Unauthorized")]
    [InlineData(403, "HTTP 403 Forbidden")]
    [InlineData(404, "HTTP 404 Not Found")]
    [InlineData(410, "HTTP 410 Gone")]
    [InlineData(422, "HTTP 422 Unprocessable Entity")]
    public async Task A_4xx_other_than_408_and_429_is_final_at_once(int status, string reason)
    {
        await using var server = await LocalServer.StartAsync(LocalServer.Status(status));
        var logger = new ListLogger<WebhookSender>();

        var result = await Outbound.Webhook(Outbound.Fast(), logger).SendAsync(server.Url(), WebhookSender.DataPayload(Item()), CancellationToken.None);

        Assert.Equal(new DeliveryResult(false, 1, status, reason), result);
        Assert.Single(server.Requests);
        Assert.Equal([LogLevel.Warning, LogLevel.Information], logger.Entries.Select(e => e.Level));
        Assert.Contains("giving up", logger.Entries[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_redirect_is_not_followed_and_is_final()
    {
        await using var target = await LocalServer.StartAsync(LocalServer.Status(200));
        await using var server = await LocalServer.StartAsync((context, _) =>
        {
            context.Response.StatusCode = 307;
            context.Response.Headers.Location = target.Url().AbsoluteUri;
            return Task.CompletedTask;
        });

        var result = await Outbound.Webhook(Outbound.Fast()).SendAsync(server.Url(), WebhookSender.DataPayload(Item()), CancellationToken.None);

        Assert.Equal(new DeliveryResult(false, 1, 307, "HTTP 307 Temporary Redirect"), result);
        Assert.Empty(target.Requests);
    }

    [Theory]
    [InlineData(408)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task Timeouts_throttling_and_5xx_are_retried(int status)
    {
        await using var server = await LocalServer.StartAsync(LocalServer.Status(status));

        var result = await Outbound.Webhook(Outbound.Fast(maxAttempts: 3)).SendAsync(server.Url(), WebhookSender.DataPayload(Item()), CancellationToken.None);

        Assert.False(result.Delivered);
        Assert.Equal(3, result.Attempts);
        Assert.Equal(status, result.LastStatus);
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task A_429_with_Retry_After_waits_as_asked_then_delivers()
    {
        var clock = new ScaledClock(100);
        await using var server = await LocalServer.StartAsync((context, attempt) =>
        {
            context.Response.StatusCode = attempt == 1 ? 429 : 200;
            if (attempt == 1)
            {
                context.Response.Headers.RetryAfter = "5";
            }
            return Task.CompletedTask;
        }, clock);
        var options = Outbound.DefaultScheduleOn(clock);
        using var stamping = new StampingClient(clock);

        var result = await Outbound.Webhook(options, client: stamping.Client).SendAsync(server.Url(), WebhookSender.DataPayload(Item()), CancellationToken.None);

        Assert.Equal(new DeliveryResult(true, 2, 200, null), result);
        // 5 s as asked, not the 1 s backoff.
        Assert.Equal([TimeSpan.FromSeconds(5)], clock.Timers.Where(t => t != options.AttemptTimeout));
        // Really waited (less ~10 ms real of coarse-timer slack, 1 s here), far beyond the 1 s backoff.
        Assert.True(Outbound.Gaps(stamping.Sends)[0] >= TimeSpan.FromSeconds(4));
    }

    [Theory]
    [InlineData("3600", 60)] // capped at MaxDelay
    [InlineData("0", 1)] // never shorter than the backoff
    public async Task Retry_After_is_honoured_only_within_the_backoff_cap(string retryAfter, int expectedSeconds)
    {
        var clock = new ScaledClock(1000);
        await using var server = await LocalServer.StartAsync((context, attempt) =>
        {
            context.Response.StatusCode = attempt == 1 ? 429 : 204;
            context.Response.Headers.RetryAfter = retryAfter;
            return Task.CompletedTask;
        }, clock);
        var options = Outbound.DefaultScheduleOn(clock);

        var result = await Outbound.Webhook(options).SendAsync(server.Url(), WebhookSender.DataPayload(Item()), CancellationToken.None);

        Assert.True(result.Delivered);
        Assert.Equal([TimeSpan.FromSeconds(expectedSeconds)], clock.Timers.Where(t => t != options.AttemptTimeout));
    }

    [Fact]
    public async Task A_503_with_a_Retry_After_date_waits_until_that_date()
    {
        var clock = new ScaledClock(100);
        await using var server = await LocalServer.StartAsync((context, attempt) =>
        {
            context.Response.StatusCode = attempt == 1 ? 503 : 200;
            context.Response.Headers.RetryAfter = clock.GetUtcNow().AddSeconds(10).ToString("R");
            return Task.CompletedTask;
        }, clock);
        var options = Outbound.DefaultScheduleOn(clock);

        var result = await Outbound.Webhook(options).SendAsync(server.Url(), WebhookSender.DataPayload(Item()), CancellationToken.None);

        Assert.Equal(new DeliveryResult(true, 2, 200, null), result);
        var wait = Assert.Single(clock.Timers, t => t != options.AttemptTimeout);
        // HTTP dates have whole seconds, and the clock moves 100× fast while the answer travels.
        Assert.InRange(wait, TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Retry_After_on_a_500_is_ignored()
    {
        var clock = new ScaledClock(1000);
        await using var server = await LocalServer.StartAsync((context, attempt) =>
        {
            context.Response.StatusCode = attempt == 1 ? 500 : 200;
            context.Response.Headers.RetryAfter = "30";
            return Task.CompletedTask;
        }, clock);
        var options = Outbound.DefaultScheduleOn(clock);

        var result = await Outbound.Webhook(options).SendAsync(server.Url(), WebhookSender.DataPayload(Item()), CancellationToken.None);

        Assert.True(result.Delivered);
        Assert.Equal([TimeSpan.FromSeconds(1)], clock.Timers.Where(t => t != options.AttemptTimeout));
    }

    [Fact]
    public async Task A_refused_connection_is_retried_then_reported_as_connection_refused()
    {
        var url = new Uri($"http://127.0.0.1:{Outbound.FreePort()}/hook");
        var logger = new ListLogger<WebhookSender>();

        var result = await Outbound.Webhook(Outbound.Fast(maxAttempts: 3), logger).SendAsync(url, WebhookSender.DataPayload(Item()), CancellationToken.None);

        Assert.Equal(new DeliveryResult(false, 3, null, "connection refused"), result);
        Assert.Equal([LogLevel.Warning, LogLevel.Warning, LogLevel.Warning, LogLevel.Information], logger.Entries.Select(e => e.Level));
    }

    [Theory]
    [InlineData("ftp://127.0.0.1/hook")]
    [InlineData("file:///tmp/hook")]
    [InlineData("mailto:someone@example.com")]
    [InlineData("ws://127.0.0.1/hook")]
    public void A_non_http_URL_throws_at_once(string url)
    {
        var sender = Outbound.Webhook(Outbound.Fast());

        // Thrown by the call itself, before any task exists.
        var error = Assert.Throws<ArgumentException>(() => { _ = sender.SendAsync(new Uri(url), new JsonObject(), CancellationToken.None); });

        Assert.Equal("url", error.ParamName);
    }

    [Fact]
    public void A_relative_URL_throws_at_once()
    {
        var sender = Outbound.Webhook(Outbound.Fast());

        Assert.Throws<ArgumentException>(() => { _ = sender.SendAsync(new Uri("/hook", UriKind.Relative), new JsonObject(), CancellationToken.None); });
    }

    [Fact]
    public async Task Logs_name_the_target_without_its_query_or_credentials()
    {
        await using var server = await LocalServer.StartAsync(LocalServer.Status(500));
        var logger = new ListLogger<WebhookSender>();
        var url = new UriBuilder(server.Url("hook?token=s3cret")) { UserName = "user", Password = "pa55" }.Uri;

        await Outbound.Webhook(Outbound.Fast(maxAttempts: 2), logger).SendAsync(url, WebhookSender.DataPayload(Item()), CancellationToken.None);

        Assert.Equal(3, logger.Entries.Count);
        Assert.All(logger.Entries, e =>
        {
            Assert.Contains(server.Url("hook").AbsoluteUri, e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("s3cret", e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("pa55", e.Message, StringComparison.Ordinal);
        });
        Assert.Equal("/hook", server.Requests[0].Path);
    }

    [Fact]
    public async Task Cancelling_during_the_wait_ends_the_delivery_with_OperationCanceledException()
    {
        var clock = new ScaledClock(1);
        await using var server = await LocalServer.StartAsync(LocalServer.Status(500), clock);
        using var cancel = new CancellationTokenSource();
        var options = Outbound.DefaultScheduleOn(clock);

        var sending = Outbound.Webhook(options).SendAsync(server.Url(), WebhookSender.DataPayload(Item()), cancel.Token);
        for (var i = 0; i < 200 && server.Requests.Count == 0; i++)
        {
            await Task.Delay(5);
        }
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending.WaitAsync(TimeSpan.FromSeconds(2)));
        Assert.Single(server.Requests);
    }
}
