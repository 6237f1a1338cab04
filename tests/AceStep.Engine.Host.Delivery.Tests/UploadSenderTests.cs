using AceStep.Engine.Host.Delivery.Outbound;
using Microsoft.Extensions.Logging;

namespace AceStep.Engine.Host.Delivery.Tests;

public sealed class UploadSenderTests
{
    [Theory]
    [InlineData("audio/mpeg")]
    [InlineData("audio/ogg")]
    [InlineData("audio/flac")]
    [InlineData("audio/wav")]
    public async Task The_file_is_PUT_as_the_raw_body_with_the_formats_content_type(string contentType)
    {
        await using var server = await LocalServer.StartAsync(LocalServer.Status(200));
        var file = Outbound.AllBytes(repeats: 300);

        var result = await Outbound.Upload(Outbound.Fast()).PutAsync(server.Url("bucket/result.bin?X-Signature=abc"), file, contentType, CancellationToken.None);

        Assert.Equal(new DeliveryResult(true, 1, 200, null), result);
        var request = Assert.Single(server.Requests);
        Assert.Equal("PUT", request.Method);
        Assert.Equal("/bucket/result.bin", request.Path);
        Assert.Equal(contentType, request.ContentType);
        Assert.Equal(file.Length, request.ContentLength);
        Assert.Equal(file, request.Body);
    }

    [Fact]
    public async Task A_slice_of_a_larger_buffer_is_sent_exactly()
    {
        await using var server = await LocalServer.StartAsync(LocalServer.Status(201));
        var buffer = Outbound.AllBytes(repeats: 8);
        var slice = buffer.AsMemory(100, 1000);

        var result = await Outbound.Upload(Outbound.Fast()).PutAsync(server.Url(), slice, "audio/wav", CancellationToken.None);

        Assert.True(result.Delivered);
        Assert.Equal(slice.ToArray(), Assert.Single(server.Requests).Body);
    }

    [Fact]
    public async Task Two_failures_then_success_resend_the_whole_file_each_time()
    {
        await using var server = await LocalServer.StartAsync((context, attempt) =>
        {
            context.Response.StatusCode = attempt <= 2 ? 500 : 200;
            return Task.CompletedTask;
        });
        var file = Outbound.AllBytes(repeats: 64);
        var logger = new ListLogger<UploadSender>();

        var result = await Outbound.Upload(Outbound.Fast(), logger).PutAsync(server.Url(), file, "audio/mpeg", CancellationToken.None);

        Assert.Equal(new DeliveryResult(true, 3, 200, null), result);
        Assert.Equal(3, server.Requests.Count);
        Assert.All(server.Requests, r =>
        {
            Assert.Equal(file, r.Body);
            Assert.Equal("audio/mpeg", r.ContentType);
        });
        Assert.Equal([LogLevel.Warning, LogLevel.Warning, LogLevel.Information], logger.Entries.Select(e => e.Level));
        Assert.StartsWith("Upload attempt 1/6", logger.Entries[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hanging_endpoint_times_out_on_the_real_clock_too()
    {
        var options = Outbound.Fast(maxAttempts: 2) with { AttemptTimeout = TimeSpan.FromMilliseconds(400) };
        LocalServer? server = null;
        await using var started = server = await LocalServer.StartAsync((context, _) => server!.Hang(context));
        await server.WarmUpAsync(Outbound.Client);

        var result = await Outbound.Upload(options).PutAsync(server.Url(), Outbound.AllBytes(4), "audio/ogg", CancellationToken.None);

        Assert.Equal(new DeliveryResult(false, 2, null, "timed out after 400 ms"), result);
        // The server held at least the first attempt (this was a timeout, not a refusal); on a loaded machine the
        // second can time out before Kestrel hands it to the app, so it is not required to arrive.
        Assert.InRange(server.Arrivals, 1, 2);
    }

    [Fact]
    public async Task An_endpoint_that_always_fails_is_a_final_failure_after_max_attempts()
    {
        var clock = new ScaledClock(100);
        var options = Outbound.DefaultScheduleOn(clock);
        await using var server = await LocalServer.StartAsync(LocalServer.Status(503), clock);

        var result = await Outbound.Upload(options).PutAsync(server.Url(), Outbound.AllBytes(1), "audio/flac", CancellationToken.None);

        Assert.Equal(new DeliveryResult(false, 6, 503, "HTTP 503 Service Unavailable"), result);
        Assert.Equal(6, server.Requests.Count);
        Assert.Equal(
            [.. new[] { 1, 2, 4, 8, 16 }.Select(s => TimeSpan.FromSeconds(s))],
            clock.Timers.Where(t => t != options.AttemptTimeout));
    }

    [Fact]
    public async Task A_403_from_an_expired_signed_URL_is_final_at_once()
    {
        await using var server = await LocalServer.StartAsync(LocalServer.Status(403));

        var result = await Outbound.Upload(Outbound.Fast()).PutAsync(server.Url(), Outbound.AllBytes(1), "audio/wav", CancellationToken.None);

        Assert.Equal(new DeliveryResult(false, 1, 403, "HTTP 403 Forbidden"), result);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_429_with_Retry_After_is_honoured()
    {
        var clock = new ScaledClock(100);
        await using var server = await LocalServer.StartAsync((context, attempt) =>
        {
            context.Response.StatusCode = attempt == 1 ? 429 : 200;
            context.Response.Headers.RetryAfter = "3";
            return Task.CompletedTask;
        }, clock);
        var options = Outbound.DefaultScheduleOn(clock);

        var result = await Outbound.Upload(options).PutAsync(server.Url(), Outbound.AllBytes(1), "audio/wav", CancellationToken.None);

        Assert.Equal(new DeliveryResult(true, 2, 200, null), result);
        Assert.Equal([TimeSpan.FromSeconds(3)], clock.Timers.Where(t => t != options.AttemptTimeout));
    }

    [Fact]
    public async Task A_refused_connection_ends_as_connection_refused()
    {
        var url = new Uri($"http://127.0.0.1:{Outbound.FreePort()}/upload");

        var result = await Outbound.Upload(Outbound.Fast(maxAttempts: 2)).PutAsync(url, Outbound.AllBytes(1), "audio/wav", CancellationToken.None);

        Assert.Equal(new DeliveryResult(false, 2, null, "connection refused"), result);
    }

    [Theory]
    [InlineData("ftp://127.0.0.1/upload")]
    [InlineData("file:///tmp/result.wav")]
    public void A_non_http_URL_throws_at_once(string url)
    {
        var sender = Outbound.Upload(Outbound.Fast());

        var error = Assert.Throws<ArgumentException>(() => { _ = sender.PutAsync(new Uri(url), Outbound.AllBytes(1), "audio/wav", CancellationToken.None); });

        Assert.Equal("url", error.ParamName);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a media type")]
    public void A_bad_content_type_throws_at_once(string contentType)
    {
        var sender = Outbound.Upload(Outbound.Fast());

        var error = Assert.Throws<ArgumentException>(() => { _ = sender.PutAsync(new Uri("http://127.0.0.1/upload"), Outbound.AllBytes(1), contentType, CancellationToken.None); });

        Assert.Equal("contentType", error.ParamName);
    }
}
