using System.IO.Pipes;
using AceStep.Pipes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AceStep.Engine.Host.Pipes;

/// <summary>
/// Accepts connections on the engine's named pipe (current OS user only) and serves each on its own task, so
/// one broken or slow client never holds up the others.
/// </summary>
public sealed class PipeServer : BackgroundService
{
    private readonly EngineOptions _options;
    private readonly PipeConnectionHandler _handler;
    private readonly ILogger<PipeServer> _logger;
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Creates the server.</summary>
    public PipeServer(EngineOptions options, PipeConnectionHandler handler, ILogger<PipeServer> logger)
    {
        _options = options;
        _handler = handler;
        _logger = logger;
    }

    private NamedPipeServerStream CreateInstance() => new(_options.PipeName, PipeDirection.InOut,
        NamedPipeServerStream.MaxAllowedServerInstances, PipeTransmissionMode.Byte,
        PipeOptions.Asynchronous | PipeOptions.CurrentUserOnly);

    /// <summary>Completes once the first listening instance exists, so clients can connect.</summary>
    public Task Listening => _listening.Task;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var connections = new List<Task>();
        var clientNumber = 0;
        NamedPipeServerStream? listening = null;
        try
        {
            listening = CreateInstance();
            _listening.TrySetResult();
            while (!stoppingToken.IsCancellationRequested)
            {
                await listening.WaitForConnectionAsync(stoppingToken);
                // On Unix all instances share one socket that closes when the last instance is disposed, resetting
                // clients still in its backlog. Open the next instance before serving (and maybe disposing) this one.
                var connected = listening;
                listening = CreateInstance();
                var clientId = "pipe-" + Interlocked.Increment(ref clientNumber);
                connections.Add(_handler.ServeAsync(connected, clientId, stoppingToken));
                connections.RemoveAll(t => t.IsCompleted);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: fall through and wait for the open connections to notice.
        }
        catch (Exception ex)
        {
            _listening.TrySetException(ex);
            _logger.LogCritical(ex, "The pipe server on {PipeName} stopped", _options.PipeName);
            throw;
        }
        finally
        {
            if (listening is not null)
            {
                await listening.DisposeAsync();
            }
        }
        await Task.WhenAll(connections);
    }
}
