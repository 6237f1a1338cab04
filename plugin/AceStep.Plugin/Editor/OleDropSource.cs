using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using AceStep.Plugin.Interop;
using AceStep.Vst3;

namespace AceStep.Plugin.Editor;

/// <summary>
/// <c>IDropSource</c>: the drag goes on while the left button is held, drops when it is released, and is cancelled by
/// Escape; the system's cursors show what the target will do.
/// </summary>
[SupportedOSPlatform("windows")]
internal sealed unsafe class OleDropSource() : ComObject([OleDropSourceVtable.Vtable])
{
    /// <summary>DRAGDROP_S_DROP.</summary>
    public const int Drop = 0x00040100;

    /// <summary>DRAGDROP_S_CANCEL.</summary>
    public const int Cancel = 0x00040101;

    /// <summary>DRAGDROP_S_USEDEFAULTCURSORS.</summary>
    public const int UseDefaultCursors = 0x00040102;

    private const uint LeftButton = 0x0001; // MK_LBUTTON

    private static readonly Tuid s_iid = OleIids.IDropSource;

    /// <summary>The answer to <c>QueryContinueDrag</c>: S_OK (go on), DRAGDROP_S_CANCEL or DRAGDROP_S_DROP.</summary>
    public static int QueryContinueDrag(bool escapePressed, uint keyState) =>
        escapePressed ? Cancel : (keyState & LeftButton) == 0 ? Drop : 0;

    protected override int SlotFor(in Tuid iid) => iid == s_iid ? 0 : -1;

    protected override void OnDestroy()
    {
    }
}

/// <summary>The native entry points of <see cref="OleDropSource"/>.</summary>
[SupportedOSPlatform("windows")]
internal static unsafe class OleDropSourceVtable
{
    public static nint Vtable { get; } = (nint)Create();

    private static void** Create()
    {
        void** v = ComObjectVtables.Create(5);
        v[3] = (delegate* unmanaged[MemberFunction]<void*, int, uint, int>)&QueryContinueDrag;
        v[4] = (delegate* unmanaged[MemberFunction]<void*, uint, int>)&GiveFeedback;
        return v;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int QueryContinueDrag(void* self, int escapePressed, uint keyState) =>
        OleDropSource.QueryContinueDrag(escapePressed != 0, keyState);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int GiveFeedback(void* self, uint effect) => OleDropSource.UseDefaultCursors;
}
