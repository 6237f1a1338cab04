using AceStep.Contracts;

namespace AceStep.Engine.Host.Tasks;

/// <summary>A task that cannot run as asked; carries every error found, not just the first.</summary>
public sealed class TaskRejectedException : Exception
{
    /// <summary>Creates the exception from one or more error items.</summary>
    public TaskRejectedException(IReadOnlyList<TaskError> errors)
        : base(errors.Count > 0 ? errors[0].Message : "The task was rejected.") => Errors = errors;

    /// <summary>The error items to report.</summary>
    public IReadOnlyList<TaskError> Errors { get; }
}
