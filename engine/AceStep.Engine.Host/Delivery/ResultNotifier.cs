using System.Collections.Concurrent;
using System.Text.Json;
using AceStep.Contracts;
using AceStep.Contracts.Tasks;
using AceStep.Engine.Host.Delivery.Outbound;
using AceStep.Engine.Host.Queue;
using Microsoft.Extensions.Logging;

namespace AceStep.Engine.Host.Delivery;

/// <summary>
/// The outbound side of a finished item: <c>uploadEndpoint</c> (PUT of the file) and <c>webhookURL</c> (POST of
/// the item). Runs in the background with its own retries, so a slow or dead endpoint never holds up the queue.
/// A final upload failure adds an <c>uploadFailed</c> error to the task; the result stays available.
/// </summary>
public sealed class ResultNotifier : IAsyncDisposable
{
    private readonly WebhookSender _webhooks;
    private readonly UploadSender _uploads;
    private readonly ILogger<ResultNotifier> _logger;
    private readonly ConcurrentDictionary<Task, byte> _inFlight = new();
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Creates the notifier.</summary>
    public ResultNotifier(WebhookSender webhooks, UploadSender uploads, ILogger<ResultNotifier> logger)
    {
        _webhooks = webhooks;
        _uploads = uploads;
        _logger = logger;
    }

    /// <summary>Deliveries still running (tests wait for them).</summary>
    public Task Idle => Task.WhenAll(_inFlight.Keys);

    /// <summary>
    /// Starts the deliveries of a successful item. The upload's outcome is noted on <paramref name="record"/>
    /// (<see cref="TaskRecord.TrackUpload"/>), so a sync reply can wait for it.
    /// </summary>
    public void Succeeded(AudioInferenceRequest request, TaskRecord record, EncodedResult result)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(result);
        if (request.UploadEndpoint is null && request.WebhookUrl is null)
        {
            return;
        }
        var uploaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (request.UploadEndpoint is not null)
        {
            record.TrackUpload(uploaded.Task);
        }
        Track(SucceededAsync(request, record, result, uploaded));
    }

    /// <summary>Starts the webhook of a failed item.</summary>
    public void Failed(AudioInferenceRequest request, TaskError error)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.WebhookUrl is { } url)
        {
            Track(PostAsync(url, WebhookSender.ErrorPayload(ContractsJson.ToJsonObject(error, ContractsJson.Default.TaskError))));
        }
    }

    private async Task SucceededAsync(AudioInferenceRequest request, TaskRecord record, EncodedResult result, TaskCompletionSource uploaded)
    {
        try
        {
            await DeliverAsync(request, record, result, uploaded);
        }
        finally
        {
            uploaded.TrySetResult();   // a sync reply never waits on a delivery that ended some other way (shutdown)
        }
    }

    private async Task DeliverAsync(AudioInferenceRequest request, TaskRecord record, EncodedResult result, TaskCompletionSource uploaded)
    {
        TaskError? uploadFailed = null;
        if (request.UploadEndpoint is { } endpoint)
        {
            var upload = await _uploads.PutAsync(endpoint, result.Bytes, result.ContentType, _stopping.Token);
            if (!upload.Delivered)
            {
                uploadFailed = new TaskError
                {
                    Code = ErrorCodes.UploadFailed,
                    Message = $"The result {(string?)result.Item["audioUUID"]} could not be uploaded to {endpoint.Host} after " +
                              $"{upload.Attempts} attempt(s): {upload.LastError}. It is still available as the outputType asked.",
                    Parameter = "uploadEndpoint",
                    TaskType = TaskTypes.AudioInference,
                    TaskUuid = request.TaskUuid.ToString(),
                };
                record.AddError(uploadFailed);
            }
            uploaded.TrySetResult();
        }
        if (request.WebhookUrl is { } url)
        {
            await PostAsync(url, WebhookSender.DataPayload(result.Item));
            if (uploadFailed is not null)
            {
                await PostAsync(url, WebhookSender.ErrorPayload(ContractsJson.ToJsonObject(uploadFailed, ContractsJson.Default.TaskError)));
            }
        }
    }

    private async Task PostAsync(Uri url, System.Text.Json.Nodes.JsonObject payload)
    {
        var result = await _webhooks.SendAsync(url, payload, _stopping.Token);
        if (!result.Delivered)
        {
            _logger.LogWarning("Webhook to {Host} not delivered after {Attempts} attempt(s): {Reason}", url.Host, result.Attempts, result.LastError);
        }
    }

    private void Track(Task delivery)
    {
        _inFlight[delivery] = 0;
        delivery.ContinueWith(t =>
        {
            _inFlight.TryRemove(t, out _);
            if (t.Exception is { } ex && ex.InnerException is not OperationCanceledException)
            {
                _logger.LogError(ex.InnerException, "An outbound delivery failed unexpectedly");
            }
        }, TaskScheduler.Default);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        try
        {
            await Idle.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            // Deliveries still retrying are abandoned at shutdown; they are not part of the durable state.
        }
        _stopping.Dispose();
    }
}
