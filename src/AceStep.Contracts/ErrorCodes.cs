namespace AceStep.Contracts;

/// <summary>
/// Error codes of the task API (Runware pattern). Parameter-specific codes are built with
/// <see cref="Missing"/>, <see cref="Invalid"/> and <see cref="Unsupported"/>.
/// </summary>
public static class ErrorCodes
{
    /// <summary>A field the task does not define.</summary>
    public const string UnknownParameter = "unknownParameter";

    /// <summary>Two fields that cannot be used together.</summary>
    public const string IncompatibleParameters = "incompatibleParameters";

    /// <summary>The taskType is not one the engine serves.</summary>
    public const string UnsupportedTaskType = "unsupportedTaskType";

    /// <summary>The request body or a task is not well-formed JSON of the expected shape.</summary>
    public const string InvalidRequest = "invalidRequest";

    /// <summary>The task UUID is already in use.</summary>
    public const string ConflictTaskUuid = "conflictTaskUUID";

    /// <summary>The queue is full; the error carries <c>retryAfter</c>.</summary>
    public const string QueueFull = "queueFull";

    /// <summary>Missing or wrong API key.</summary>
    public const string InvalidApiKey = "invalidApiKey";

    /// <summary>A bug inside the engine; the message names a log id.</summary>
    public const string InternalError = "internalError";

    /// <summary><c>getResponse</c>/<c>cancel</c> names a task the engine does not know.</summary>
    public const string TaskNotFound = "taskNotFound";

    /// <summary>The task's results were deleted after their time to live.</summary>
    public const string TaskExpired = "taskExpired";

    /// <summary>A media UUID (input audio, <c>mediaStorage</c> delete) the engine does not hold.</summary>
    public const string MediaNotFound = "mediaNotFound";

    /// <summary>The model's weights are not installed; the message says how to install them.</summary>
    public const string ModelNotFound = "modelNotFound";

    /// <summary>The model failed while generating one result.</summary>
    public const string InferenceError = "inferenceError";

    /// <summary>The upload to <c>uploadEndpoint</c> failed for good; the result stays available.</summary>
    public const string UploadFailed = "uploadFailed";

    /// <summary>The task was stopped by a <c>cancel</c> task.</summary>
    public const string Cancelled = "cancelled";

    /// <summary>Engine extension: the engine's media storage quota is full; nothing was stored.</summary>
    public const string StorageFull = "storageFull";

    /// <summary><c>missing&lt;Param&gt;</c> for a required field.</summary>
    public static string Missing(string parameter) => "missing" + Capitalize(parameter);

    /// <summary><c>invalid&lt;Param&gt;</c> for a wrong type, range, step or format.</summary>
    public static string Invalid(string parameter) => "invalid" + Capitalize(parameter);

    /// <summary><c>unsupported&lt;Param&gt;</c> for a value this model or format does not take.</summary>
    public static string Unsupported(string parameter) => "unsupported" + Capitalize(parameter);

    /// <summary>The parameter name a code is built from: the last segment of a dotted path, first letter upper-cased.</summary>
    public static string ParameterName(string parameter) => Capitalize(parameter);

    private static string Capitalize(string parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        // "settings.keyScale" names its last segment in the code: invalidKeyScale.
        var name = parameter[(parameter.LastIndexOf('.') + 1)..];
        return name.Length == 0 ? name : char.ToUpperInvariant(name[0]) + name[1..];
    }
}
