using System.Buffers.Binary;
using System.Text;
using AceStep.Contracts.Sessions;
using AceStep.Plugin.Parameters;

namespace AceStep.Plugin.State;

/// <summary>
/// The binary state format shared by the component and the controller (docs/plugin.md). Little-endian throughout:
/// <code>
/// header  : "ACST" | u16 version (4; 3, 2 and 1 are still read) | u32 payload length
/// payload : u16 n | n × (u32 parameter id, f64 plain value) | text prompt | text lyrics
///           version 3 adds: 16 bytes instance id (RFC 4122 order) | text language | f64 bpm (NaN = the host's)
///           | i32 takes | takes × take | text active take id (empty = none)
///           version 4 adds the Track parameter (id 13) and: | strings complete's track classes
/// take    : text id | text file | i64 position | f64 sample rate | i32 channels | i64 frames | i64 seed
///           | text mode | text prompt | text lyrics | text key | f64 bpm (NaN = none) | f64 strength
///           | f64 cover scale | i32 steps | i64 seed | text language
///           version 4 adds: | text track name | strings track classes
/// strings : i32 count | count × text
/// text    : i32 byte length, UTF-8
/// trailer : u32 CRC-32 of the payload
/// </code>
/// Plain values rather than normalized ones, so a later version may widen a range without changing what a saved
/// project means. Reading is all or nothing: any defect refuses the whole stream.
/// </summary>
internal static class StateFormat
{
    /// <summary>The four bytes every state starts with.</summary>
    public static ReadOnlySpan<byte> Magic => "ACST"u8;

    /// <summary>
    /// The version this build writes. Version 2 added the Listen parameter; version 3 the Generate and Open Control
    /// Page triggers, the instance id, the language and BPM override, and the takes; version 4 the Track parameter, the
    /// track classes and each take's track (issue 21's stem jobs).
    /// </summary>
    public const ushort Version = 4;

    /// <summary>Most takes a state may list (a corrupt count cannot make the plugin allocate much).</summary>
    public const int MaxTakes = 4096;

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
        var extension = new PayloadWriter();
        WriteExtension(extension, state);
        byte[] prompt = s_strictUtf8.GetBytes(state.Prompt);
        byte[] lyrics = s_strictUtf8.GetBytes(state.Lyrics);
        int count = PluginParameters.Count;
        int payloadSize = 2 + (count * 12) + 4 + prompt.Length + 4 + lyrics.Length + extension.Length;
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
        at = WriteText(payload, at, lyrics);
        extension.CopyTo(payload[at..]);
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
        // The parameters a writer of that version knew: version 1 ended with Length (IDs 0–8), version 2 with Listen.
        uint knownIds = version switch
        {
            1 => (uint)ParameterId.Listen,
            2 => (uint)ParameterId.Generate,
            3 => (uint)ParameterId.Track,
            _ => (uint)PluginParameters.Count,
        };
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

        if (!TryReadText(payload, ref at, out string? prompt) || !TryReadText(payload, ref at, out string? lyrics))
        {
            return false;
        }

        var read = new PluginStateSnapshot(values, prompt, lyrics);
        if (version >= 3 && !TryReadExtension(payload, ref at, version, ref read))
        {
            return false;
        }

        if (at != payload.Length)
        {
            return false;
        }

