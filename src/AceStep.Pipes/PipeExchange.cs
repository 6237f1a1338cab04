using System.Text.Json.Nodes;
using AceStep.Contracts;

namespace AceStep.Pipes;

/// <summary>An attachment to send with a request: its description and its bytes.</summary>
/// <param name="Info">Id (referenced from a task as <c>attachment:&lt;id&gt;</c>), format, rate and channels.</param>
/// <param name="Bytes">The payload; not copied.</param>
public sealed record OutgoingAttachment(AttachmentInfo Info, ReadOnlyMemory<byte> Bytes);

/// <summary>
/// An attachment the engine sent with a reply. Its bytes live in a pooled buffer: dispose the attachment (or the
/// whole <see cref="PipeReply"/>) when done so the next take reuses it.
/// </summary>
public sealed class ReceivedAttachment : IDisposable
{
    private readonly PooledBytes _bytes;

    internal ReceivedAttachment(AttachmentInfo info, PooledBytes bytes)
    {
        Info = info;
        _bytes = bytes;
    }

    /// <summary>Its description from the reply.</summary>
    public AttachmentInfo Info { get; }

    /// <summary>Its bytes; valid until disposed.</summary>
    public ReadOnlyMemory<byte> Bytes => _bytes.Memory;

    /// <inheritdoc />
    public void Dispose() => _bytes.Dispose();
}

/// <summary>Receives progress events: taskUUID, progress 0–100, stage.</summary>
public delegate void ProgressHandler(string taskUuid, double progress, string stage);

/// <summary>A request with its attachments and a progress callback.</summary>
/// <param name="Tasks">The task array, as over HTTP.</param>
/// <param name="Attachments">Attachments the tasks reference; sent before the request.</param>
/// <param name="Progress">Called (on the connection's reader thread; keep it short) for the request's tasks.</param>
public sealed record PipeRequest(JsonArray Tasks, IReadOnlyList<OutgoingAttachment>? Attachments = null, ProgressHandler? Progress = null);

/// <summary>The reply to a <see cref="PipeRequest"/>: the task reply and the attachments its items reference.</summary>
/// <param name="Reply">Data and error items, as over HTTP.</param>
/// <param name="Attachments">By id, as referenced by result items' <c>audioAttachment</c>.</param>
public sealed record PipeReply(TaskReply Reply, IReadOnlyDictionary<uint, ReceivedAttachment> Attachments) : IDisposable
{
    /// <summary>Returns the attachments' buffers to the pool.</summary>
    public void Dispose()
    {
        foreach (var attachment in Attachments.Values)
        {
            attachment.Dispose();
        }
    }
}
