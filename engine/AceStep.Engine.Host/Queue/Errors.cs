using AceStep.Contracts;

namespace AceStep.Engine.Host.Queue;

/// <summary>Error items the queue and its workers produce.</summary>
internal static class Errors
{
    public static TaskError Internal(TaskRecord record, string message) => new()
    {
        Code = ErrorCodes.InternalError,
        Message = message,
        TaskType = record.TaskType,
        TaskUuid = record.TaskUuid.ToString(),
    };
}
