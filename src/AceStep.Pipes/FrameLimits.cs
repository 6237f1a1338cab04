namespace AceStep.Pipes;

/// <summary>Size limits a reader enforces before it allocates a payload, so a bad length cannot exhaust memory.</summary>
/// <param name="MaxJsonBytes">Largest JSON, handshake or error payload.</param>
/// <param name="MaxAttachmentBytes">Largest attachment payload.</param>
public sealed record FrameLimits(int MaxJsonBytes, int MaxAttachmentBytes)
{
    /// <summary>
    /// 16 MiB of JSON; 512 MiB of attachment, enough for the model's 600 s limit as 96 kHz stereo float32
    /// (≈ 461 MB) with room for the attachment header.
    /// </summary>
    public static FrameLimits Default { get; } = new(16 * 1024 * 1024, 512 * 1024 * 1024);

    /// <summary>The limit that applies to a frame of this kind.</summary>
    public int For(FrameKind kind) => kind == FrameKind.Attachment ? MaxAttachmentBytes : MaxJsonBytes;
}
