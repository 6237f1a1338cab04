using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using AceStep.Audio;
using AceStep.Contracts;
using AceStep.Contracts.Tasks;
using AceStep.Contracts.Validation;
using AceStep.Engine.Generation;
using AceStep.Engine.Host.Delivery;
using AceStep.Engine.Host.Inputs;
using AceStep.Engine.Host.Queue;
using AceStep.Engine.Host.Storage;
using AceStep.Engine.Media;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace AceStep.Engine.Host.Tasks;

/// <summary>
/// <c>audioInference</c>: validates the task, resolves its input audio, queues it, and answers at once (async) or
/// when its results are ready (sync, up to the configured wait).
/// </summary>
public sealed class AudioInferenceHandler : ITaskHandler
{
    private readonly IAudioGenerator _generator;
    private readonly InputAudioResolver _inputs;
    private readonly ResultEncoder _results;
    private readonly TaskQueue _queue;
    private readonly TaskRegistry _registry;
    private readonly JobJournal _journal;
    private readonly ResultNotifier _notifier;
    private readonly QueueOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<AudioInferenceHandler> _logger;

    /// <summary>Creates the handler.</summary>
    public AudioInferenceHandler(IAudioGenerator generator, InputAudioResolver inputs, ResultEncoder results, TaskQueue queue,
        TaskRegistry registry, JobJournal journal, ResultNotifier notifier, QueueOptions options, TimeProvider clock,
        ILogger<AudioInferenceHandler> logger)
    {
        _notifier = notifier;
        _registry = registry;
        _journal = journal;
        _generator = generator;
        _inputs = inputs;
        _results = results;
        _queue = queue;
        _options = options;
        _clock = clock;
        _logger = logger;
    }

    /// <inheritdoc />
    public string TaskType => TaskTypes.AudioInference;

    /// <inheritdoc />
    public async ValueTask<TaskOutcome> HandleAsync(JsonObject task, TaskContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var validation = AudioInferenceValidator.Validate(task, context.Transport);
        if (!validation.IsValid)
        {
            return new TaskOutcome([], validation.Errors);
        }
        var request = validation.Value!;
        if (_generator.WhyUnavailable(request.Model) is { } why)
        {
            return Error(request, ErrorCodes.ModelNotFound, why, "model");
        }
        var (source, original) = request.InputAudio is null
            ? (null, null)
            : await _inputs.ResolveTimedAsync(request, context, cancellationToken);
        if (source is not null && ExtensionError(request, source.Duration) is { } tooLong)
        {
            return new TaskOutcome([], [tooLong]);
        }
        if (_registry.Find(request.TaskUuid) is not null)
        {
            return Conflict(request);
        }

        // Journal first: a task is durable before a worker can start it, so its results always have a row to join.
        var seeds = Seeds(request);
        // The input is staged under a temporary name and moved into place only once the journal row is ours, so a
        // duplicate taskUUID can never overwrite the kept input of the task that owns it.
        string? inputPath = null;
        string? staged = null;
        if (source is not null)
        {
            inputPath = _journal.InputPath(request.TaskUuid);
            staged = $"{inputPath}.{Guid.NewGuid():N}.part";
            WavFile.Write(staged, source, WavSampleFormat.IeeeFloat);
        }
        try
        {
            _journal.Accepted(request, seeds[0], context.Transport, inputPath);
            if (staged is not null)
            {
                File.Move(staged, inputPath!, overwrite: true);
            }
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 19)   // SQLITE_CONSTRAINT: the UUID is already stored
        {
            return Conflict(request);
        }
        finally
        {
            if (staged is not null)
            {
                File.Delete(staged);
            }
        }

        var record = CreateRecord(request, seeds, source, context, original);
        var (outcome, retryAfter) = _queue.TryEnqueue(record);
        if (outcome != EnqueueOutcome.Accepted)
        {
            record.Dispose();
            _journal.Forget(request.TaskUuid);
            return outcome == EnqueueOutcome.Conflict ? Conflict(request) : new TaskOutcome([], [new TaskError
            {
                Code = ErrorCodes.QueueFull,
                Message = $"The engine's queue is full; try again in {retryAfter} s.",
                TaskType = TaskType,
                TaskUuid = request.TaskUuid.ToString(),
                RetryAfter = retryAfter,
            }]);
        }

        if (request.DeliveryMethod == DeliveryMethod.Async)
        {
            return TaskOutcome.Of(new JsonObject { ["taskType"] = TaskType, ["taskUUID"] = request.TaskUuid.ToString() });
        }
        // Sync: wait for the results and for their uploads to uploadEndpoint (so the reply carries uploadFailed when
        // an upload fails), but never past the limit; what is unfinished then stays pollable.
        try
        {
            var started = _clock.GetTimestamp();
            await record.Finished.WaitAsync(_options.SyncWaitLimit, _clock, cancellationToken);
            var left = _options.SyncWaitLimit - _clock.GetElapsedTime(started);
            if (left > TimeSpan.Zero)
            {
                await record.UploadsSettled.WaitAsync(left, _clock, cancellationToken);
            }
        }
        catch (TimeoutException)
        {
            // Answer with what is finished; the rest carries status "processing".
        }
        return ReplyItems.From(record, withStatus: false);
    }

