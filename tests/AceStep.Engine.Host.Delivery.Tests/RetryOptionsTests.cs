using AceStep.Engine.Host.Delivery.Outbound;

namespace AceStep.Engine.Host.Delivery.Tests;

public sealed class RetryOptionsTests
{
    [Fact]
    public void The_defaults_meet_the_API_at_least_5_attempts_over_at_least_30_s()
    {
        var options = new RetryOptions();

        Assert.Equal(6, options.MaxAttempts);
        Assert.Equal(TimeSpan.FromSeconds(30), options.AttemptTimeout);
        Assert.Same(TimeProvider.System, options.TimeProvider);
        var waits = Enumerable.Range(1, options.MaxAttempts - 1).Select(options.BackoffAfter).ToArray();
        Assert.Equal([.. new[] { 1, 2, 4, 8, 16 }.Select(s => TimeSpan.FromSeconds(s))], waits);
        Assert.True(options.MaxAttempts >= 5);
        Assert.True(waits.Aggregate(TimeSpan.Zero, (a, b) => a + b) >= TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void The_backoff_is_capped_at_MaxDelay()
    {
        var options = new RetryOptions { FirstDelay = TimeSpan.FromSeconds(10), Factor = 3, MaxDelay = TimeSpan.FromSeconds(60) };

        Assert.Equal(TimeSpan.FromSeconds(30), options.BackoffAfter(2));
        Assert.Equal(TimeSpan.FromSeconds(60), options.BackoffAfter(3));
        Assert.Equal(TimeSpan.FromSeconds(60), options.BackoffAfter(200));
    }

    [Fact]
    public void Out_of_range_settings_are_refused_when_a_sender_is_made()
    {
        RetryOptions[] bad =
        [
            new() { MaxAttempts = 0 },
            new() { FirstDelay = TimeSpan.FromSeconds(-1) },
            new() { Factor = 0.5 },
            new() { Factor = double.NaN },
            new() { AttemptTimeout = TimeSpan.Zero },
            new() { MaxDelay = TimeSpan.FromMilliseconds(1) },
        ];

        Assert.All(bad, options => Assert.Throws<ArgumentOutOfRangeException>(() => Outbound.Webhook(options)));
        Assert.Throws<ArgumentNullException>(() => Outbound.Upload(new RetryOptions { TimeProvider = null! }));
    }
}
