namespace AceStep.Pipes;

/// <summary>The one-byte kind that follows every frame's length. Byte layout: docs/pipe-protocol.md.</summary>
public enum FrameKind : byte
{
    /// <summary>Client → engine, first frame: magic and protocol version.</summary>
    Hello = 0x01,

    /// <summary>Engine → client, answer to <see cref="Hello"/>: accepted version and engine identity (JSON).</summary>
    Welcome = 0x02,

    /// <summary>A UTF-8 JSON message (request, reply or event).</summary>
    Json = 0x03,

    /// <summary>A binary attachment (raw PCM or an encoded file) referenced from a JSON message.</summary>
    Attachment = 0x04,

    /// <summary>Engine → client: a protocol error (JSON <c>{code,message}</c>); the engine closes the connection after it.</summary>
    Fatal = 0x0F,
}