        state = read;
        return true;
    }

    private static void WriteExtension(PayloadWriter w, PluginStateSnapshot state)
    {
        Span<byte> id = stackalloc byte[16];
        state.InstanceId.TryWriteBytes(id, bigEndian: true, out _);
        w.Bytes(id);
        w.Text(state.Language);
        w.F64(state.Bpm ?? double.NaN);
        w.I32(state.Takes.Count);
        foreach (var take in state.Takes)
        {
            w.Text(take.Id);
            w.Text(take.File);
            w.I64(take.Position);
            w.F64(take.SampleRate);
            w.I32(take.Channels);
            w.I64(take.Frames);
            w.I64(take.Seed);
            var s = take.Settings;
            w.Text(s.Mode);
            w.Text(s.Prompt);
            w.Text(s.Lyrics);
            w.Text(s.KeyScale);
            w.F64(s.Bpm ?? double.NaN);
            w.F64(s.Strength);
            w.F64(s.CoverScale);
            w.I32(s.Steps);
            w.I64(s.Seed);
            w.Text(s.Language);
            w.Text(s.TrackName);
            WriteStrings(w, s.TrackClasses);
        }

        w.Text(state.ActiveTakeId ?? "");
        WriteStrings(w, state.TrackClasses);
    }

    private static void WriteStrings(PayloadWriter w, IReadOnlyList<string> strings)
    {
        w.I32(strings.Count);
        foreach (var text in strings)
            w.Text(text);
    }

    // Track classes: each a stem the engine knows, at most all of them.
    private static bool TryReadStems(ReadOnlySpan<byte> payload, ref int at, out List<string> stems)
    {
        stems = [];
        if (!TryI32(payload, ref at, out int count) || count < 0 || count > AceStep.Contracts.Tasks.StemTracks.All.Count)
            return false;
        for (int i = 0; i < count; i++)
        {
            if (!TryReadText(payload, ref at, out string? stem) || AceStep.Contracts.Tasks.StemTracks.Normalize(stem) != stem)
                return false;
            stems.Add(stem);
        }

        return true;
    }

    private static bool TryReadExtension(ReadOnlySpan<byte> payload, ref int at, ushort version, ref PluginStateSnapshot state)
    {
        if (!TryTake(payload, ref at, 16, out var idBytes)
            || !TryReadText(payload, ref at, out string? language)
            || !TryF64(payload, ref at, out double bpm) || !(double.IsNaN(bpm) || bpm is > 0 and <= 1000)
            || !TryI32(payload, ref at, out int count) || count is < 0 or > MaxTakes)
        {
            return false;
        }

        var takes = new List<SavedTake>(count);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            if (!TryReadText(payload, ref at, out string? id) || id.Length == 0 || !ids.Add(id)
                || !TryReadText(payload, ref at, out string? file)
                || !TryI64(payload, ref at, out long position) || position < 0
                || !TryF64(payload, ref at, out double rate) || !(rate > 0) || !double.IsFinite(rate)
                || !TryI32(payload, ref at, out int channels) || channels is < 1 or > 2
                || !TryI64(payload, ref at, out long frames) || frames < 0
                || !TryI64(payload, ref at, out long seed)
                || !TryReadSettings(payload, ref at, version, out var settings))
            {
                return false;
            }

            takes.Add(new SavedTake(id, file, position, rate, channels, frames, seed, settings));
        }

        if (!TryReadText(payload, ref at, out string? active) || (active.Length > 0 && !ids.Contains(active)))
        {
            return false;
        }

        var classes = new List<string>();
        if (version >= 4 && !TryReadStems(payload, ref at, out classes))
        {
            return false;
        }

        state = state with
        {
            InstanceId = new Guid(idBytes, bigEndian: true),
            Language = language,
            Bpm = double.IsNaN(bpm) ? null : bpm,
            Takes = takes,
            ActiveTakeId = active.Length == 0 ? null : active,
            TrackClasses = classes,
        };
        return true;
    }

    private static bool TryReadSettings(ReadOnlySpan<byte> payload, ref int at, ushort version, out SessionSettings settings)
    {
        settings = new SessionSettings();
        if (!TryReadText(payload, ref at, out string? mode)
            || !TryReadText(payload, ref at, out string? prompt)
            || !TryReadText(payload, ref at, out string? lyrics)
            || !TryReadText(payload, ref at, out string? key)
            || !TryF64(payload, ref at, out double bpm)
            || !TryF64(payload, ref at, out double strength) || !(strength is >= 0 and <= 1)
            || !TryF64(payload, ref at, out double coverScale) || !(coverScale is >= 0 and <= 1)
            || !TryI32(payload, ref at, out int steps)
            || !TryI64(payload, ref at, out long seed)
            || !TryReadText(payload, ref at, out string? language))
        {
            return false;
        }

        string track = new SessionSettings().TrackName;
        var classes = new List<string>();
        if (version >= 4 && (!TryReadText(payload, ref at, out track!) || AceStep.Contracts.Tasks.StemTracks.Normalize(track) != track
                || !TryReadStems(payload, ref at, out classes)))
        {
            return false;
        }

        settings = new SessionSettings
        {
            Mode = mode,
            Prompt = prompt,
            Lyrics = lyrics,
            KeyScale = key,
            Bpm = double.IsNaN(bpm) ? null : bpm,
            Strength = strength,
            CoverScale = coverScale,
            Steps = steps,
            Seed = seed,
            Language = language,
            TrackName = track,
            TrackClasses = classes,
        };
        return true;
    }

    private static bool TryI32(ReadOnlySpan<byte> payload, ref int at, out int value)
    {
        value = TryTake(payload, ref at, 4, out var bytes) ? BinaryPrimitives.ReadInt32LittleEndian(bytes) : 0;
        return bytes.Length == 4;
    }

    private static bool TryI64(ReadOnlySpan<byte> payload, ref int at, out long value)
    {
        value = TryTake(payload, ref at, 8, out var bytes) ? BinaryPrimitives.ReadInt64LittleEndian(bytes) : 0;
        return bytes.Length == 8;
    }

    private static bool TryF64(ReadOnlySpan<byte> payload, ref int at, out double value)
    {
        value = TryTake(payload, ref at, 8, out var bytes) ? BinaryPrimitives.ReadDoubleLittleEndian(bytes) : 0;
        return bytes.Length == 8;
    }

    /// <summary>Little-endian fields appended to a growing buffer (the version-3 part of the payload).</summary>
    private sealed class PayloadWriter
    {
        private readonly System.Buffers.ArrayBufferWriter<byte> _stream = new();

        public int Length => _stream.WrittenCount;

        public void Bytes(ReadOnlySpan<byte> bytes) => System.Buffers.BuffersExtensions.Write<byte>(_stream, bytes);

        public void I32(int value)
        {
            Span<byte> b = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(b, value);
            System.Buffers.BuffersExtensions.Write<byte>(_stream, b);
        }

        public void I64(long value)
        {
            Span<byte> b = stackalloc byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(b, value);
            System.Buffers.BuffersExtensions.Write<byte>(_stream, b);
        }

        public void F64(double value)
        {
            Span<byte> b = stackalloc byte[8];
            BinaryPrimitives.WriteDoubleLittleEndian(b, value);
            System.Buffers.BuffersExtensions.Write<byte>(_stream, b);
        }

        public void Text(string text)
        {
            byte[] bytes = s_strictUtf8.GetBytes(text);
            I32(bytes.Length);
            System.Buffers.BuffersExtensions.Write<byte>(_stream, bytes);
        }

        public void CopyTo(Span<byte> destination) => _stream.WrittenSpan.CopyTo(destination);
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
