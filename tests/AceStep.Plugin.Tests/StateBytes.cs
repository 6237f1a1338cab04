using System.Buffers.Binary;
using System.Text;

namespace AceStep.Plugin.Tests;

/// <summary>
/// The plugin's state format written independently from docs/plugin.md, so the tests check the documented layout:
/// "ACST", u16 version (4; 3, 2 and 1 are still read), u32 payload length, payload (u16 n, n × (u32 id, f64 plain), u32+UTF-8 prompt, u32+UTF-8
/// lyrics; version 3 then: 16-byte instance id in RFC 4122 order, text language, f64 bpm (NaN = none), i32 take count, the
/// takes, text active take id; version 4 then: strings track classes, and each take ends with text track, strings track
/// classes; strings = i32 count + texts), u32 CRC-32 of the payload; little-endian.
/// </summary>
internal static class StateBytes
{
    /// <summary>One take as version 3 stores it.</summary>
    public sealed record TakeEntry(string Id, string File, long Position, double SampleRate, int Channels, long Frames, long Seed,
        string Mode = "repaint", string Prompt = "", string Lyrics = "", string Key = "auto", double Bpm = double.NaN,
        double Strength = 0.5, double CoverScale = 1, int Steps = 32, long SettingsSeed = 0, string Language = "en",
        string Track = "drums", IReadOnlyList<string>? TrackClasses = null);

    /// <summary>What version 3 adds after the lyrics.</summary>
    public sealed record Extension(Guid InstanceId, string Language = "en", double Bpm = double.NaN, IReadOnlyList<TakeEntry>? Takes = null, string Active = "",
        IReadOnlyList<string>? TrackClasses = null);

    public static byte[] Build(IReadOnlyList<(uint Id, double Plain)> parameters, string prompt, string lyrics, ushort version = 4, Extension? extension = null)
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

        if (version >= 3 || extension is not null)
        {
            AppendExtension(payload, extension ?? new Extension(Guid.Empty), version);
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
        [(0, 0), (1, 0), (2, 0.5), (3, 1), (4, 32), (5, 0), (6, 0), (7, 1), (8, 4), (9, 1), (10, 0), (11, 0), (12, 0), (13, 9)];

    /// <summary>The parameters of version 3 (before Track, ID 13).</summary>
    public static (uint Id, double Plain)[] Version3Defaults() => Defaults()[..13];

    /// <summary>The parameters of version 1 (before Listen, ID 9, existed).</summary>
    public static (uint Id, double Plain)[] Version1Defaults() => Defaults()[..9];

    /// <summary>The parameters of version 2 (before the Generate and Open Control Page triggers, IDs 10 and 11).</summary>
    public static (uint Id, double Plain)[] Version2Defaults() => Defaults()[..10];

    /// <summary>The instance id inside a version-3 or -4 state (found by walking the documented layout).</summary>
    public static Guid InstanceId(byte[] state)
    {
        Assert.InRange(BinaryPrimitives.ReadUInt16LittleEndian(state.AsSpan(4)), (ushort)3, (ushort)4);
        int at = 10;
        int count = BinaryPrimitives.ReadUInt16LittleEndian(state.AsSpan(at));
        at += 2 + (count * 12);
        for (int text = 0; text < 2; text++)
        {
            at += 4 + BinaryPrimitives.ReadInt32LittleEndian(state.AsSpan(at));
        }

        return new Guid(state.AsSpan(at, 16), bigEndian: true);
    }

    /// <summary>The plain value of parameter <paramref name="id"/> in a state.</summary>
    public static double Plain(byte[] state, uint id)
    {
        int count = BinaryPrimitives.ReadUInt16LittleEndian(state.AsSpan(10));
        for (int i = 0; i < count; i++)
        {
            int at = 12 + (i * 12);
            if (BinaryPrimitives.ReadUInt32LittleEndian(state.AsSpan(at)) == id)
                return BinaryPrimitives.ReadDoubleLittleEndian(state.AsSpan(at + 4));
        }

        throw new KeyNotFoundException($"parameter {id} is not in the state");
    }

    /// <summary>The prompt of a state.</summary>
    public static string Prompt(byte[] state)
    {
        int at = 12 + (BinaryPrimitives.ReadUInt16LittleEndian(state.AsSpan(10)) * 12);
        int length = BinaryPrimitives.ReadInt32LittleEndian(state.AsSpan(at));
        return Encoding.UTF8.GetString(state, at + 4, length);
    }

    /// <summary>How many takes a version-3 state lists.</summary>
    public static int TakeCount(byte[] state)
    {
        int at = 10;
        int count = BinaryPrimitives.ReadUInt16LittleEndian(state.AsSpan(at));
        at += 2 + (count * 12);
        for (int text = 0; text < 2; text++)
            at += 4 + BinaryPrimitives.ReadInt32LittleEndian(state.AsSpan(at));
        at += 16; // instance id
        at += 4 + BinaryPrimitives.ReadInt32LittleEndian(state.AsSpan(at)); // language
        at += 8; // bpm
        return BinaryPrimitives.ReadInt32LittleEndian(state.AsSpan(at));
    }

    private static void AppendExtension(List<byte> payload, Extension extension, ushort version)
    {
        byte[] id = new byte[16];
        Assert.True(extension.InstanceId.TryWriteBytes(id, bigEndian: true, out _));
        payload.AddRange(id);
        Text(payload, extension.Language);
        F64(payload, extension.Bpm);
        var takes = extension.Takes ?? [];
        I32(payload, takes.Count);
        foreach (var take in takes)
        {
            Text(payload, take.Id);
            Text(payload, take.File);
            I64(payload, take.Position);
            F64(payload, take.SampleRate);
            I32(payload, take.Channels);
            I64(payload, take.Frames);
            I64(payload, take.Seed);
            Text(payload, take.Mode);
            Text(payload, take.Prompt);
            Text(payload, take.Lyrics);
            Text(payload, take.Key);
            F64(payload, take.Bpm);
            F64(payload, take.Strength);
            F64(payload, take.CoverScale);
            I32(payload, take.Steps);
            I64(payload, take.SettingsSeed);
            Text(payload, take.Language);
            if (version >= 4)
            {
                Text(payload, take.Track);
                Strings(payload, take.TrackClasses ?? []);
            }
        }

        Text(payload, extension.Active);
        if (version >= 4)
            Strings(payload, extension.TrackClasses ?? []);
    }

    private static void Strings(List<byte> payload, IReadOnlyList<string> strings)
    {
        I32(payload, strings.Count);
        foreach (var text in strings)
            Text(payload, text);
    }

    private static void Text(List<byte> payload, string text)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(text);
        I32(payload, utf8.Length);
        payload.AddRange(utf8);
    }

    private static void I32(List<byte> payload, int value)
    {
        byte[] b = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(b, value);
        payload.AddRange(b);
    }

    private static void I64(List<byte> payload, long value)
    {
        byte[] b = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(b, value);
        payload.AddRange(b);
    }

    private static void F64(List<byte> payload, double value)
    {
        byte[] b = new byte[8];
        BinaryPrimitives.WriteDoubleLittleEndian(b, value);
        payload.AddRange(b);
    }

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
