using System.Text.Json.Nodes;
using AceStep.Contracts;

namespace AceStep.Engine.Host.Tasks;

/// <summary><c>ping</c> → <c>{"taskType":"ping","pong":true}</c>: liveness on every transport.</summary>
public sealed class PingHandler : ITaskHandler
{
    /// <inheritdoc />
    public string TaskType => TaskTypes.Ping;

    /// <inheritdoc />
    public ValueTask<TaskOutcome> HandleAsync(JsonObject task, TaskContext context, CancellationToken cancellationToken)
    {
        var reply = new JsonObject { ["taskType"] = TaskTypes.Ping, ["pong"] = true };
        if (task["taskUUID"] is JsonValue uuid && uuid.TryGetValue<string>(out var text))
        {
            reply["taskUUID"] = text;
        }
        return ValueTask.FromResult(TaskOutcome.Of(reply));
    }
}
