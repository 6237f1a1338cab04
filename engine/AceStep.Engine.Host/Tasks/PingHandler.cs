using System.Text.Json.Nodes;
using AceStep.Contracts;

namespace AceStep.Engine.Host.Tasks;

/// <summary>
/// <c>ping</c> → <c>{"taskType":"ping","pong":true,"compute":{…}}</c>: liveness on every transport, plus (an extension
/// Runware clients ignore) how this engine computes (<see cref="ComputeReport"/>).
/// </summary>
/// <param name="options">The engine's options (device, memory mode, compute overrides).</param>
public sealed class PingHandler(EngineOptions options) : ITaskHandler
{
    private readonly JsonObject _compute = ComputeReport.Describe(options);

    /// <inheritdoc />
    public string TaskType => TaskTypes.Ping;

    /// <inheritdoc />
    public ValueTask<TaskOutcome> HandleAsync(JsonObject task, TaskContext context, CancellationToken cancellationToken)
    {
        var reply = new JsonObject { ["taskType"] = TaskTypes.Ping, ["pong"] = true, ["compute"] = _compute.DeepClone() };
        if (task["taskUUID"] is JsonValue uuid && uuid.TryGetValue<string>(out var text))
        {
            reply["taskUUID"] = text;
        }
        return ValueTask.FromResult(TaskOutcome.Of(reply));
    }
}
