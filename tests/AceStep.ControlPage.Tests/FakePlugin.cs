using System.Text.Json.Nodes;
using AceStep.Contracts.Sessions;
using AceStep.Pipes;

namespace AceStep.ControlPage.Tests;

/// <summary>
/// Plays the plugin's part over the real pipe: opens a session, publishes views, hands over takes and polls the
/// commands the page sent, keeping every one it received so a test can wait for a particular command.
/// </summary>
internal sealed class FakePlugin : IAsyncDisposable
{
    private readonly EnginePipeClient _client;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<JsonObject> _received = [];
    private readonly object _gate = new();
    private TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _polling;

    private FakePlugin(EnginePipeClient client, Guid instanceId)
    {
        _client = client;
        InstanceId = instanceId;
    }

    public Guid InstanceId { get; }

    public Uri ControlUrl { get; private set; } = null!;

    public static async Task<FakePlugin> OpenAsync(string pipeName, string hostName, string title)
    {
        var client = await EnginePipeClient.ConnectAsync(pipeName, TimeSpan.FromSeconds(10));
        var plugin = new FakePlugin(client, Guid.NewGuid());
        var opened = await plugin.SendAsync(Task("open", plugin.InstanceId, t =>
        {
            t["hostName"] = hostName;
            t["title"] = title;
        }));
        plugin.ControlUrl = new Uri((string)opened["controlUrl"]!);
        plugin._polling = plugin.PollLoopAsync();
        return plugin;
    }

    /// <summary>Publishes a view; answers its revision.</summary>
    public async Task<long> UpdateAsync(SessionView view)
    {
        var node = System.Text.Json.JsonSerializer.SerializeToNode(view, AceStep.Contracts.ContractsJson.Default.SessionView);
        var reply = await SendAsync(Task("update", InstanceId, t => t["view"] = node));
        return (long)reply["revision"]!;
    }

    /// <summary>Hands over a take's audio as PCM_F32; answers its URL.</summary>
    public async Task<Uri> PutTakeAsync(string takeId, float[] interleaved, int sampleRate, int channels)
    {
        var id = _client.NextAttachmentId();
        var reply = await SendAsync(Task("putTake", InstanceId, t =>
            {
                t["takeId"] = takeId;
                t["audio"] = $"attachment:{id}";
            }),
            new OutgoingAttachment(new AttachmentInfo(id, AttachmentInfo.PcmF32, sampleRate, channels), Attachments.FromSamples(interleaved)));
        return new Uri((string)reply["audioUrl"]!);
    }

    /// <summary>The first command received (since the test started) that matches, waiting for it to arrive.</summary>
    public async Task<JsonObject> WaitForCommandAsync(Func<JsonObject, bool> match, string what)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            Task arrived;
            lock (_gate)
            {
                if (_received.FirstOrDefault(match) is { } found)
                {
                    _received.Remove(found);
                    return found;
                }
                arrived = _arrived.Task;
            }
            try
            {
                await arrived.WaitAsync(guard.Token);
            }
            catch (OperationCanceledException)
            {
                string seen;
                lock (_gate)
                {
                    seen = string.Join(", ", _received.Select(c => c.ToJsonString()));
                }
                throw new TimeoutException($"The plugin never received {what}. It received: {(seen.Length > 0 ? seen : "nothing")}.");
            }
        }
    }

    public Task<JsonObject> WaitForCommandAsync(string command, string what) =>
        WaitForCommandAsync(c => (string?)c["command"] == command, what);

    private async Task PollLoopAsync()
    {
        long after = 0;
        while (!_stop.IsCancellationRequested)
        {
            JsonObject reply;
            try
            {
                reply = await SendAsync(Task("poll", InstanceId, t =>
                {
                    t["afterSequence"] = after;
                    t["waitSeconds"] = 10;
                }), _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            foreach (var command in reply["commands"]!.AsArray().OfType<JsonObject>())
            {
                after = Math.Max(after, (long)command["sequence"]!);
                TaskCompletionSource arrived;
                lock (_gate)
                {
                    _received.Add((JsonObject)command.DeepClone());
                    arrived = _arrived;
                    _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
                }
                arrived.TrySetResult();
            }
        }
    }

    private static JsonObject Task(string operation, Guid instance, Action<JsonObject>? more = null)
    {
        var task = new JsonObject { ["taskType"] = "pluginSession", ["operation"] = operation, ["instanceId"] = instance.ToString() };
        more?.Invoke(task);
        return task;
    }

    private Task<JsonObject> SendAsync(JsonObject task, params OutgoingAttachment[] attachments) =>
        SendAsync(task, CancellationToken.None, attachments);

    private async Task<JsonObject> SendAsync(JsonObject task, CancellationToken cancellationToken, params OutgoingAttachment[] attachments)
    {
        using var reply = await _client.SendAsync(new PipeRequest([task], attachments.Length > 0 ? attachments : null), cancellationToken);
        if (reply.Reply.Errors is { Count: > 0 } errors)
        {
            throw new InvalidOperationException($"The engine refused {task["operation"]}: {errors[0].Message}");
        }
        return reply.Reply.Data![0];
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_polling is not null)
        {
            await _polling;
        }
        try
        {
            await SendAsync(Task("close", InstanceId));
        }
        catch (Exception ex) when (ex is EngineUnavailableException or ObjectDisposedException or InvalidOperationException)
        {
            // The engine may already be stopping.
        }
        await _client.DisposeAsync();
        _stop.Dispose();
    }
}
