namespace AceStep.Pipes;

/// <summary>Constants of the pipe protocol. The byte layout is documented in docs/pipe-protocol.md.</summary>
public static class PipeProtocol
{
    /// <summary>The protocol version this build speaks.</summary>
    public const ushort Version = 1;

    /// <summary>The four bytes that open a <see cref="FrameKind.Hello"/> payload: ASCII "ASTP".</summary>
    public static ReadOnlySpan<byte> Magic => "ASTP"u8;

    /// <summary>Bytes before every payload: u32 little-endian payload length, then the kind byte.</summary>
    public const int HeaderSize = 5;
}
