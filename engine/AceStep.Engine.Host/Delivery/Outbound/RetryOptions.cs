namespace AceStep.Engine.Host.Delivery.Outbound;

/// <summary>
/// How an outbound delivery (webhook or upload) is retried. The defaults make 6 attempts with waits of
/// 1 + 2 + 4 + 8 + 16 = 31 s between them, which meets the API's "at least 5 attempts over at least 30 s".
/// </summary>
public sealed record RetryOptions
{
    /// <summary>Attempts in all, the first one included; at least 1. Default 6.</summary>
    public int MaxAttempts { get; init; } = 6;

    /// <summary>The wait after the first failed attempt. Default 1 s.</summary>
    public TimeSpan FirstDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Each further wait is the previous one times this; at least 1. Default 2.</summary>
    public double Factor { get; init; } = 2;

    /// <summary>
    /// The longest single wait: caps both the exponential backoff and a server's <c>Retry-After</c>. Default 60 s,
    /// above every default wait, so it only matters for a large <c>Retry-After</c> or a long custom schedule.
    /// </summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long one attempt may take until the response headers arrive. Default 30 s.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The clock for the waits between attempts and for <see cref="AttemptTimeout"/>; tests pass a fake or scaled one.
    /// </summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// The backoff wait after failed attempt number <paramref name="attempt"/> (1-based):
    /// <c>min(FirstDelay × Factor^(attempt−1), MaxDelay)</c>.
    /// </summary>
    public TimeSpan BackoffAfter(int attempt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        var ticks = FirstDelay.Ticks * Math.Pow(Factor, attempt - 1);
        return ticks >= MaxDelay.Ticks ? MaxDelay : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>Throws when a setting is out of range.</summary>
    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxAttempts, 1, nameof(MaxAttempts));
        ArgumentOutOfRangeException.ThrowIfLessThan(FirstDelay, TimeSpan.Zero, nameof(FirstDelay));
        if (double.IsNaN(Factor) || Factor < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Factor), Factor, "Factor must be at least 1.");
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDelay, FirstDelay, nameof(MaxDelay));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(AttemptTimeout, TimeSpan.Zero, nameof(AttemptTimeout));
        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
    }
}
