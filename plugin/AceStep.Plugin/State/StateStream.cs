using AceStep.Vst3;
using AceStep.Plugin.Interop;

namespace AceStep.Plugin.State;

/// <summary>Moves a <see cref="PluginStateSnapshot"/> through a host's <c>IBStream</c>.</summary>
/// <remarks>
/// Reads exactly the bytes the header announces: the stream may hold more (hosts append their own data) and may not
/// start at position 0, so neither its length nor its position is assumed.
/// </remarks>
internal static unsafe class StateStream
{
    /// <summary>Reads and checks a state; false (and nothing) for a truncated, corrupt or newer stream.</summary>
    public static bool TryRead(void* stream, out PluginStateSnapshot? state)
    {
        state = null;
        Span<byte> header = stackalloc byte[StateFormat.HeaderSize];
        if (HostStream.ReadFully(stream, header) != header.Length || !StateFormat.TryReadHeader(header, out int remaining, out ushort version))
        {
            return false;
        }

        var body = new byte[remaining];
        return HostStream.ReadFully(stream, body) == body.Length && StateFormat.TryReadBody(body, version, out state);
    }

    /// <summary>Writes a state; false when the stream refused some of it.</summary>
    public static bool Write(void* stream, PluginStateSnapshot state) => HostStream.WriteFully(stream, StateFormat.Write(state));

    /// <summary>
    /// The body of every <c>setState</c>/<c>setComponentState</c> entry point: a null stream or holder is an invalid
    /// argument; a stream that does not hold a valid state is refused with kResultFalse and changes nothing.
    /// </summary>
    public static int SetState(IStateHolder? holder, void* stream)
    {
        if (stream == null || holder is null)
            return Vst3Result.InvalidArgument;
        if (!TryRead(stream, out var state))
            return Vst3Result.False;
        holder.Apply(state!, StateOrigins.Of(stream));
        return Vst3Result.Ok;
    }

    /// <summary>The body of every <c>getState</c> entry point.</summary>
    public static int GetState(IStateHolder? holder, void* stream) =>
        stream == null || holder is null ? Vst3Result.InvalidArgument : Write(stream, holder.Snapshot()) ? Vst3Result.Ok : Vst3Result.False;
}
