using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using AceStep.Contracts;
using AceStep.Pipes;

namespace AceStep.Cli;

/// <summary>Which way the CLI reaches the engine.</summary>
public enum Transport
{
    /// <summary>The per-user named pipe (default).</summary>
    Pipe,

    /// <summary>The loopback HTTP API.</summary>
    Http,
}

/// <summary>Sends one task array to the engine over the chosen transport and returns its reply.</summary>
public sealed class EngineConnection
{
    private readonly Transport _transport;
    private readonly string _address;
    private readonly TimeSpan _timeout;

    /// <summary>Creates a connection description; nothing is opened until <see cref="SendAsync"/>.</summary>
    public EngineConnection(Transport transport, string? address, TimeSpan timeout)
    {
        _transport = transport;
        _address = address ?? (transport == Transport.Pipe ? EngineEndpoints.PipeName() : EngineEndpoints.HttpUrl());
        _timeout = timeout;
    }

    /// <summary>The pipe name or HTTP base address used.</summary>
    public string Address => _address;

    /// <summary>The transport used.</summary>
    public Transport Transport => _transport;

    /// <summary>How long to wait for the engine.</summary>
    public TimeSpan Timeout => _timeout;

    /// <summary>
    /// Sends the tasks. Throws <see cref="EngineUnavailableException"/> when nothing answers and
    /// <see cref="PipeProtocolException"/> when the answer is not the engine's protocol.
    /// </summary>
    public async Task<TaskReply> SendAsync(JsonArray tasks, CancellationToken cancellationToken)
    {
        if (_transport == Transport.Pipe)
        {
            await using var client = await EnginePipeClient.ConnectAsync(_address, _timeout, cancellationToken);
            return await client.SendAsync(tasks, cancellationToken);
        }
        return await SendHttpAsync(tasks, cancellationToken);
    }

    private async Task<TaskReply> SendHttpAsync(JsonArray tasks, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = _timeout };
        var endpoint = new Uri(new Uri(_address.EndsWith('/') ? _address : _address + "/"), "v1");
        using var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(tasks, ContractsJson.Default.JsonArray));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsync(endpoint, content, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new EngineUnavailableException(
                $"No AceStep engine answered at {endpoint}. Start it with scripts/engine.sh (or 'acestep-engine').", ex);
        }
        using (response)
        {
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            try
            {
                return ContractsJson.ReadReply(body);
            }
            catch (JsonException ex)
            {
                throw new PipeProtocolException(PipeProtocolException.MalformedMessage,
                    $"{endpoint} answered HTTP {(int)response.StatusCode} with something that is not a task reply: {ex.Message}");
            }
        }
    }
}
