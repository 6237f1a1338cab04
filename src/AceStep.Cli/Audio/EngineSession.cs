using AceStep.Contracts;
using AceStep.Engine.Host;
using AceStep.Pipes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AceStep.Cli.Audio;

/// <summary>
/// A pipe connection to an engine for one command: the running engine when one answers, else (unless the user said
/// <c>--no-start</c>) an engine started inside this process on a private pipe, stopped when the command ends.
/// </summary>
public sealed class EngineSession : IAsyncDisposable
{
    // How long to look for a running engine before starting one: a listening engine accepts at once, so waiting
    // the whole --timeout would only delay every run on a machine without a background engine.
    private static readonly TimeSpan Probe = TimeSpan.FromSeconds(1);

    private readonly EngineHost? _host;

    private EngineSession(EnginePipeClient client, EngineHost? host, string pipeName)
    {
        Client = client;
        _host = host;
        PipeName = pipeName;
    }

    /// <summary>The connection.</summary>
    public EnginePipeClient Client { get; }

    /// <summary>The pipe the connection uses.</summary>
    public string PipeName { get; }

    /// <summary>True when this command runs the engine itself.</summary>
    public bool InProcess => _host is not null;

    /// <summary>
    /// Connects to the engine on <paramref name="pipeName"/> (null: the per-user default). When none answers,
    /// throws <see cref="EngineUnavailableException"/> if <paramref name="mayStart"/> is false, else starts one in
    /// this process with the user's data directory (<c>ACESTEP_HOME</c>) and says so on <paramref name="notices"/>.
    /// An engine that cannot start throws <see cref="EngineStartupException"/>.
    /// </summary>
    public static async Task<EngineSession> OpenAsync(string? pipeName, TimeSpan timeout, bool mayStart, TextWriter notices,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notices);
        var name = pipeName ?? EngineEndpoints.PipeName();
        try
        {
            var client = await EnginePipeClient.ConnectAsync(name, mayStart && timeout > Probe ? Probe : timeout, cancellationToken);
            return new EngineSession(client, null, name);
        }
        catch (EngineUnavailableException) when (mayStart)
        {
            // Nobody listens: run the engine here for this one command.
        }
        var options = EngineOptions.FromEnvironment([]) with
        {
            PipeName = $"acestep-cli-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}",
            HttpUrl = "http://127.0.0.1:0",
        };
        await notices.WriteLineAsync(
            $"No engine answered on pipe '{name}'; running one inside this command (data: {options.DataDirectory}). " +
            "Start 'acestep serve' in another terminal to keep the model loaded between commands.");
        var host = await EngineHost.StartAsync(options, QuietLogging, services => services.AddSingleton<IHostLifetime, CommandLifetime>(),
            cancellationToken);
        try
        {
            var client = await EnginePipeClient.ConnectAsync(options.PipeName, timeout, cancellationToken);
            return new EngineSession(client, host, options.PipeName);
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>Warnings and errors of an engine run inside a command, on standard error: stdout may be <c>--json</c>.</summary>
    private static void QuietLogging(ILoggingBuilder logging)
    {
        logging.AddSimpleConsole(console => console.SingleLine = true);
        logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        logging.SetMinimumLevel(LogLevel.Warning);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}

/// <summary>
/// The host lifetime of an engine run by the CLI: it ignores Ctrl+C and SIGTERM, because the command owns them
/// (it cancels its task first, then stops the engine) and the engine's own handler would race it.
/// </summary>
internal sealed class CommandLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
