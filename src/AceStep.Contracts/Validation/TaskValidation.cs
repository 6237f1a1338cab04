using System.Diagnostics.CodeAnalysis;

namespace AceStep.Contracts.Validation;

/// <summary>The outcome of validating one task: either the normalised typed task or every error found in it.</summary>
/// <typeparam name="T">The typed task.</typeparam>
public sealed class TaskValidation<T> where T : class
{
    internal TaskValidation(T? value, IReadOnlyList<TaskError> errors)
    {
        Value = value;
        Errors = errors;
    }

    /// <summary>The normalised task when <see cref="IsValid"/>; otherwise null.</summary>
    public T? Value { get; }

    /// <summary>All errors of the task, in field order; empty when <see cref="IsValid"/>.</summary>
    public IReadOnlyList<TaskError> Errors { get; }

    /// <summary>True when the task has no error and <see cref="Value"/> is set.</summary>
    [MemberNotNullWhen(true, nameof(Value))]
    public bool IsValid => Value is not null;
}

/// <summary>Builds <see cref="TaskValidation{T}"/> results.</summary>
public static class TaskValidation
{
    /// <summary>A valid task.</summary>
    public static TaskValidation<T> Success<T>(T value) where T : class
    {
        ArgumentNullException.ThrowIfNull(value);
        return new TaskValidation<T>(value, []);
    }

    /// <summary>A rejected task with at least one error.</summary>
    public static TaskValidation<T> Failure<T>(IReadOnlyList<TaskError> errors) where T : class
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Count == 0)
        {
            throw new ArgumentException("A failed validation has at least one error.", nameof(errors));
        }
        return new TaskValidation<T>(null, errors);
    }
}
