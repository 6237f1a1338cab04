using System.Globalization;
using System.Text.Json.Nodes;
using AceStep.Contracts;
using AceStep.Contracts.Tasks;
using AceStep.Engine.Generation;
using AceStep.Engine.Host.Tasks;
using AceStep.Pipes;

namespace AceStep.Engine.Host.Delivery;

/// <summary>Builds one result item: encodes the audio and delivers it as the request's outputType asks.</summary>
public sealed class ResultEncoder
{
    /// <summary>Default price: USD per second of audio per denoising step (reproduces the seed examples' costs).</summary>
    public const decimal DefaultPricePerSecondStep = 6.4e-7m;

    private readonly AudioFileEncoder _encoder;
    private readonly MediaFiles _files;
    private readonly EngineAddress _address;
    private readonly decimal _price;

    /// <summary>Creates the encoder.</summary>
    public ResultEncoder(AudioFileEncoder encoder, MediaFiles files, EngineAddress address, EngineOptions options)
    {
        _price = options.PricePerSecondStep;
        _encoder = encoder;
        _files = files;
        _address = address;
    }

    /// <summary>Encodes and delivers one generated result; returns its reply item and the encoded file.</summary>
    public async Task<EncodedResult> EncodeAsync(GenerationJob job, GeneratedAudio generated, TaskContext context,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(generated);
        var request = job.Request;
        var rate = request.AudioSettings?.SampleRate ?? generated.Audio.SampleRate;
        // Raw PCM goes back to a host at its own rate: it must cover exactly the span it sent.
        long? frames = job.Original is { } original
            ? request.HasSpan
                ? original.OutputFrames(rate, request.Settings.RepaintingStart, request.Settings.RepaintingEnd)
                : original.OutputFrames(rate)
            : null;
        var bytes = await _encoder.EncodeAsync(generated.Audio, request.OutputFormat, request.AudioSettings, cancellationToken, frames);
        var audioUuid = Guid.NewGuid();
        var extension = AudioFileEncoder.Extension(request.OutputFormat);
        var result = new AudioInferenceResult
        {
            TaskUuid = request.TaskUuid,
            AudioUuid = audioUuid,
            Seed = generated.Seed,
            Cost = request.IncludeCost ? Cost(generated.Audio.Duration, request.Steps, _price) : null,
        };
        result = request.OutputType switch
        {
            OutputType.Url => result with
            {
                AudioUrl = new Uri(_address.HttpBase,
                    "v1/media/" + await _files.SaveAsync(audioUuid, extension, bytes, TimeSpan.FromSeconds(request.Ttl), cancellationToken)),
            },
            OutputType.Base64Data => result with { AudioBase64Data = Convert.ToBase64String(bytes.Span) },
            OutputType.DataUri => result with { AudioDataUri = $"data:{MediaFiles.ContentType(extension)};base64,{Convert.ToBase64String(bytes.Span)}" },
            OutputType.Attachment => result with { AudioAttachment = (int)await SendAttachmentAsync(request, bytes, context, cancellationToken) },
            _ => throw new InvalidOperationException($"Output type {request.OutputType} passed validation but has no delivery."),
        };
        return new EncodedResult(ContractsJson.ToJsonObject(result, ContractsJson.Default.AudioInferenceResult), bytes,
            request.OutputFormat == OutputFormat.PcmF32 ? "application/octet-stream" : MediaFiles.ContentType(extension));
    }

    /// <summary>The price model: seconds × steps × price per second-step, rounded to 4 decimals (USD).</summary>
    public static decimal Cost(double seconds, int steps, decimal pricePerSecondStep) =>
        Math.Round((decimal)seconds * steps * pricePerSecondStep, 4, MidpointRounding.AwayFromZero);

    private static async Task<uint> SendAttachmentAsync(AudioInferenceRequest request, ReadOnlyMemory<byte> bytes, TaskContext context, CancellationToken cancellationToken)
    {
        var channel = context.Channel
            ?? throw new InvalidOperationException("outputType attachment passed validation on a transport without attachments.");
        return request.OutputFormat == OutputFormat.PcmF32
            ? await channel.SendAttachmentAsync(bytes, AttachmentInfo.PcmF32,
                request.AudioSettings?.SampleRate ?? 48_000, request.AudioSettings?.Channels ?? 2, cancellationToken)
            : await channel.SendAttachmentAsync(bytes, AttachmentInfo.File, null, null, cancellationToken);
    }
}

/// <summary>One encoded result: its reply item, and the file's bytes and content type (for uploadEndpoint).</summary>
/// <param name="Item">The reply item.</param>
/// <param name="Bytes">The encoded file.</param>
/// <param name="ContentType">Its MIME type.</param>
public sealed record EncodedResult(JsonObject Item, ReadOnlyMemory<byte> Bytes, string ContentType);
