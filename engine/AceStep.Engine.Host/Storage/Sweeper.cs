using AceStep.Engine.Host.Delivery;
using AceStep.Engine.Host.Queue;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AceStep.Engine.Host.Storage;

/// <summary>
/// Once a minute: forgets tasks finished longer ago than the retention period (memory, job store and kept
/// input audio) and deletes media whose ttl has passed.
/// </summary>
public sealed class Sweeper : BackgroundService
{
    private readonly TaskRegistry _registry;
    private readonly JobJournal _journal;
    private readonly MediaFiles _media;
    private readonly ILogger<Sweeper> _logger;

    /// <summary>Creates the sweeper.</summary>
    public Sweeper(TaskRegistry registry, JobJournal journal, MediaFiles media, ILogger<Sweeper> logger)
    {
        _registry = registry;
        _journal = journal;
        _media = media;
        _logger = logger;
    }

    /// <summary>One sweep; returns (tasks forgotten, media files deleted).</summary>
    public (int Tasks, int Media) SweepOnce()
    {
        var forgotten = _registry.Sweep();
        foreach (var uuid in forgotten)
        {
            _journal.Forget(uuid);
        }
        var media = _media.SweepExpired();
        if (forgotten.Count + media > 0)
        {
            _logger.LogInformation("Swept {Tasks} old task(s) and {Media} expired media file(s)", forgotten.Count, media);
        }
        return (forgotten.Count, media);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1));
        try
        {
            do
            {
                try
                {
                    SweepOnce();
                }
                catch (Exception ex) when (ex is IOException or Microsoft.Data.Sqlite.SqliteException)
                {
                    _logger.LogWarning(ex, "A sweep failed; the next one tries again");
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Engine shutdown.
        }
    }
}
