using System.Text.Json.Nodes;
using AceStep.Contracts;
using Microsoft.Extensions.Logging;

namespace AceStep.Engine.Host.Tasks;

/// <summary>
/// The one place a request array is taken apart: each task goes to the handler of its type and is answered on
/// its own, so one bad task never fails its neighbours. HTTP and the pipe both call this.
/// </summary>
public sealed class TaskDispatcher
{
    private readonly Dictionary<string, ITaskHandler> _handlers;
    private readonly ILogger<TaskDispatcher> _logger;

    /// <summary>Creates a dispatcher over the registered handlers.</summary>
    public TaskDispatcher(IEnumerable<ITaskHandler> handlers, ILogger<TaskDispatcher> logger)
    {
        _handlers = handlers.ToDictionary(h => h.TaskType, StringComparer.Ordinal);
        _logger = logger;
    }

    /// <summary>Parses a UTF-8 request body and dispatches it; a body that is not a JSON array gets one error.</summary>
    public async ValueTask<TaskReply> DispatchAsync(ReadOnlyMemory<byte> utf8Body, TaskContext context, CancellationToken cancellationToken)
    {
        var (tasks, problem) = Parse(utf8Body.Span);
        return tasks is null ? RequestError(problem!) : await DispatchAsync(tasks, context, cancellationToken);
    }

    /// <summary>Dispatches an already parsed task array.</summary>
    public async ValueTask<TaskReply> DispatchAsync(JsonArray tasks, TaskContext context, CancellationToken cancellationToken)
    {
        if (tasks.Count == 0)
        {
            return RequestError("The request array is empty; send at least one task object.");
        }
        var data = new List<JsonObject>();
        var errors = new List<TaskError>();
        for (var i = 0; i < tasks.Count; i++)
        {
            if (tasks[i] is not JsonObject task)
            {
                errors.Add(new TaskError
                {
                    Code = ErrorCodes.InvalidRequest,
                    Message = $"Item {i} of the request array is not a task object.",
                    Parameter = $"[{i}]",
                });
                continue;
            }
            var (taskType, taskUuid) = (ReadString(task, "taskType"), ReadString(task, "taskUUID"));
            if (taskType is null)
            {
                errors.Add(new TaskError
                {
                    Code = ErrorCodes.Missing("taskType"),
                    Message = "The task has no taskType string. Allowed: " + string.Join(", ", _handlers.Keys.Order(StringComparer.Ordinal)) + ".",
                    Parameter = "taskType",
                    TaskUuid = taskUuid,
                });
                continue;
            }
            if (!_handlers.TryGetValue(taskType, out var handler))
            {
                errors.Add(new TaskError
                {
                    Code = ErrorCodes.UnsupportedTaskType,
                    Message = $"This engine does not serve taskType '{taskType}'. Served: " +
                              string.Join(", ", _handlers.Keys.Order(StringComparer.Ordinal)) + ".",
                    Parameter = "taskType",
                    TaskType = taskType,
                    TaskUuid = taskUuid,
                });
                continue;
            }
            try
            {
                var outcome = await handler.HandleAsync(task, context, cancellationToken);
                data.AddRange(outcome.Data);
                errors.AddRange(outcome.Errors);
            }
            catch (TaskRejectedException rejected)
            {
                errors.AddRange(rejected.Errors.Select(e => e with { TaskType = e.TaskType ?? taskType, TaskUuid = e.TaskUuid ?? taskUuid }));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                var incident = Guid.NewGuid().ToString("N")[..12];
                _logger.LogError(ex, "Task {TaskType} {TaskUuid} failed inside the engine (incident {Incident})", taskType, taskUuid, incident);
                errors.Add(new TaskError
                {
                    Code = ErrorCodes.InternalError,
                    Message = $"The engine failed while handling this task; this is a bug. The engine log names it as incident {incident}.",
                    TaskType = taskType,
                    TaskUuid = taskUuid,
                });
            }
        }
        return new TaskReply { Data = data.Count > 0 ? data : null, Errors = errors.Count > 0 ? errors : null };
    }

    /// <summary>
    /// The request body as a task array, or why it is not one: the text breaks a rule of <see cref="StrictJson"/>
    /// (invalid UTF-8, a lone surrogate, a duplicate property, bad syntax) or is not an array. Both transports read
    /// request bodies only through this, so every such body gets the same <c>invalidRequest</c> answer.
    /// </summary>
    public static (JsonArray? Tasks, string? Problem) Parse(ReadOnlySpan<byte> utf8Body)
    {
        try
        {
            return StrictJson.Parse(utf8Body) is JsonArray tasks
                ? (tasks, null)
                : (null, "The request body must be a JSON array of task objects, e.g. [{\"taskType\":\"ping\"}].");
        }
        catch (InvalidJsonTextException ex)
        {
            return (null, $"The request body cannot be read: {ex.Message} Send a JSON array of task objects.");
        }
    }

    private static string? ReadString(JsonObject task, string name) =>
        task[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static TaskReply RequestError(string message) =>
        new() { Errors = [new TaskError { Code = ErrorCodes.InvalidRequest, Message = message }] };
}
