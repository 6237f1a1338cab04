using AceStep.Engine.Generation;
using AceStep.Audio;
using AceStep.Contracts;
using AceStep.Contracts.Tasks;
using AceStep.Engine.Host.Delivery;
using AceStep.Engine.Host.Tasks;
using AceStep.Engine.Media;
using AceStep.Pipes;

namespace AceStep.Engine.Host.Inputs;

/// <summary>
/// Turns <c>inputs.audio</c> into the model's input: 48 kHz stereo float samples, at most the model's 600 s.
/// Sources: a pipe attachment (raw PCM or an encoded file), a data URI, or the UUID of an earlier result.
/// </summary>
public sealed class InputAudioResolver
{
    /// <summary>The model's sample rate.</summary>
    public const int ModelSampleRate = 48_000;

    /// <summary>The model's longest input, in seconds.</summary>
    public const double MaxSeconds = 600;

    private const string Parameter = "inputs.audio";

    private readonly MediaTools _media;
    private readonly MediaFiles _files;
    private readonly UrlAudioFetcher _fetcher;

    /// <summary>Creates the resolver.</summary>
    public InputAudioResolver(MediaTools media, MediaFiles files, UrlAudioFetcher fetcher)
    {
        _media = media;
        _files = files;
        _fetcher = fetcher;
    }

