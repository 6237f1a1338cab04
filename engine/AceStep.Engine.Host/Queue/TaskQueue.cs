using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AceStep.Engine.Host.Queue;

/// <summary>
/// The one bounded queue behind both transports. FIFO within each client, round-robin across clients, so one
/// client that submits twenty tasks cannot starve another that submits one. Workers take the next task, run it,
/// and the registry keeps it pollable afterwards.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "It is the engine's task queue; the name says so.")]
public sealed class TaskQueue : BackgroundService
{
    private readonly QueueOptions _options;
    private readonly TaskRegistry _registry;
    private readonly ILogger<TaskQueue> _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Queue<TaskRecord>> _byClient = new(StringComparer.Ordinal);
    private readonly LinkedList<string> _turns = new();
    private readonly SemaphoreSlim _available = new(0);
    private int _queued;
    private double _averageSeconds;

    /// <summary>Creates the queue.</summary>
    public TaskQueue(QueueOptions options, TaskRegistry registry, ILogger<TaskQueue> logger)
    {
        _options = options;
        _registry = registry;
        _logger = logger;
        _averageSeconds = options.InitialTaskEstimate.TotalSeconds;
    }

    /// <summary>Tasks waiting to run.</summary>
    public int Queued => Volatile.Read(ref _queued);

    /// <summary>
    /// Registers and queues a task. Returns <see cref="EnqueueOutcome.Accepted"/>, <see cref="EnqueueOutcome.Conflict"/>
    /// when its UUID is known, or <see cref="EnqueueOutcome.Full"/> with the seconds after which a retry is likely
    /// to be accepted.
    /// </summary>
    public (EnqueueOutcome Outcome, int RetryAfterSeconds) TryEnqueue(TaskRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_gate)
        {
            if (_queued >= _options.Capacity)
            {
                return (EnqueueOutcome.Full, RetryAfterSeconds());
            }
            if (!Add(record))
            {
                return (EnqueueOutcome.Conflict, 0);
            }
        }
        _available.Release();
        return (EnqueueOutcome.Accepted, 0);
    }

    /// <summary>
    /// Queues a task recovered after a restart, past the capacity bound: it was accepted before, so it is never
    /// refused now.
    /// </summary>
    public void Requeue(TaskRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_gate)
        {
            if (!Add(record))
            {
                return;
            }
        }
        _available.Release();
    }

    private bool Add(TaskRecord record)
    {
        // Called under _gate.
        if (!_registry.TryAdd(record))
        {
            return false;
        }
        if (!_byClient.TryGetValue(record.ClientId, out var queue))
        {
            queue = new Queue<TaskRecord>();
            _byClient[record.ClientId] = queue;
            _turns.AddLast(record.ClientId);
        }
        queue.Enqueue(record);
        _queued++;
        return true;
    }

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Math.Max(1, _options.Workers)).Select(_ => WorkAsync(stoppingToken)));

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await _available.WaitAsync(stoppingToken);
                if (Dequeue() is not { } record)
                {
                    continue;
                }
                var stopwatch = Stopwatch.StartNew();
                try
                {
                    await record.RunAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The record's work maps expected failures itself; reaching here is a bug in that code.
                    _logger.LogError(ex, "Task {TaskUuid} failed outside its own error handling", record.TaskUuid);
                    record.FailRemaining(_ => Errors.Internal(record, "The engine failed while running this task; this is a bug."));
                }
                finally
                {
                    Learn(stopwatch.Elapsed);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Engine shutdown.
        }
    }

    private TaskRecord? Dequeue()
    {
        lock (_gate)
        {
            // Round-robin: take the head of the first client's queue, then move that client to the back.
            for (var turn = _turns.First; turn is not null; turn = _turns.First)
            {
                var queue = _byClient[turn.Value];
                var record = queue.Dequeue();
                _queued--;
                _turns.RemoveFirst();
                if (queue.Count > 0)
                {
                    _turns.AddLast(turn.Value);
                }
                else
                {
                    _byClient.Remove(turn.Value);
                }
                // A task cancelled while queued has already finished; skip it without running.
                if (record.FinishedAt is null)
                {
                    return record;
                }
            }
            return null;
        }
    }

    private void Learn(TimeSpan elapsed)
    {
        lock (_gate)
        {
            // Exponential moving average of task duration: recent tasks say most about the next ones.
            _averageSeconds = 0.7 * _averageSeconds + 0.3 * elapsed.TotalSeconds;
        }
    }

    private int RetryAfterSeconds()
    {
        // Called under _gate. A full queue gains a place when a worker takes the next task, i.e. when a running
        // task ends: about one average task duration shared across the workers.
        return (int)Math.Clamp(Math.Ceiling(_averageSeconds / Math.Max(1, _options.Workers)), 1, 3600);
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _available.Dispose();
        base.Dispose();
    }
}

/// <summary>What happened to a task offered to the queue.</summary>
public enum EnqueueOutcome
{
    /// <summary>Queued.</summary>
    Accepted,

    /// <summary>The taskUUID is already known.</summary>
    Conflict,

    /// <summary>The queue is at capacity.</summary>
    Full,
}
