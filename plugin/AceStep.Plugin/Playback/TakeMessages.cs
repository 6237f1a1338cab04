using System.Buffers.Binary;
using System.Runtime.InteropServices;
using AceStep.Plugin.Interop;
using AceStep.Vst3;

namespace AceStep.Plugin.Playback;

/// <summary>
/// The connection-point messages that hand takes to the processor (docs/plugin.md, "Take hand-off"). The controller
/// (and its worker) will send them once the engine round trip exists; tests send them today. <c>notify</c> runs on
/// the host's main thread, so decoding and allocating the take here never touches the audio thread.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>AceStep.Take</c>: <c>samples</c> (binary, float32 little-endian), <c>channels</c> (int, 1 or 2),
/// <c>position</c> (int, project sample of the first frame), <c>sampleRate</c> (float); optional <c>slot</c> (int,
/// default 0), <c>planar</c> (int, default 0 = interleaved), <c>activate</c> (int, default 1).</item>
/// <item><c>AceStep.SelectTake</c>: <c>slot</c> (int; −1 = none).</item>
/// <item><c>AceStep.RetireTake</c>: <c>slot</c> (int).</item>
/// </list>
/// </remarks>
internal static unsafe class TakeMessages
{
    /// <summary>ID of the message carrying a take.</summary>
    public static ReadOnlySpan<byte> TakeId => "AceStep.Take"u8;

    /// <summary>ID of the message choosing the active take.</summary>
    public static ReadOnlySpan<byte> SelectId => "AceStep.SelectTake"u8;

    /// <summary>ID of the message emptying a slot.</summary>
    public static ReadOnlySpan<byte> RetireId => "AceStep.RetireTake"u8;

    /// <summary>
    /// Handles <paramref name="message"/> if it is one of the take messages: <c>kResultOk</c> when applied,
    /// <c>kInvalidArgument</c> when malformed (nothing changes), <c>kResultFalse</c> for any other message.
    /// </summary>
    /// <param name="message">The host's <c>IMessage*</c>.</param>
    /// <param name="slots">The processor's take slots.</param>
    /// <returns>The <c>tresult</c> for <c>notify</c>.</returns>
    public static int Handle(void* message, TakeSlots slots)
    {
        bool isTake = HostMessageCalls.HasId(message, TakeId);
        bool isSelect = !isTake && HostMessageCalls.HasId(message, SelectId);
        bool isRetire = !isTake && !isSelect && HostMessageCalls.HasId(message, RetireId);
        if (!isTake && !isSelect && !isRetire)
        {
            return Vst3Result.False;
        }

        void* attributes = HostMessageCalls.Attributes(message);
        if (attributes == null)
        {
            return Vst3Result.InvalidArgument;
        }

        if (isSelect)
        {
            if (!HostMessageCalls.TryGetInt(attributes, "slot"u8, out long selected) || selected < TakeSlots.None || selected >= TakeSlots.Count)
            {
                return Vst3Result.InvalidArgument;
            }

            slots.Select((int)selected);
            return Vst3Result.Ok;
        }

        if (isRetire)
        {
            if (!HostMessageCalls.TryGetInt(attributes, "slot"u8, out long retired) || retired < 0 || retired >= TakeSlots.Count)
            {
                return Vst3Result.InvalidArgument;
            }

            slots.Retire((int)retired);
            return Vst3Result.Ok;
        }

        long slot = HostMessageCalls.TryGetInt(attributes, "slot"u8, out long s) ? s : 0;
        bool planar = HostMessageCalls.TryGetInt(attributes, "planar"u8, out long p) && p != 0;
        bool activate = !HostMessageCalls.TryGetInt(attributes, "activate"u8, out long a) || a != 0;
        if (slot is < 0 or >= TakeSlots.Count
            || !HostMessageCalls.TryGetInt(attributes, "channels"u8, out long channels) || channels is < 1 or > 2
            || !HostMessageCalls.TryGetInt(attributes, "position"u8, out long position) || position < 0
            || !HostMessageCalls.TryGetFloat(attributes, "sampleRate"u8, out double sampleRate) || !(sampleRate > 0) || !double.IsFinite(sampleRate)
            || !HostMessageCalls.TryGetBinary(attributes, "samples"u8, out var bytes)
            || bytes.Length == 0 || bytes.Length % (sizeof(float) * (int)channels) != 0)
        {
            return Vst3Result.InvalidArgument;
        }

        var samples = ToFloats(bytes);
        var take = planar
            ? Take.FromPlanar(position, sampleRate, (int)channels, samples)
            : Take.FromInterleaved(position, sampleRate, (int)channels, samples);
        slots.Publish((int)slot, take, activate);
        return Vst3Result.Ok;
    }

    /// <summary>The samples as floats: reinterpreted where the machine is little-endian (and the bytes aligned), else converted.</summary>
    private static ReadOnlySpan<float> ToFloats(ReadOnlySpan<byte> bytes)
    {
        fixed (byte* start = bytes)
        {
            if (BitConverter.IsLittleEndian && ((nint)start % sizeof(float)) == 0)
            {
                return MemoryMarshal.Cast<byte, float>(bytes);
            }
        }

        var floats = new float[bytes.Length / sizeof(float)];
        for (int i = 0; i < floats.Length; i++)
        {
            floats[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * sizeof(float))..]);
        }

        return floats;
    }
}
