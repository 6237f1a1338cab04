using System.Text.Json.Nodes;
using AceStep.Contracts;

namespace AceStep.Engine.Host.Queue;

/// <summary>One result item of a task: its status, progress and, once finished, its reply item or error.</summary>
public sealed class ResultSlot
{
    private readonly Lock _gate = new();
    private double _progress;

    internal ResultSlot(int index) => Index = index;

    /// <summary>Position of the item within its task (result i used seed + i).</summary>
    public int Index { get; }

    /// <summary>Current status.</summary>
    public ItemStatus Status { get; private set; } = ItemStatus.Processing;

    /// <summary>0–100 while processing; 100 when finished.</summary>
    public double Progress
    {
        get
        {
            lock (_gate)
            {
                return _progress;
            }
        }
    }

    /// <summary>The reply item once <see cref="ItemStatus.Success"/>.</summary>
    public JsonObject? Result { get; private set; }

    /// <summary>The error once <see cref="ItemStatus.Error"/>.</summary>
    public TaskError? Error { get; private set; }

    internal void Report(double progress)
    {
        lock (_gate)
        {
            if (Status == ItemStatus.Processing)
            {
                _progress = Math.Clamp(progress, _progress, 100);
            }
        }
    }

    internal bool Succeed(JsonObject result)
    {
        lock (_gate)
        {
            if (Status != ItemStatus.Processing)
            {
                return false;
            }
            (Result, Status, _progress) = (result, ItemStatus.Success, 100);
            return true;
        }
    }

    internal bool Fail(TaskError error)
    {
        lock (_gate)
        {
            if (Status != ItemStatus.Processing)
            {
                return false;
            }
            (Error, Status) = (error, ItemStatus.Error);
            return true;
        }
    }
}
