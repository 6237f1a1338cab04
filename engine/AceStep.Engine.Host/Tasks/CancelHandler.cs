using System.Text.Json.Nodes;
using AceStep.Contracts;
using AceStep.Contracts.Tasks;
using AceStep.Contracts.Validation;
using AceStep.Engine.Host.Queue;

namespace AceStep.Engine.Host.Tasks;

/// <summary>
/// <c>cancel</c> (engine extension): stops a queued or running task; its unfinished items end with
/// <c>cancelled</c>. Answers <c>cancelled: false</c> for a task that had already finished.
/// </summary>
public sealed class CancelHandler : ITaskHandler
{
    private readonly TaskRegistry _registry;

    /// <summary>Creates the handler.</summary>
    public CancelHandler(TaskRegistry registry) => _registry = registry;

    /// <inheritdoc />
    public string TaskType => TaskTypes.Cancel;

    /// <inheritdoc />
    public ValueTask<TaskOutcome> HandleAsync(JsonObject task, TaskContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (record, failure) = KnownTask.Find(CancelValidator.Validate(task, context.Transport), _registry, TaskType,
            "there is nothing to cancel.");
        if (record is null)
        {
            return ValueTask.FromResult(failure!);
        }
        var cancelled = record.Cancel("The task was cancelled at the client's request.");
        var reply = new CancelResult { TaskUuid = record.TaskUuid, Cancelled = cancelled };
        return ValueTask.FromResult(TaskOutcome.Of(ContractsJson.ToJsonObject(reply, ContractsJson.Default.CancelResult)));
    }
}
