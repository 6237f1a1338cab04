using System.Buffers.Binary;
using System.Text;

namespace AceStep.Plugin.Tests;

/// <summary>
/// The plugin's state format written independently from docs/plugin.md, so the tests check the documented layout:
/// "ACST", u16 version (2; 1 is still read), u32 payload length, payload (u16 n, n × (u32 id, f64 plain), u32+UTF-8 prompt, u32+UTF-8
/// lyrics), u32 CRC-32 of the payload; little-endian.
/// </summary>
internal static class StateBytes
{
    public static byte[] Build(IReadOnlyList<(uint Id, double Plain)> parameters, string prompt, string lyrics, ushort version = 2)
    {
        var payload = new List<byte>();
        Span<byte> scratch = stackalloc byte[8];
        BinaryPrimitives.WriteUInt16LittleEndian(scratch, (ushort)parameters.Count);
        payload.AddRange(scratch[..2].ToArray());
        foreach (var (id, plain) in parameters)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(scratch, id);
            payload.AddRange(scratch[..4].ToArray());
            BinaryPrimitives.WriteDoubleLittleEndian(scratch, plain);
            payload.AddRange(scratch.ToArray());
        }

        foreach (string text in new[] { prompt, lyrics })
        {
            byte[] utf8 = Encoding.UTF8.GetBytes(text);
            BinaryPrimitives.WriteInt32LittleEndian(scratch, utf8.Length);
            payload.AddRange(scratch[..4].ToArray());
            payload.AddRange(utf8);
        }

        var result = new List<byte>("ACST"u8.ToArray());
        BinaryPrimitives.WriteUInt16LittleEndian(scratch, version);
        result.AddRange(scratch[..2].ToArray());
        BinaryPrimitives.WriteInt32LittleEndian(scratch, payload.Count);
        result.AddRange(scratch[..4].ToArray());
        result.AddRange(payload);
        BinaryPrimitives.WriteUInt32LittleEndian(scratch, Crc32([.. payload]));
        result.AddRange(scratch[..4].ToArray());
        return [.. result];
    }

    /// <summary>Defaults of every parameter as plain values, in ID order (the order the plugin writes).</summary>
    public static (uint Id, double Plain)[] Defaults() =>
        [(0, 0), (1, 0), (2, 0.5), (3, 1), (4, 32), (5, 0), (6, 0), (7, 1), (8, 4), (9, 1)];

    /// <summary>The parameters of version 1 (before Listen, ID 9, existed).</summary>
    public static (uint Id, double Plain)[] Version1Defaults() => Defaults()[..9];

    public static uint Crc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
            }
        }

        return ~crc;
    }
}
