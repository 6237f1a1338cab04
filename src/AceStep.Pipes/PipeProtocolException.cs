namespace AceStep.Pipes;

/// <summary>The peer broke the framing or handshake rules; the connection cannot continue.</summary>
public sealed class PipeProtocolException : Exception
{
    /// <summary>Creates the exception with a code for the <see cref="FrameKind.Fatal"/> reply.</summary>
    public PipeProtocolException(string code, string message) : base(message) => Code = code;

    /// <summary>Machine-readable reason, e.g. <c>frameTooLarge</c>.</summary>
    public string Code { get; }

    /// <summary>A payload length above the limit for its kind.</summary>
    public const string FrameTooLarge = "frameTooLarge";

    /// <summary>The stream ended inside a frame.</summary>
    public const string Truncated = "truncatedFrame";

    /// <summary>A kind byte the protocol does not define, or not allowed at this point.</summary>
    public const string UnexpectedFrame = "unexpectedFrame";

    /// <summary>Wrong magic or an unsupported protocol version.</summary>
    public const string BadHandshake = "unsupportedProtocolVersion";

    /// <summary>A JSON frame that does not hold the expected message.</summary>
    public const string MalformedMessage = "malformedMessage";
}
