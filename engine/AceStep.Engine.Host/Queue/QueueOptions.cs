namespace AceStep.Engine.Host.Queue;

/// <summary>Bounds and timing of the task queue.</summary>
public sealed record QueueOptions
{
    /// <summary>Tasks waiting (not counting the ones running) before new ones get <c>queueFull</c>.</summary>
    public int Capacity { get; init; } = 32;

    /// <summary>Tasks run at once. One: the model uses the whole machine.</summary>
    public int Workers { get; init; } = 1;

    /// <summary>How long finished tasks stay pollable with <c>getResponse</c>.</summary>
    public TimeSpan Retention { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Longest a synchronous HTTP request waits before answering with what is finished.</summary>
    public TimeSpan SyncWaitLimit { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The duration assumed for a task before any has finished, for <c>retryAfter</c>.</summary>
    public TimeSpan InitialTaskEstimate { get; init; } = TimeSpan.FromSeconds(30);
}
