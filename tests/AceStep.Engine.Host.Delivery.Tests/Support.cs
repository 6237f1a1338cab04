using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using AceStep.Engine.Host.Delivery.Outbound;
using Microsoft.Extensions.Logging;

namespace AceStep.Engine.Host.Delivery.Tests;

/// <summary>
/// A clock that runs <c>scale</c> times faster than the real one and records the due time of every timer asked of it
/// (the waits between attempts and each attempt's timeout), so default schedules of tens of seconds run in
/// milliseconds and can be asserted exactly.
/// </summary>
public sealed class ScaledClock(double scale) : TimeProvider
{
    private readonly DateTimeOffset _start = DateTimeOffset.UtcNow;
    private readonly long _startTimestamp = Stopwatch.GetTimestamp();
    private readonly ConcurrentQueue<TimeSpan> _timers = new();

    /// <summary>Due times of the timers created so far, in clock time, in order.</summary>
    public IReadOnlyList<TimeSpan> Timers => [.. _timers];

    public override DateTimeOffset GetUtcNow() => _start + Stopwatch.GetElapsedTime(_startTimestamp) * scale;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        _timers.Enqueue(dueTime);
        return System.CreateTimer(callback, state, Scale(dueTime), Scale(period));
    }

    private TimeSpan Scale(TimeSpan span) => span == Timeout.InfiniteTimeSpan ? span : span / scale;
}

/// <summary>A logger that keeps what it is told.</summary>
public sealed class ListLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<(LogLevel Level, string Message)> _entries = new();

    public IReadOnlyList<(LogLevel Level, string Message)> Entries => [.. _entries];

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _entries.Enqueue((logLevel, formatter(state, exception)));
}

public static class Outbound
{
    /// <summary>One client for all tests, as the engine keeps one.</summary>
    public static readonly HttpClient Client = OutboundHttpClient.Create();

    /// <summary>Tiny real waits: 10, 20, 40 … ms, attempts time out after 2 s.</summary>
    public static RetryOptions Fast(int maxAttempts = 6) => new()
    {
        MaxAttempts = maxAttempts,
        FirstDelay = TimeSpan.FromMilliseconds(10),
        AttemptTimeout = TimeSpan.FromSeconds(2),
    };

    /// <summary>
    /// The default schedule (6 attempts, 1 s × 2ⁿ) on a fast clock. The attempt timeout is raised to an hour: at 100×
    /// the default 30 s would be 300 ms of real time, which a busy test machine can exceed for an ordinary request.
    /// </summary>
    public static RetryOptions DefaultScheduleOn(ScaledClock clock) => new()
    {
        TimeProvider = clock,
        AttemptTimeout = TimeSpan.FromHours(1),
    };

    public static WebhookSender Webhook(RetryOptions options, ListLogger<WebhookSender>? logger = null, HttpClient? client = null) =>
        new(client ?? Client, options, logger ?? new ListLogger<WebhookSender>());

    public static UploadSender Upload(RetryOptions options, ListLogger<UploadSender>? logger = null, HttpClient? client = null) =>
        new(client ?? Client, options, logger ?? new ListLogger<UploadSender>());

    /// <summary>A loopback port nothing listens on (taken from the OS, then released).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Every byte value, repeated: catches any re-encoding of an upload body.</summary>
    public static byte[] AllBytes(int repeats)
    {
        var bytes = new byte[256 * repeats];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)i;
        }
        return bytes;
    }

    /// <summary>Gaps between consecutive times.</summary>
    public static TimeSpan[] Gaps(IReadOnlyList<DateTimeOffset> times) =>
        [.. times.Zip(times.Skip(1), (a, b) => b - a)];
}

/// <summary>
/// A client that notes, on the given clock, the moment each request leaves: gaps between sends are the sender's own
/// waits plus the previous attempt's duration, free of the server's scheduling jitter.
/// </summary>
public sealed class StampingClient : IDisposable
{
    private readonly ConcurrentQueue<DateTimeOffset> _sends = new();

    public StampingClient(TimeProvider clock) =>
        Client = new HttpClient(new Stamp(clock, _sends, new SocketsHttpHandler { AllowAutoRedirect = false }))
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };

    public HttpClient Client { get; }

    public IReadOnlyList<DateTimeOffset> Sends => [.. _sends];

    public void Dispose() => Client.Dispose();

    private sealed class Stamp(TimeProvider clock, ConcurrentQueue<DateTimeOffset> sends, HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            sends.Enqueue(clock.GetUtcNow());
            return base.SendAsync(request, cancellationToken);
        }
    }
}
