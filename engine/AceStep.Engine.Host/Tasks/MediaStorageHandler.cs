using System.Text.Json.Nodes;
using AceStep.Audio;
using AceStep.Contracts;
using AceStep.Contracts.Tasks;
using AceStep.Contracts.Validation;
using AceStep.Engine.Host.Delivery;
using AceStep.Engine.Host.Inputs;
using AceStep.Pipes;

namespace AceStep.Engine.Host.Tasks;

/// <summary>
/// <c>mediaStorage</c>: <c>upload</c> stores an input audio once (a data URI, base64, an http(s) URL or a pipe
/// attachment), decoded and checked, kept as 48 kHz stereo 24-bit
/// FLAC, and answers its <c>mediaUUID</c> and URL, so later tasks reference it from <c>inputs.audio</c> instead of
/// sending it again; <c>delete</c> removes it.
/// </summary>
public sealed class MediaStorageHandler : ITaskHandler
{
    /// <summary>How long an uploaded input is kept.</summary>
    public static readonly TimeSpan UploadLifetime = TimeSpan.FromDays(7);

    private readonly InputAudioResolver _inputs;
    private readonly AudioFileEncoder _encoder;
    private readonly MediaFiles _files;
    private readonly EngineAddress _address;

    /// <summary>Creates the handler.</summary>
    public MediaStorageHandler(InputAudioResolver inputs, AudioFileEncoder encoder, MediaFiles files, EngineAddress address)
    {
        _inputs = inputs;
        _encoder = encoder;
        _files = files;
        _address = address;
    }

    /// <inheritdoc />
    public string TaskType => TaskTypes.MediaStorage;

    /// <inheritdoc />
    public async ValueTask<TaskOutcome> HandleAsync(JsonObject task, TaskContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var validation = MediaStorageValidator.Validate(task, context.Transport);
        if (!validation.IsValid)
        {
            return new TaskOutcome([], validation.Errors);
        }
        var request = validation.Value!;
        if (request.Operation == MediaOperation.Delete)
        {
            return _files.Delete(request.MediaUuid!.Value)
                ? TaskOutcome.Of(Reply(request, request.MediaUuid.Value, null))
                : new TaskOutcome([], [Error(request, ErrorCodes.MediaNotFound, $"No stored media has the UUID {request.MediaUuid}; it may have expired or been deleted already.")]);
        }

        var audio = request.MediaKind == AudioInputKind.Url
            ? await _inputs.FromUrlAsync(new Uri(request.Media), "media", cancellationToken)
            : await _inputs.DecodeAsync(await ReadAsync(request, context), "media", cancellationToken);
        var flac = await _encoder.EncodeAsync(audio, OutputFormat.Flac, null, cancellationToken);
        var uuid = Guid.NewGuid();
        string name;
        try
        {
            name = await _files.SaveAsync(uuid, "flac", flac, UploadLifetime, cancellationToken);
        }
        catch (MediaQuotaExceededException ex)
        {
            return new TaskOutcome([], [Error(request, ErrorCodes.StorageFull, ex.Message)]);
        }
        return TaskOutcome.Of(Reply(request, uuid, new Uri(_address.HttpBase, "v1/media/" + name)));
    }

    private static Task<ReadOnlyMemory<byte>> ReadAsync(MediaStorageRequest request, TaskContext context)
    {
        switch (request.MediaKind)
        {
            case AudioInputKind.DataUri:
                return Task.FromResult<ReadOnlyMemory<byte>>(InputAudioResolver.DataUriBytes(request.Media));
            case AudioInputKind.Base64:
                // Validation checked the alphabet and padding.
                return Task.FromResult<ReadOnlyMemory<byte>>(Convert.FromBase64String(request.Media));
            case AudioInputKind.Attachment:
                using (var attachment = context.Channel?.TakeAttachment((uint)request.MediaAttachment!.Value)
                    ?? throw new TaskRejectedException([Error(request, ErrorCodes.MediaNotFound,
                        $"Attachment {request.MediaAttachment} was not sent on this connection before the request that uses it.")]))
                {
                    // PCM is wrapped as a float WAV so one decoding path serves every upload.
                    if (attachment.Format == AttachmentInfo.PcmF32 && attachment.SampleRate is { } rate && attachment.Channels is { } channels)
                    {
                        using var wav = new MemoryStream();
                        WavFile.Write(wav, new AudioBuffer(Attachments.ToSamples(attachment.Bytes.Span), rate, channels), WavSampleFormat.IeeeFloat);
                        return Task.FromResult<ReadOnlyMemory<byte>>(wav.ToArray());
                    }
                    return Task.FromResult<ReadOnlyMemory<byte>>(attachment.Bytes.ToArray());
                }
            default:
                throw new InvalidOperationException($"Media of kind {request.MediaKind} passed validation but has no reader.");
        }
    }

    private static JsonObject Reply(MediaStorageRequest request, Guid uuid, Uri? url) =>
        ContractsJson.ToJsonObject(new MediaStorageResult { TaskUuid = request.TaskUuid, MediaUuid = uuid, MediaUrl = url },
            ContractsJson.Default.MediaStorageResult);

    private static TaskError Error(MediaStorageRequest request, string code, string message) => new()
    {
        Code = code,
        Message = message,
        Parameter = "media",
        TaskType = TaskTypes.MediaStorage,
        TaskUuid = request.TaskUuid?.ToString(),
    };
}