    /// <summary>
    /// Downloads audio from an http(s) URL (size and time limited, streamed to a temp file) and decodes it;
    /// <c>mediaNotFound</c> for 404/410, <c>invalidAudio</c> with the reason for anything else.
    /// </summary>
    public async Task<AudioBuffer> FromUrlAsync(Uri url, string parameter, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Path.GetTempPath(), $"acestep-url-{Guid.NewGuid():N}");
        try
        {
            await _fetcher.FetchToFileAsync(url, path, cancellationToken);
            return await DecodeFileAsync(path, cancellationToken);
        }
        catch (InputAudioFetchException ex)
        {
            throw Reject(ex.Code, ex.Message, parameter);
        }
        catch (AudioTooLongException ex)
        {
            throw Reject(ErrorCodes.Invalid("audio"), TooLong(ex), parameter);
        }
        catch (MediaCodecException ex)
        {
            throw Reject(ErrorCodes.Invalid("audio"), "The audio cannot be decoded: " + ex.Message, parameter);
        }
        catch (FfmpegNotFoundException ex)
        {
            throw Reject(ErrorCodes.InferenceError, ex.Message, parameter);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// Resolves the request's input audio. Throws <see cref="TaskRejectedException"/> with <c>invalidAudio</c> or
    /// <c>mediaNotFound</c> and the reason for anything that cannot be used.
    /// </summary>
    public async Task<AudioBuffer> ResolveAsync(AudioInferenceRequest request, TaskContext context, CancellationToken cancellationToken) =>
        (await ResolveTimedAsync(request, context, cancellationToken)).Audio;

    /// <summary>As <see cref="ResolveAsync(AudioInferenceRequest, TaskContext, CancellationToken)"/>, also returning the
    /// input's rate and length as submitted (results sent back at that rate must cover exactly that span).</summary>
    public Task<(AudioBuffer Audio, SourceTiming Original)> ResolveTimedAsync(AudioInferenceRequest request, TaskContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var input = request.InputAudioKind is { } kind
            ? new AudioInputReference(request.InputAudio!, kind, request.InputAudioUuid, request.InputAudioAttachment)
            : throw Reject(ErrorCodes.Invalid("audio"), "inputs.audio is not a form this engine reads.");
        return ResolveTimedAsync(input, context, cancellationToken);
    }

    /// <summary>
    /// Resolves a validated <c>inputs.audio</c> of any task (audioInference, audioAnalysis), with the same checks and
    /// errors as <see cref="ResolveAsync(AudioInferenceRequest, TaskContext, CancellationToken)"/>.
    /// </summary>
    public async Task<AudioBuffer> ResolveAsync(AudioInputReference input, TaskContext context, CancellationToken cancellationToken) =>
        (await ResolveTimedAsync(input, context, cancellationToken)).Audio;

    private async Task<(AudioBuffer Audio, SourceTiming Original)> ResolveTimedAsync(AudioInputReference input, TaskContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(context);
        AudioBuffer audio;
        try
        {
            audio = input.Kind switch
            {
                AudioInputKind.Attachment => await FromAttachmentAsync(input, context, cancellationToken),
                AudioInputKind.DataUri => await FromBytesAsync(DataUriBytes(input.Text), cancellationToken),
                AudioInputKind.Base64 => await FromBytesAsync(Convert.FromBase64String(input.Text), cancellationToken),
                AudioInputKind.Uuid => await FromStoredAsync(input.Uuid!.Value, cancellationToken),
                AudioInputKind.Url => await FromUrlAsync(new Uri(input.Text), Parameter, cancellationToken),
                _ => throw Reject(ErrorCodes.Invalid("audio"), "inputs.audio is not a form this engine reads."),
            };
        }
        catch (AudioTooLongException ex)
        {
            throw Reject(ErrorCodes.Invalid("audio"), TooLong(ex));
        }
        catch (MediaCodecException ex)
        {
            throw Reject(ErrorCodes.Invalid("audio"), "The input audio cannot be decoded: " + ex.Message);
        }
        catch (FfmpegNotFoundException ex)
        {
            throw Reject(ErrorCodes.InferenceError, ex.Message);
        }
        return (await ToModelFormatAsync(audio, cancellationToken), new SourceTiming(audio.SampleRate, audio.Frames));
    }

    /// <summary>
    /// Decodes an encoded audio file (any format FFmpeg reads) to the model's 48 kHz stereo, with the same checks
    /// as task inputs; used by mediaStorage uploads.
    /// </summary>
    public async Task<AudioBuffer> DecodeAsync(ReadOnlyMemory<byte> encoded, string parameter, CancellationToken cancellationToken)
    {
        try
        {
            return await ToModelFormatAsync(await FromBytesAsync(encoded, cancellationToken), cancellationToken);
        }
        catch (AudioTooLongException ex)
        {
            throw Reject(ErrorCodes.Invalid("audio"), TooLong(ex), parameter);
        }
        catch (MediaCodecException ex)
        {
            throw Reject(ErrorCodes.Invalid("audio"), "The audio cannot be decoded: " + ex.Message, parameter);
        }
        catch (FfmpegNotFoundException ex)
        {
            throw Reject(ErrorCodes.InferenceError, ex.Message, parameter);
        }
        catch (TaskRejectedException ex)
        {
            throw new TaskRejectedException(ex.Errors.Select(e => e with { Parameter = parameter }).ToArray());
        }
    }

    private async Task<AudioBuffer> ToModelFormatAsync(AudioBuffer audio, CancellationToken cancellationToken)
    {
        if (audio.Frames == 0)
        {
            throw Reject(ErrorCodes.Invalid("audio"), "The input audio is empty.");
        }
        if (audio.Duration > MaxSeconds + 1e-6)
        {
            throw Reject(ErrorCodes.Invalid("audio"), $"The input audio is {audio.Duration:0.0} s long; the model takes at most {MaxSeconds:0} s.");
        }
        return audio.SampleRate == ModelSampleRate && audio.Channels == 2
            ? audio
            : await _media.Codec.ResampleAsync(audio, ModelSampleRate, 2, cancellationToken);
    }

    private async Task<AudioBuffer> FromAttachmentAsync(AudioInputReference input, TaskContext context, CancellationToken cancellationToken)
    {
        var id = (uint)input.Attachment!.Value;
        using var attachment = context.Channel?.TakeAttachment(id)
            ?? throw Reject(ErrorCodes.MediaNotFound, $"Attachment {id} was not sent on this connection before the request that uses it.");
        if (attachment.Format == AttachmentInfo.PcmF32)
        {
            if (attachment.SampleRate is not (>= 8_000 and <= 384_000) || attachment.Channels is not (1 or 2))
            {
                throw Reject(ErrorCodes.Invalid("audio"),
                    $"PCM attachment {id} must declare sampleRate 8000–384000 and channels 1 or 2 in the request's attachments.");
            }
            var seconds = attachment.Bytes.Length / (double)(sizeof(float) * attachment.Channels.Value * attachment.SampleRate.Value);
            if (seconds > MaxSeconds + 1e-6)
            {
                // Checked on the byte count, before the samples are copied out of the frame.
                throw Reject(ErrorCodes.Invalid("audio"), $"PCM attachment {id} is {seconds:0.0} s long; the model takes at most {MaxSeconds:0} s.");
            }
            float[] samples;
            try
            {
                samples = Attachments.ToSamples(attachment.Bytes.Span);
            }
            catch (InvalidDataException ex)
            {
                throw Reject(ErrorCodes.Invalid("audio"), $"PCM attachment {id}: {ex.Message}");
            }
            if (samples.Length % attachment.Channels.Value != 0)
            {
                throw Reject(ErrorCodes.Invalid("audio"), $"PCM attachment {id} is not a whole number of {attachment.Channels}-channel frames.");
            }
            return new AudioBuffer(samples, attachment.SampleRate.Value, attachment.Channels.Value);
        }
        return await FromBytesAsync(attachment.Bytes, cancellationToken);
    }

    private async Task<AudioBuffer> FromStoredAsync(Guid uuid, CancellationToken cancellationToken)
    {
        var path = _files.FindByUuid(uuid)
            ?? throw Reject(ErrorCodes.MediaNotFound, $"No stored audio has the UUID {uuid}; it may have expired.");
        return await DecodeFileAsync(path, cancellationToken);
    }

    /// <summary>
    /// The one decode of an input file: its length is probed first and anything over <see cref="MaxSeconds"/> is
    /// refused before a sample is decoded (an hour of audio would otherwise take gigabytes as float samples).
    /// </summary>
    private Task<AudioBuffer> DecodeFileAsync(string path, CancellationToken cancellationToken) =>
        _media.Codec.DecodeAsync(path, ModelSampleRate, 2, MaxSeconds, cancellationToken);

    private async Task<AudioBuffer> FromBytesAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        if (bytes.Length == 0)
        {
            throw Reject(ErrorCodes.Invalid("audio"), "The input audio is empty (0 bytes).");
        }
        var path = Path.Combine(Path.GetTempPath(), $"acestep-in-{Guid.NewGuid():N}");
        try
        {
            await File.WriteAllBytesAsync(path, bytes, cancellationToken);
            return await DecodeFileAsync(path, cancellationToken);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>The payload of a base64 data URI; <c>invalidAudio</c> when it is not one.</summary>
    public static byte[] DataUriBytes(string uri)
    {
        var comma = uri.IndexOf(',', StringComparison.Ordinal);
        if (comma < 0 || !uri.AsSpan(0, comma).EndsWith(";base64", StringComparison.OrdinalIgnoreCase))
        {
            throw Reject(ErrorCodes.Invalid("audio"), "A data URI for inputs.audio must be base64: data:audio/<type>;base64,<data>.");
        }
        try
        {
            return Convert.FromBase64String(uri[(comma + 1)..]);
        }
        catch (FormatException)
        {
            throw Reject(ErrorCodes.Invalid("audio"), "The data URI's payload is not valid base64.");
        }
    }

    private static string TooLong(AudioTooLongException ex) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"The input audio is {ex.Seconds:0.0} s long; the model takes at most {MaxSeconds:0} s.");

    private static TaskRejectedException Reject(string code, string message, string parameter = Parameter) =>
        new([new TaskError { Code = code, Message = message, Parameter = parameter }]);
}
