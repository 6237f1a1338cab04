using AceStep.Contracts;

namespace AceStep.Engine.Host.Queue;

/// <summary>
/// One accepted task: who sent it, its result slots, its work, and its cancellation. Lives in the
/// <see cref="TaskRegistry"/> from acceptance until it has been finished for the retention period.
/// </summary>
public sealed class TaskRecord : IDisposable
{
    private readonly Func<TaskRecord, CancellationToken, Task> _work;
    private readonly CancellationTokenSource _cancellation = new();
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TimeProvider _clock;
    private readonly List<TaskError> _extraErrors = [];
    private readonly List<Task> _uploads = [];
    private int _started;

    /// <summary>Creates a record whose <paramref name="work"/> fills the slots when the queue runs it.</summary>
    public TaskRecord(Guid taskUuid, string taskType, string clientId, int items, Func<TaskRecord, CancellationToken, Task> work,
        TimeProvider? clock = null)
    {
        _clock = clock ?? TimeProvider.System;
        ArgumentOutOfRangeException.ThrowIfLessThan(items, 1);
        TaskUuid = taskUuid;
        TaskType = taskType;
        ClientId = clientId;
        Items = Enumerable.Range(0, items).Select(i => new ResultSlot(i)).ToArray();
        _work = work;
    }

    /// <summary>The task's UUID.</summary>
    public Guid TaskUuid { get; }

    /// <summary>The task's type.</summary>
    public string TaskType { get; }

    /// <summary>The connection or HTTP client that sent it; the queue is fair across these.</summary>
    public string ClientId { get; }

    /// <summary>The result items, in order.</summary>
    public IReadOnlyList<ResultSlot> Items { get; }

    /// <summary>When the task finished (all items done), or null.</summary>
    public DateTimeOffset? FinishedAt { get; private set; }

    /// <summary>Completes when every item has finished (success, error or cancelled).</summary>
    public Task Finished => _finished.Task;

    /// <summary>Raised with (progress 0–100, stage) while the task runs. Handlers must not block.</summary>
    public event Action<TaskRecord, double, string>? ProgressChanged;

    /// <summary>Raised once per item when it finishes (success, error or cancelled), before <see cref="Finished"/>.</summary>
    public event Action<TaskRecord, ResultSlot>? ItemFinished;

    /// <summary>True once the queue has started the work.</summary>
    public bool Started => Volatile.Read(ref _started) == 1;

    /// <summary>Reports progress for every unfinished item.</summary>
    public void ReportProgress(double progress, string stage)
    {
        foreach (var item in Items)
        {
            item.Report(progress);
        }
        ProgressChanged?.Invoke(this, progress, stage);
    }

    /// <summary>Marks item <paramref name="index"/> done with its reply item.</summary>
    public void Succeed(int index, System.Text.Json.Nodes.JsonObject result)
    {
        if (Items[index].Succeed(result))
        {
            ItemFinished?.Invoke(this, Items[index]);
        }
        CompleteIfDone();
    }

    /// <summary>Errors about the task that are not an item's own result, e.g. <c>uploadFailed</c>.</summary>
    public IReadOnlyList<TaskError> ExtraErrors
    {
        get
        {
            lock (_extraErrors)
            {
                return [.. _extraErrors];
            }
        }
    }

    /// <summary>Notes an upload to <c>uploadEndpoint</c> under way; it completes when the upload has its outcome.</summary>
    public void TrackUpload(Task outcome)
    {
        lock (_uploads)
        {
            _uploads.Add(outcome);
        }
    }

    /// <summary>
    /// Completes when every upload noted so far has its outcome (delivered, or <c>uploadFailed</c> added to
    /// <see cref="ExtraErrors"/>). A sync reply waits for this after <see cref="Finished"/>, so it says how the upload went.
    /// </summary>
    public Task UploadsSettled
    {
        get
        {
            lock (_uploads)
            {
                return Task.WhenAll(_uploads);
            }
        }
    }

    /// <summary>Adds an error that does not replace an item's result (the result stays available).</summary>
    public void AddError(TaskError error)
    {
        lock (_extraErrors)
        {
            _extraErrors.Add(error);
        }
    }

    /// <summary>Puts back an item finished before a restart, without raising <see cref="ItemFinished"/>.</summary>
    internal void Restore(int index, System.Text.Json.Nodes.JsonObject? result = null, TaskError? error = null)
    {
        if (result is not null)
        {
            Items[index].Succeed(result);
        }
        else if (error is not null)
        {
            Items[index].Fail(error);
        }
        CompleteIfDone();
    }

    /// <summary>Marks item <paramref name="index"/> failed.</summary>
    public void Fail(int index, TaskError error)
    {
        if (Items[index].Fail(error))
        {
            ItemFinished?.Invoke(this, Items[index]);
        }
        CompleteIfDone();
    }

    /// <summary>Marks every unfinished item failed with an error built from <paramref name="error"/>.</summary>
    public void FailRemaining(Func<int, TaskError> error)
    {
        foreach (var item in Items)
        {
            if (item.Status == ItemStatus.Processing && item.Fail(error(item.Index)))
            {
                ItemFinished?.Invoke(this, item);
            }
        }
        CompleteIfDone();
    }

    /// <summary>
    /// Asks the task to stop: a queued task ends at once, a running one at the generator's next check. Its
    /// unfinished items end with <c>cancelled</c>. Returns false when it had already finished.
    /// </summary>
    public bool Cancel(string why)
    {
        if (FinishedAt is not null)
        {
            return false;
        }
        _cancellation.Cancel();
        if (!Started)
        {
            FailRemaining(_ => CancelledError(why));
        }
        return true;
    }

    internal async Task RunAsync(CancellationToken stopping)
    {
        if (Interlocked.Exchange(ref _started, 1) == 1 || _cancellation.IsCancellationRequested)
        {
            return;
        }
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(_cancellation.Token, stopping);
        try
        {
            await _work(this, linked.Token);
            FailRemaining(_ => new TaskError
            {
                Code = ErrorCodes.InferenceError,
                Message = "The generator finished without producing this result.",
                TaskType = TaskType,
                TaskUuid = TaskUuid.ToString(),
            });
        }
        catch (OperationCanceledException) when (_cancellation.IsCancellationRequested)
        {
            FailRemaining(_ => CancelledError("The task was cancelled while it ran."));
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The engine is stopping: leave the items unfinished, so the job store still holds the task as
            // interrupted and the next start runs it again with the same taskUUID.
        }
    }

    private TaskError CancelledError(string why) => new()
    {
        Code = ErrorCodes.Cancelled,
        Message = why,
        TaskType = TaskType,
        TaskUuid = TaskUuid.ToString(),
    };

    private void CompleteIfDone()
    {
        if (Items.All(i => i.Status != ItemStatus.Processing) && FinishedAt is null)
        {
            FinishedAt = _clock.GetUtcNow();
            _finished.TrySetResult();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _cancellation.Dispose();
}
