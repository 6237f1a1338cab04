using System.Text.Json.Nodes;
using AceStep.Contracts;

namespace AceStep.Engine.Host.Tasks;

/// <summary>Serves one <c>taskType</c>. Both transports reach handlers through <see cref="TaskDispatcher"/>.</summary>
public interface ITaskHandler
{
    /// <summary>The <c>taskType</c> this handler serves.</summary>
    string TaskType { get; }

    /// <summary>
    /// Handles one task object and returns its data and error items (a task with several results may have both).
    /// A task rejected as a whole may instead throw <see cref="TaskRejectedException"/>. Any other exception is a
    /// bug and becomes <c>internalError</c>.
    /// </summary>
    ValueTask<TaskOutcome> HandleAsync(JsonObject task, TaskContext context, CancellationToken cancellationToken);
}

/// <summary>What one task produced for the reply.</summary>
/// <param name="Data">Data items.</param>
/// <param name="Errors">Error items.</param>
public sealed record TaskOutcome(IReadOnlyList<JsonObject> Data, IReadOnlyList<TaskError> Errors)
{
    /// <summary>One data item.</summary>
    public static TaskOutcome Of(JsonObject item) => new([item], []);
}

/// <summary>What a handler knows about the request that carried its task.</summary>
/// <param name="Transport">Which front door it came through.</param>
/// <param name="ClientId">Identifies the connection or HTTP client, for fairness and logs.</param>
/// <param name="Channel">The pipe connection (attachments, progress events); null over HTTP.</param>
/// <param name="Authenticated">False over HTTP when an API key is configured and the request has not shown it yet.</param>
public sealed record TaskContext(AceStep.Contracts.Validation.TransportKind Transport, string ClientId,
    IClientChannel? Channel = null, bool Authenticated = true);
