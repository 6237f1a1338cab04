using System.Diagnostics;
using System.Text.Json.Nodes;
using AceStep.Contracts;
using AceStep.Pipes;

namespace AceStep.Plugin.EngineLink;

/// <summary>Where the engine is and how to start it.</summary>
public sealed record EngineLinkOptions
{
    /// <summary>The engine's pipe name (null: the per-user default).</summary>
    public string? PipeName { get; init; }

    /// <summary>How long one connection attempt waits.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long to wait for an engine this link started to answer.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Starts an engine when none answers; null means never start one. <see cref="StartProcess"/> runs the
    /// <c>acestep-engine</c> executable.</summary>
    public Action? StartEngine { get; init; }

    /// <summary>A starter that runs <paramref name="executable"/> (e.g. the path in ACESTEP_ENGINE, or
    /// <c>acestep-engine</c> on PATH) detached from the DAW, so it outlives the plugin and serves every instance.</summary>
    public static Action StartProcess(string executable, params string[] arguments) => () =>
    {
        var info = new ProcessStartInfo(executable) { UseShellExecute = false, RedirectStandardOutput = false, CreateNoWindow = true };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        using var _ = Process.Start(info);
    };
}

/// <summary>
/// Holds the plugin's connection to the engine: connects on demand, starts the engine if none answers (once per
/// attempt), and drops a connection that failed so the next use reconnects — e.g. after the engine was restarted.
/// Used from the worker only.
/// </summary>
public sealed class EngineConnector : IAsyncDisposable
{
    private readonly EngineLinkOptions _options;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private EnginePipeClient? _client;

    /// <summary>Creates the connector; nothing connects until <see cref="GetAsync"/>.</summary>
    public EngineConnector(EngineLinkOptions options) => _options = options ?? throw new ArgumentNullException(nameof(options));

    /// <summary>A connected client.</summary>
    /// <exception cref="EngineUnavailableException">No engine answers and none could be started in time.</exception>
    public async Task<EnginePipeClient> GetAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_client is { } existing && await IsAliveAsync(existing, cancellationToken).ConfigureAwait(false))
                return existing;
            await DropAsync().ConfigureAwait(false);
            _client = await ConnectOrStartAsync(cancellationToken).ConfigureAwait(false);
            return _client;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Forgets a connection that failed mid-request; the next <see cref="GetAsync"/> reconnects.</summary>
    public async Task InvalidateAsync(EnginePipeClient client)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (ReferenceEquals(client, _client))
                await DropAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await DropAsync().ConfigureAwait(false);
        _gate.Dispose();
    }

    private async Task<EnginePipeClient> ConnectOrStartAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await EnginePipeClient.ConnectAsync(_options.PipeName, _options.ConnectTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (EngineUnavailableException) when (_options.StartEngine is not null)
        {
            _options.StartEngine();
        }

        var deadline = DateTime.UtcNow + _options.StartTimeout;
        while (true)
        {
            try
            {
                return await EnginePipeClient.ConnectAsync(_options.PipeName, _options.ConnectTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (EngineUnavailableException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(250, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task<bool> IsAliveAsync(EnginePipeClient client, CancellationToken cancellationToken)
    {
        try
        {
            return await client.PingAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException or EngineUnavailableException)
        {
            return false;
        }
    }

    private async Task DropAsync()
    {
        if (_client is { } client)
        {
            _client = null;
            try
            {
                await client.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                // The engine is already gone; nothing to close.
            }
        }
    }
}
