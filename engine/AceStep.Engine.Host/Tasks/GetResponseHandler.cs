using System.Text.Json.Nodes;
using AceStep.Contracts;
using AceStep.Contracts.Validation;
using AceStep.Engine.Host.Queue;

namespace AceStep.Engine.Host.Tasks;

/// <summary><c>getResponse</c>: every result item of a known task, in order, with status and progress.</summary>
public sealed class GetResponseHandler : ITaskHandler
{
    private readonly TaskRegistry _registry;

    /// <summary>Creates the handler.</summary>
    public GetResponseHandler(TaskRegistry registry) => _registry = registry;

    /// <inheritdoc />
    public string TaskType => TaskTypes.GetResponse;

    /// <inheritdoc />
    public ValueTask<TaskOutcome> HandleAsync(JsonObject task, TaskContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (record, failure) = KnownTask.Find(GetResponseValidator.Validate(task, context.Transport), _registry, TaskType,
            "it was never accepted, or it finished more than the retention period ago.");
        if (record is null)
        {
            return ValueTask.FromResult(failure!);
        }
        return ValueTask.FromResult(ReplyItems.From(record, withStatus: true));
    }
}
