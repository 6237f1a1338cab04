using System.Text.Json;
using System.Text.Json.Nodes;
using AceStep.Audio;
using AceStep.Contracts;
using AceStep.Contracts.Tasks;
using AceStep.Contracts.Validation;
using AceStep.Engine.Host.Queue;
using AceStep.Engine.Host.Tasks;
using Microsoft.Extensions.Logging;

namespace AceStep.Engine.Host.Storage;

/// <summary>
/// At start, brings back what the journal holds: finished tasks become pollable again, and tasks that were
/// queued or running when the engine stopped are queued again with their taskUUID, seeds and input audio.
/// </summary>
public sealed class JobRecovery
{
    private readonly JobJournal _journal;
    private readonly TaskRegistry _registry;
    private readonly TaskQueue _queue;
    private readonly AudioInferenceHandler _handler;
    private readonly QueueOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<JobRecovery> _logger;

    /// <summary>Creates the recovery step.</summary>
    public JobRecovery(JobJournal journal, TaskRegistry registry, TaskQueue queue, IEnumerable<ITaskHandler> handlers,
        QueueOptions options, TimeProvider clock, ILogger<JobRecovery> logger)
    {
        _journal = journal;
        _registry = registry;
        _queue = queue;
        _handler = handlers.OfType<AudioInferenceHandler>().Single();
        _options = options;
        _clock = clock;
        _logger = logger;
    }

    /// <summary>Restores every journaled task; returns (finished restored, interrupted queued again).</summary>
    public (int Restored, int Requeued) Recover()
    {
        var (restored, requeued) = (0, 0);
        foreach (var job in _journal.Load())
        {
            if (job.Finished && _clock.GetUtcNow() - job.UpdatedAt > _options.Retention)
            {
                _journal.Forget(job.TaskUuid);
                continue;
            }
            var validation = AudioInferenceValidator.Validate(JsonNode.Parse(job.RequestJson)!.AsObject(), TransportKind.Pipe);
            if (!validation.IsValid)
            {
                // Only a newer engine's journal could hold a request this build cannot read; leave it for that one.
                _logger.LogWarning("Task {TaskUuid} in the job store cannot be read by this engine: {Reason}", job.TaskUuid, validation.Errors[0].Message);
                continue;
            }
            var request = Deliverable(validation.Value!);
            var inputLost = job.InputPath is { } kept && !File.Exists(kept);
            var source = job.InputPath is { } path && !inputLost ? ReadInput(path) : null;
            var seeds = Enumerable.Range(0, job.ItemCount).Select(i => unchecked(job.FirstSeed + (uint)i)).ToArray();
            var record = _handler.CreateRecord(request, seeds, source, new TaskContext(job.Transport, "recovered"));
            foreach (var item in job.Items)
            {
                Restore(record, item);
            }
            if (inputLost && !job.Finished)
            {
                // Running it without its source would silently turn a repaint or cover into text-to-music.
                record.FailRemaining(_ => new TaskError
                {
                    Code = ErrorCodes.InferenceError,
                    Message = "The engine stopped before this task's input audio was stored; send the task again with a new taskUUID.",
                    TaskType = TaskTypes.AudioInference,
                    TaskUuid = job.TaskUuid.ToString(),
                });
            }
            if (job.Finished || record.Finished.IsCompleted)
            {
                _registry.TryAdd(record);
                restored++;
            }
            else
            {
                _queue.Requeue(record);
                requeued++;
            }
        }
        if (restored + requeued > 0)
        {
            _logger.LogInformation("Job store: {Restored} finished task(s) pollable again, {Requeued} interrupted task(s) queued again", restored, requeued);
        }
        return (restored, requeued);
    }

    /// <summary>
    /// The connection that asked for a pipe attachment is gone after a restart; its result is kept as a file
    /// instead (WAV for raw PCM) and reported with a URL, so getResponse can hand it over.
    /// </summary>
    private static AudioInferenceRequest Deliverable(AudioInferenceRequest request) =>
        request.OutputType != OutputType.Attachment
            ? request
            : request with
            {
                OutputType = OutputType.Url,
                OutputFormat = request.OutputFormat == OutputFormat.PcmF32 ? OutputFormat.Wav : request.OutputFormat,
                AudioSettings = request.OutputFormat == OutputFormat.PcmF32 ? null : request.AudioSettings,
            };

    private static AudioBuffer ReadInput(string path)
    {
        using var file = File.OpenRead(path);
        return WavFile.Read(file);
    }

    private static void Restore(TaskRecord record, JournaledItem item)
    {
        // Restored before anyone subscribes to the record's events beyond the journal, which already has them.
        if (item.IsError)
        {
            record.Restore(item.Index, error: JsonSerializer.Deserialize(item.Json, ContractsJson.Default.TaskError));
        }
        else
        {
            record.Restore(item.Index, result: JsonNode.Parse(item.Json)!.AsObject());
        }
    }
}
