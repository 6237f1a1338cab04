using System.Text.Json.Nodes;

namespace AceStep.Engine.Host.Tasks;

/// <summary>Serves one <c>taskType</c>. Both transports reach handlers through <see cref="TaskDispatcher"/>.</summary>
public interface ITaskHandler
{
    /// <summary>The <c>taskType</c> this handler serves.</summary>
    string TaskType { get; }

    /// <summary>
    /// Handles one task object. Returns its data items; a rejected task throws <see cref="TaskRejectedException"/>
    /// carrying the error items. Any other exception is a bug and becomes <c>internalError</c>.
    /// </summary>
    ValueTask<IReadOnlyList<JsonObject>> HandleAsync(JsonObject task, TaskContext context, CancellationToken cancellationToken);
}

/// <summary>What a handler knows about the request that carried its task.</summary>
/// <param name="Transport">"http" or "pipe".</param>
/// <param name="ClientId">Identifies the connection or HTTP client, for fairness and logs.</param>
public sealed record TaskContext(string Transport, string ClientId);
