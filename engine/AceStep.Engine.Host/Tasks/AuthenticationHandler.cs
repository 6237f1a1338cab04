using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using AceStep.Contracts;
using AceStep.Contracts.Tasks;
using AceStep.Contracts.Validation;

namespace AceStep.Engine.Host.Tasks;

/// <summary>
/// <c>authentication</c>: checks an API key. Over HTTP a request is let in by a Bearer header or by an
/// authentication task carrying the key (checked by the HTTP layer before dispatch); this handler answers the
/// task itself. Without a configured key every key is accepted.
/// </summary>
public sealed class AuthenticationHandler : ITaskHandler
{
    private readonly EngineOptions _options;

    /// <summary>Creates the handler.</summary>
    public AuthenticationHandler(EngineOptions options) => _options = options;

    /// <inheritdoc />
    public string TaskType => TaskTypes.Authentication;

    /// <summary>True when no key is configured or <paramref name="key"/> is the configured one (constant time).</summary>
    public static bool Accepts(string? configured, string? key) =>
        configured is null
        || (key is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(configured), Encoding.UTF8.GetBytes(key)));

    /// <inheritdoc />
    public ValueTask<TaskOutcome> HandleAsync(JsonObject task, TaskContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var validation = AuthenticationValidator.Validate(task, context.Transport);
        if (!validation.IsValid)
        {
            return ValueTask.FromResult(new TaskOutcome([], validation.Errors));
        }
        var request = validation.Value!;
        if (!Accepts(_options.ApiKey, request.ApiKey))
        {
            return ValueTask.FromResult(new TaskOutcome([], [new TaskError
            {
                Code = ErrorCodes.InvalidApiKey,
                Message = "The API key is not the one this engine is configured with.",
                Parameter = "apiKey",
                TaskType = TaskType,
            }]));
        }
        var reply = new AuthenticationResult { TaskUuid = request.TaskUuid };
        return ValueTask.FromResult(TaskOutcome.Of(ContractsJson.ToJsonObject(reply, ContractsJson.Default.AuthenticationResult)));
    }
}
