using System.Buffers.Binary;
using System.Text;
using AceStep.Plugin.Parameters;

namespace AceStep.Plugin.State;

/// <summary>
/// The binary state format shared by the component and the controller (docs/plugin.md). Little-endian throughout:
/// <code>
/// header  : "ACST" | u16 version (2; 1 is still read) | u32 payload length
/// payload : u16 n | n × (u32 parameter id, f64 plain value) | u32 len, UTF-8 prompt | u32 len, UTF-8 lyrics
/// trailer : u32 CRC-32 of the payload
/// </code>
/// Plain values rather than normalized ones, so a later version may widen a range without changing what a saved
/// project means. Reading is all or nothing: any defect refuses the whole stream.
/// </summary>
internal static class StateFormat
{
    /// <summary>The four bytes every state starts with.</summary>
    public static ReadOnlySpan<byte> Magic => "ACST"u8;

    /// <summary>The version this build writes. Version 2 added the Listen parameter; nothing else changed.</summary>
    public const ushort Version = 2;

    /// <summary>The oldest version still read (a project saved before Listen existed).</summary>
    public const ushort OldestReadableVersion = 1;

    /// <summary>Magic, version and payload length.</summary>
    public const int HeaderSize = 10;

    /// <summary>The CRC after the payload.</summary>
    public const int TrailerSize = 4;

    /// <summary>Upper bound on a payload, so a corrupt length cannot make the plugin allocate gigabytes.</summary>
    public const int MaxPayloadSize = 4 * 1024 * 1024;

    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Serializes <paramref name="state"/> (header, payload and trailer).</summary>
    public static byte[] Write(PluginStateSnapshot state)
    {
        byte[] prompt = s_strictUtf8.GetBytes(state.Prompt);
        byte[] lyrics = s_strictUtf8.GetBytes(state.Lyrics);
        int count = PluginParameters.Count;
        int payloadSize = 2 + (count * 12) + 4 + prompt.Length + 4 + lyrics.Length;
        var bytes = new byte[HeaderSize + payloadSize + TrailerSize];
        var span = bytes.AsSpan();

        Magic.CopyTo(span);
        BinaryPrimitives.WriteUInt16LittleEndian(span[4..], Version);
        BinaryPrimitives.WriteInt32LittleEndian(span[6..], payloadSize);

        var payload = span.Slice(HeaderSize, payloadSize);
        int at = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(payload[at..], (ushort)count);
        at += 2;
        foreach (var parameter in PluginParameters.All)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(payload[at..], (uint)parameter.Id);
            BinaryPrimitives.WriteDoubleLittleEndian(payload[(at + 4)..], parameter.ToPlain(state.Normalized[(int)parameter.Id]));
            at += 12;
        }

        at = WriteText(payload, at, prompt);
        WriteText(payload, at, lyrics);
        BinaryPrimitives.WriteUInt32LittleEndian(span[(HeaderSize + payloadSize)..], Crc32.Compute(payload));
        return bytes;
    }

    /// <summary>Checks a header; on success, how many bytes follow it (payload and trailer) and the version it announces.</summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> header, out int remaining, out ushort version)
    {
        remaining = 0;
        version = 0;
        if (header.Length < HeaderSize || !header[..4].SequenceEqual(Magic))
        {
            return false;
        }

        // Versions up to the one written here are understood; a newer one may mean anything, so it is refused unread.
        if (BinaryPrimitives.ReadUInt16LittleEndian(header[4..]) is < OldestReadableVersion or > Version)
        {
            return false;
        }

        int payloadSize = BinaryPrimitives.ReadInt32LittleEndian(header[6..]);
        if (payloadSize <= 0 || payloadSize > MaxPayloadSize)
        {
            return false;
        }

        remaining = payloadSize + TrailerSize;
        version = BinaryPrimitives.ReadUInt16LittleEndian(header[4..]);
        return true;
    }

    /// <summary>Reads the payload and trailer that follow a valid header of <paramref name="version"/>; false for any defect.</summary>
    public static bool TryReadBody(ReadOnlySpan<byte> body, ushort version, out PluginStateSnapshot? state)
    {
        // The parameters a writer of that version knew: version 1 ended with Length (IDs 0–8).
        uint knownIds = version >= 2 ? (uint)PluginParameters.Count : (uint)ParameterId.Listen;
        state = null;
        if (body.Length < TrailerSize)
        {
            return false;
        }

        var payload = body[..^TrailerSize];
        if (Crc32.Compute(payload) != BinaryPrimitives.ReadUInt32LittleEndian(body[^TrailerSize..]))
        {
            return false;
        }

        var values = PluginStateSnapshot.Default().Normalized;
        var seen = new bool[values.Length];
        int at = 0;
        if (!TryTake(payload, ref at, 2, out var countBytes))
        {
            return false;
        }

        int count = BinaryPrimitives.ReadUInt16LittleEndian(countBytes);
        for (int i = 0; i < count; i++)
        {
            if (!TryTake(payload, ref at, 12, out var entry))
            {
                return false;
            }

            uint id = BinaryPrimitives.ReadUInt32LittleEndian(entry);
            double plain = BinaryPrimitives.ReadDoubleLittleEndian(entry[4..]);
            // A writer knows exactly the parameters of its version, each once, each within its range.
            if (id >= knownIds || PluginParameters.Find(id) is not { } parameter || seen[id] || !parameter.IsValidPlain(plain))
            {
                return false;
            }

            seen[id] = true;
            values[id] = parameter.ToNormalized(plain);
        }

        if (!TryReadText(payload, ref at, out string? prompt) || !TryReadText(payload, ref at, out string? lyrics) || at != payload.Length)
        {
            return false;
        }

        state = new PluginStateSnapshot(values, prompt, lyrics);
        return true;
    }

    private static int WriteText(Span<byte> payload, int at, byte[] text)
    {
        BinaryPrimitives.WriteInt32LittleEndian(payload[at..], text.Length);
        text.CopyTo(payload[(at + 4)..]);
        return at + 4 + text.Length;
    }

    private static bool TryReadText(ReadOnlySpan<byte> payload, ref int at, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? text)
    {
        text = null;
        if (!TryTake(payload, ref at, 4, out var lengthBytes))
        {
            return false;
        }

        int length = BinaryPrimitives.ReadInt32LittleEndian(lengthBytes);
        if (length < 0 || !TryTake(payload, ref at, length, out var bytes))
        {
            return false;
        }

        try
        {
            text = s_strictUtf8.GetString(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    private static bool TryTake(ReadOnlySpan<byte> payload, ref int at, int length, out ReadOnlySpan<byte> taken)
    {
        if (length > payload.Length - at)
        {
            taken = default;
            return false;
        }

        taken = payload.Slice(at, length);
        at += length;
        return true;
    }
}