    /// <summary>
    /// A record that runs <paramref name="request"/> when the queue takes it, journaling its progress and each
    /// finished item. Used for new tasks and for tasks recovered after a restart.
    /// </summary>
    internal TaskRecord CreateRecord(AudioInferenceRequest request, IReadOnlyList<uint> seeds, AudioBuffer? source, TaskContext context,
        SourceTiming? original = null)
    {
        var job = new GenerationJob(request, seeds, source, original);
        var record = new TaskRecord(request.TaskUuid, TaskType, context.ClientId, request.NumberResults,
            (r, ct) => RunAsync(r, job, context, ct), _clock);
        if (context.Channel is { } channel)
        {
            record.ProgressChanged += (r, progress, stage) => channel.ReportProgress(r.TaskUuid, progress, stage);
        }
        record.ProgressChanged += (r, progress, _) => _journal.Progress(r.TaskUuid, progress);
        record.ItemFinished += (_, slot) =>
        {
            if (slot.Error is { } error)
            {
                _notifier.Failed(request, error);
            }
        };
        record.ItemFinished += (r, slot) => _journal.ItemFinished(r.TaskUuid, slot.Index,
            slot.Result is { } item ? item.ToJsonString() : JsonSerializer.Serialize(slot.Error!, ContractsJson.Default.TaskError),
            isError: slot.Result is null, taskFinished: r.Items.All(i => i.Status != ItemStatus.Processing));
        return record;
    }

    private TaskOutcome Conflict(AudioInferenceRequest request) => Error(request, ErrorCodes.ConflictTaskUuid,
        $"The taskUUID {request.TaskUuid} is already in use by a task this engine knows; send a new UUID v4.", "taskUUID");

    private async Task RunAsync(TaskRecord record, GenerationJob job, TaskContext context, CancellationToken cancellationToken)
    {
        var progress = new SynchronousProgress(p => record.ReportProgress(p.Fraction * 100, p.Stage));
        IReadOnlyList<GeneratedAudio> results;
        try
        {
            results = await _generator.GenerateAsync(job, progress, cancellationToken);
        }
        catch (BaseModelOnlyTaskException ex)
        {
            // A stem job on a turbo checkpoint: the request's fault, answered as the validator answers it.
            record.FailRemaining(_ => new TaskError
            {
                Code = ErrorCodes.Unsupported("settings.task"),
                Message = ex.Message,
                Parameter = "settings.task",
                TaskType = TaskType,
                TaskUuid = record.TaskUuid.ToString(),
            });
            return;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogError(ex, "Generation of {TaskUuid} failed", record.TaskUuid);
            record.FailRemaining(_ => new TaskError
            {
                Code = ErrorCodes.InferenceError,
                Message = "The model failed to generate this result: " + ex.Message,
                TaskType = TaskType,
                TaskUuid = record.TaskUuid.ToString(),
            });
            return;
        }
        for (var i = 0; i < Math.Min(results.Count, record.Items.Count); i++)
        {
            if (record.Items[i].Status != ItemStatus.Processing)
            {
                // Finished before a restart: already delivered and journaled.
                continue;
            }
            try
            {
                var encoded = await _results.EncodeAsync(job, results[i], context, cancellationToken);
                // Deliveries start before the item counts as done, so whoever sees it done also sees them under way.
                _notifier.Succeeded(job.Request, record, encoded);
                record.Succeed(i, encoded.Item);
            }
            catch (Exception ex) when (ex is MediaCodecException or FfmpegNotFoundException or IOException or MediaQuotaExceededException)
            {
                _logger.LogError(ex, "Encoding result {Index} of {TaskUuid} failed", i, record.TaskUuid);
                record.Fail(i, new TaskError
                {
                    Code = ex is MediaQuotaExceededException ? ErrorCodes.StorageFull : ErrorCodes.InferenceError,
                    Message = "The result could not be encoded: " + ex.Message,
                    TaskType = TaskType,
                    TaskUuid = record.TaskUuid.ToString(),
                });
            }
        }
    }

    /// <summary>
    /// A repaint may extend the source (negative start, end past the source), but the whole result must stay
    /// within the model's 600 s; only the engine knows the source's length, so this rule is checked here.
    /// </summary>
    internal static TaskError? ExtensionError(AudioInferenceRequest request, double sourceSeconds)
    {
        var (before, after) = request.RepaintExtension(sourceSeconds);
        var total = sourceSeconds + before + after;
        if (total <= InputAudioResolver.MaxSeconds + 1e-6)
        {
            return null;
        }
        var parameter = after > 0 ? "settings.repaintingEnd" : "settings.repaintingStart";
        return new TaskError
        {
            Code = ErrorCodes.Invalid(parameter),
            Message = $"The source is {sourceSeconds:0.0} s; extending it by {before:0.0} s before and {after:0.0} s after " +
                      $"makes {total:0.0} s, more than the model's {InputAudioResolver.MaxSeconds:0} s.",
            Parameter = parameter,
            TaskType = TaskTypes.AudioInference,
            TaskUuid = request.TaskUuid.ToString(),
        };
    }

    /// <summary>Result i uses seed + i (mod 2^32); without a seed, a random one in the unsigned 32-bit range.</summary>
    internal static IReadOnlyList<uint> Seeds(AudioInferenceRequest request)
    {
        var first = request.Seed is { } seed ? (uint)seed : BitConverter.ToUInt32(RandomNumberGenerator.GetBytes(sizeof(uint)));
        return Enumerable.Range(0, request.NumberResults).Select(i => unchecked(first + (uint)i)).ToArray();
    }

    private TaskOutcome Error(AudioInferenceRequest request, string code, string message, string parameter) =>
        new([], [new TaskError { Code = code, Message = message, Parameter = parameter, TaskType = TaskType, TaskUuid = request.TaskUuid.ToString() }]);

    /// <summary>Reports on the generator's thread, in order (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class SynchronousProgress(Action<GenerationProgress> report) : IProgress<GenerationProgress>
    {
        public void Report(GenerationProgress value) => report(value);
    }
}
