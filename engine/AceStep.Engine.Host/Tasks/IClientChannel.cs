namespace AceStep.Engine.Host.Tasks;

/// <summary>
/// What a pipe connection offers the tasks it submitted: the attachments it sent, a way to send result audio
/// back as an attachment, and progress events.
/// </summary>
public interface IClientChannel
{
    /// <summary>
    /// Takes (and forgets) an attachment the client sent; null when no such attachment is waiting. The caller owns
    /// it and disposes it when done (its bytes are a pooled buffer).
    /// </summary>
    ReceivedAttachmentData? TakeAttachment(uint id);

    /// <summary>
    /// Sends bytes as an Attachment frame (it reaches the client before the reply that references it); returns
    /// its id for the result item's <c>audioAttachment</c>.
    /// </summary>
    ValueTask<uint> SendAttachmentAsync(ReadOnlyMemory<byte> bytes, string format, int? sampleRate, int? channels,
        CancellationToken cancellationToken);

    /// <summary>Queues a progress event; never blocks (old events are dropped when the client reads slowly).</summary>
    void ReportProgress(Guid taskUuid, double progress, string stage);
}

/// <summary>An attachment received from a client, with its description from the request.</summary>
/// <param name="Format"><c>PCM_F32</c> or <c>file</c>.</param>
/// <param name="SampleRate">PCM only.</param>
/// <param name="Channels">PCM only.</param>
/// <param name="Owner">The payload, in a pooled buffer returned on dispose.</param>
public sealed record ReceivedAttachmentData(string Format, int? SampleRate, int? Channels, AceStep.Pipes.PooledBytes Owner) : IDisposable
{
    /// <summary>The payload.</summary>
    public ReadOnlyMemory<byte> Bytes => Owner.Memory;

    /// <inheritdoc />
    public void Dispose() => Owner.Dispose();
}
