using AceStep.Contracts;
using AceStep.Contracts.Tasks;
using AceStep.Contracts.Validation;
using AceStep.Engine.Host.Queue;

namespace AceStep.Engine.Host.Tasks;

/// <summary>The shared first step of tasks that name another task by its taskUUID (getResponse, cancel).</summary>
internal static class KnownTask
{
    /// <summary>
    /// The named task, or the outcome to answer instead: the validation errors, or <c>taskNotFound</c> saying
    /// <paramref name="whyNotFound"/>.
    /// </summary>
    public static (TaskRecord? Record, TaskOutcome? Failure) Find(TaskValidation<TaskUuidReference> validation,
        TaskRegistry registry, string taskType, string whyNotFound)
    {
        if (!validation.IsValid)
        {
            return (null, new TaskOutcome([], validation.Errors));
        }
        var uuid = validation.Value!.TaskUuid;
        return registry.Find(uuid) is { } record
            ? (record, null)
            : (null, new TaskOutcome([], [new TaskError
            {
                Code = ErrorCodes.TaskNotFound,
                Message = $"No task {uuid} is known: {whyNotFound}",
                Parameter = "taskUUID",
                TaskType = taskType,
                TaskUuid = uuid.ToString(),
            }]));
    }
}
