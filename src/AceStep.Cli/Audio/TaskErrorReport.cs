using AceStep.Contracts;
using System.Text.Json.Nodes;

namespace AceStep.Cli.Audio;

/// <summary>
/// The errors of an audio task for a person (each with the flag and task field it is about) and for a script
/// (the exit code).
/// </summary>
public static class TaskErrorReport
{
    /// <summary>
    /// Writes each error as one unwrapped line on standard error (scripts grep it): code, flag and task field,
    /// message, allowed values.
    /// </summary>
    public static void Write(IReadOnlyList<TaskError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        foreach (var error in errors)
        {
            Console.Error.WriteLine($"acestep: {error.Code}{Where(error.Parameter)}: {error.Message}{Allowed(error.AllowedValues)}");
        }
    }

    private static string Allowed(JsonNode? values) => values switch
    {
        null => "",
        JsonArray list => " Allowed: " + string.Join(", ", list.Select(v => v is JsonValue value && value.TryGetValue<string>(out var text) ? text : v?.ToJsonString())) + ".",
        _ => " Allowed: " + (values is JsonValue single && single.TryGetValue<string>(out var range) ? range : values.ToJsonString()) + ".",
    };

    /// <summary>
    /// <see cref="ExitCodes.TaskRejected"/> when every error is about the task's parameters,
    /// <see cref="ExitCodes.ModelInvalid"/> when a model is not installed, <see cref="ExitCodes.TaskFailed"/> otherwise
    /// (the model failed, the queue was full, the task was cancelled elsewhere).
    /// </summary>
    public static int ExitCode(IReadOnlyList<TaskError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Count > 0 && errors.All(IsValidation))
        {
            return ExitCodes.TaskRejected;
        }
        return errors.Any(e => e.Code == ErrorCodes.ModelNotFound) ? ExitCodes.ModelInvalid : ExitCodes.TaskFailed;
    }

    /// <summary>True for the validator's codes: <c>missing…</c>, <c>invalid…</c>, <c>unsupported…</c>, unknown and incompatible parameters.</summary>
    public static bool IsValidation(TaskError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.Code is ErrorCodes.UnknownParameter or ErrorCodes.IncompatibleParameters
            || (error.Code is not (ErrorCodes.InvalidRequest or ErrorCodes.InvalidApiKey or ErrorCodes.UnsupportedTaskType)
                && (error.Code.StartsWith("missing", StringComparison.Ordinal)
                    || error.Code.StartsWith("invalid", StringComparison.Ordinal)
                    || error.Code.StartsWith("unsupported", StringComparison.Ordinal)));
    }

    /// <summary>E.g. <c> (--key, settings.keyScale)</c>; task fields without a flag are shown alone.</summary>
    public static string Where(ErrorParameter? parameter)
    {
        if (parameter is null)
        {
            return "";
        }
        var parts = parameter.Paths.Select(path => AudioOptions.FlagFor(path) is { } flag ? $"{flag}, {path}" : path);
        return " (" + string.Join("; ", parts) + ")";
    }
}
