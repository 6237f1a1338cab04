using System.Collections.Concurrent;

namespace AceStep.Engine.Host.Queue;

/// <summary>
/// Every task the engine knows, by taskUUID: queued, running, or finished within the retention period. It answers
/// <c>getResponse</c> and <c>cancel</c> and rejects a reused taskUUID.
/// </summary>
public sealed class TaskRegistry
{
    private readonly ConcurrentDictionary<Guid, TaskRecord> _tasks = new();
    private readonly TimeProvider _clock;
    private readonly TimeSpan _retention;

    /// <summary>Creates the registry; finished tasks are forgotten after <paramref name="retention"/>.</summary>
    public TaskRegistry(TimeProvider clock, TimeSpan retention)
    {
        _clock = clock;
        _retention = retention;
    }

    /// <summary>Adds a task; false when its UUID is already known.</summary>
    public bool TryAdd(TaskRecord record) => _tasks.TryAdd(record.TaskUuid, record);

    /// <summary>Finds a task.</summary>
    public TaskRecord? Find(Guid taskUuid) => _tasks.TryGetValue(taskUuid, out var record) ? record : null;

    /// <summary>Forgets tasks finished longer ago than the retention period; returns their UUIDs.</summary>
    public IReadOnlyList<Guid> Sweep()
    {
        var cutoff = _clock.GetUtcNow() - _retention;
        var removed = new List<Guid>();
        foreach (var (uuid, record) in _tasks)
        {
            if (record.FinishedAt is { } finished && finished < cutoff && _tasks.TryRemove(uuid, out _))
            {
                record.Dispose();
                removed.Add(uuid);
            }
        }
        return removed;
    }
}
