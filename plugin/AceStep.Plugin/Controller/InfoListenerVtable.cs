using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using AceStep.Plugin.Interop;
using AceStep.Vst3;

namespace AceStep.Plugin.Controller;

/// <summary>
/// <c>IInfoListener</c> on the controller: hosts (Ardour, Cubase, Studio One, REAPER) say which track the instance is
/// on — its name and colour — when it is inserted and whenever the track changes, so each control page can say whose it is.
/// </summary>
internal static unsafe class InfoListenerVtable
{
    /// <summary>The vtable (built once; FUnknown entries go through <see cref="ComObject"/>).</summary>
    public static nint Vtable { get; } = (nint)Create();

    private static ReadOnlySpan<byte> NameKey => "channel name"u8;

    private static ReadOnlySpan<byte> ColorKey => "channel color"u8;

    private static void** Create()
    {
        void** vtable = ComObjectVtables.Create(InfoListenerSlots.Count);
        vtable[InfoListenerSlots.SetChannelContextInfos] = (delegate* unmanaged[MemberFunction]<void*, void*, int>)&SetChannelContextInfos;
        return vtable;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int SetChannelContextInfos(void* self, void* attributes)
    {
#pragma warning disable CA1031 // Nothing may unwind into the host.
        try
        {
            if (NativeSlots.Resolve<AceStepController>(self) is not { } controller || attributes == null)
                return Vst3Result.InvalidArgument;
            string? name = HostMessageCalls.TryGetString(attributes, NameKey, out string text) && text.Length > 0 ? text : null;
            uint? color = HostMessageCalls.TryGetInt(attributes, ColorKey, out long argb) ? (uint)argb : null;
            controller.SetTrack(new TrackInfo(name, color));
            return Vst3Result.Ok;
        }
        catch (Exception)
        {
            return Vst3Result.InternalError;
        }
#pragma warning restore CA1031
    }
}

/// <summary>The track an instance sits on, as the host names it.</summary>
/// <param name="Name">The track's name in the mixer, or null when the host does not say.</param>
/// <param name="Color">Its colour as ARGB, or null.</param>
internal sealed record TrackInfo(string? Name, uint? Color)
{
    /// <summary>"#rrggbb" for a page, or null.</summary>
    public string? CssColor => Color is { } c ? $"#{(c >> 16) & 0xFF:x2}{(c >> 8) & 0xFF:x2}{c & 0xFF:x2}" : null;
}
