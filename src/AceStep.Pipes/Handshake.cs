using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace AceStep.Pipes;

/// <summary>The first exchange on every connection: Hello (magic + version) answered by Welcome or Fatal.</summary>
public static class Handshake
{
    /// <summary>The Hello payload for <paramref name="version"/>.</summary>
    public static byte[] HelloPayload(ushort version = PipeProtocol.Version)
    {
        var payload = new byte[PipeProtocol.Magic.Length + 2];
        PipeProtocol.Magic.CopyTo(payload);
        BinaryPrimitives.WriteUInt16LittleEndian(payload.AsSpan(PipeProtocol.Magic.Length), version);
        return payload;
    }

    /// <summary>
    /// Checks a Hello payload and returns the version both sides will speak. Throws
    /// <see cref="PipeProtocolException"/> with a message the client can show when the magic or version is wrong.
    /// </summary>
    public static ushort AcceptHello(ReadOnlySpan<byte> payload)
    {
        if (payload.Length != PipeProtocol.Magic.Length + 2 || !payload[..PipeProtocol.Magic.Length].SequenceEqual(PipeProtocol.Magic))
        {
            throw new PipeProtocolException(PipeProtocolException.BadHandshake,
                "The first frame is not an AceStep pipe-protocol Hello (magic \"ASTP\" + version).");
        }
        var version = BinaryPrimitives.ReadUInt16LittleEndian(payload[PipeProtocol.Magic.Length..]);
        if (version != PipeProtocol.Version)
        {
            throw new PipeProtocolException(PipeProtocolException.BadHandshake,
                $"The client speaks pipe-protocol version {version}; this engine speaks version {PipeProtocol.Version}. " +
                "Update the plugin or the engine so that both are from the same release.");
        }
        return version;
    }

    /// <summary>The Welcome payload: the accepted version and the engine's identity as JSON.</summary>
    public static byte[] WelcomePayload(EngineIdentity identity)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(identity, PipeJson.Default.EngineIdentity);
        var payload = new byte[2 + json.Length];
        BinaryPrimitives.WriteUInt16LittleEndian(payload, PipeProtocol.Version);
        json.CopyTo(payload, 2);
        return payload;
    }

    /// <summary>Reads a Welcome payload.</summary>
    public static (ushort Version, EngineIdentity Identity) ReadWelcome(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < 2)
        {
            throw new PipeProtocolException(PipeProtocolException.BadHandshake, "The engine's Welcome frame is too short.");
        }
        var version = BinaryPrimitives.ReadUInt16LittleEndian(payload);
        try
        {
            var identity = JsonSerializer.Deserialize(payload[2..], PipeJson.Default.EngineIdentity)
                ?? throw new JsonException("null identity");
            return (version, identity);
        }
        catch (JsonException ex)
        {
            throw new PipeProtocolException(PipeProtocolException.BadHandshake,
                "The engine's Welcome frame does not carry a readable identity: " + ex.Message);
        }
    }

    /// <summary>The payload of a <see cref="FrameKind.Fatal"/> frame.</summary>
    public static byte[] FatalPayload(string code, string message) =>
        JsonSerializer.SerializeToUtf8Bytes(new PipeFatal(code, message), PipeJson.Default.PipeFatal);

    /// <summary>Reads a <see cref="FrameKind.Fatal"/> payload, tolerating garbage (the connection is ending anyway).</summary>
    public static PipeFatal ReadFatal(ReadOnlySpan<byte> payload)
    {
        try
        {
            return JsonSerializer.Deserialize(payload, PipeJson.Default.PipeFatal)
                ?? new PipeFatal("unknown", Encoding.UTF8.GetString(payload));
        }
        catch (JsonException)
        {
            return new PipeFatal("unknown", Encoding.UTF8.GetString(payload));
        }
    }
}
