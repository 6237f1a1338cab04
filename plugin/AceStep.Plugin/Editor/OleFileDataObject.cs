using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using AceStep.Plugin.Interop;
using AceStep.Vst3;

namespace AceStep.Plugin.Editor;

/// <summary>
/// <c>IDataObject</c> offering one file as <c>CF_HDROP</c> in an <c>HGLOBAL</c> (<see cref="DropFilesBlock"/>), the
/// format every Windows file drop target reads. It answers for that one format only: other formats, media, aspects
/// or indexes get the matching DV_E_* error, setting data and advise sinks are not supported.
/// </summary>
[SupportedOSPlatform("windows")]
internal sealed unsafe class OleFileDataObject(string path) : ComObject([OleFileDataObjectVtable.Vtable])
{
    /// <summary>CF_HDROP.</summary>
    public const ushort ClipboardFormatHdrop = 15;

    /// <summary>TYMED_HGLOBAL.</summary>
    public const uint MediumHGlobal = 1;

    private const uint AspectContent = 1; // DVASPECT_CONTENT
    private const int DvEFormatEtc = unchecked((int)0x80040064);
    private const int DvELIndex = unchecked((int)0x80040068);
    private const int DvETymed = unchecked((int)0x80040069);
    private const int DvEDvAspect = unchecked((int)0x8004006B);
    private const int EOutOfMemory = unchecked((int)0x8007000E);
    private const uint GMemMoveable = 0x0002;

    /// <summary>The format offered, as <c>EnumFormatEtc</c> lists it.</summary>
    public static FormatEtc Offered => new() { Format = ClipboardFormatHdrop, Aspect = AspectContent, Index = -1, Medium = MediumHGlobal };

    /// <summary>S_OK when <paramref name="format"/> asks for what this object offers, else the DV_E_* that says why not.</summary>
    public static int Check(in FormatEtc format) =>
        format.Format != ClipboardFormatHdrop ? DvEFormatEtc
        : (format.Medium & MediumHGlobal) == 0 ? DvETymed
        : format.Aspect != AspectContent ? DvEDvAspect
        : format.Index != -1 ? DvELIndex
        : 0;

    /// <summary>Fills <paramref name="medium"/> with a fresh <c>HGLOBAL</c> holding the drop block; the receiver frees it
    /// (ReleaseStgMedium), as no release object is given.</summary>
    public int GetData(in FormatEtc format, StgMedium* medium)
    {
        int check = Check(format);
        if (check != 0)
            return check;
        byte[] block = DropFilesBlock.Build([path]);
        nint memory = GlobalAlloc(GMemMoveable, (nuint)block.Length);
        if (memory == 0)
            return EOutOfMemory;
        void* bytes = GlobalLock(memory);
        if (bytes == null)
        {
            _ = GlobalFree(memory);
            return EOutOfMemory;
        }

        Marshal.Copy(block, 0, (nint)bytes, block.Length);
        _ = GlobalUnlock(memory); // 0 once the lock count is back to zero, which is what the receiver needs
        medium->Medium = MediumHGlobal;
        medium->Handle = memory;
        medium->ReleaseObject = null;
        return 0;
    }

    protected override int SlotFor(in Tuid iid) => iid == OleIids.IDataObject ? 0 : -1;

    protected override void OnDestroy()
    {
    }

    [DllImport("kernel32")]
    private static extern nint GlobalAlloc(uint flags, nuint bytes);

    [DllImport("kernel32")]
    private static extern void* GlobalLock(nint memory);

    [DllImport("kernel32")]
    private static extern int GlobalUnlock(nint memory);

    [DllImport("kernel32")]
    private static extern nint GlobalFree(nint memory);
}

/// <summary><c>FORMATETC</c> (x64 layout: 32 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct FormatEtc
{
    public ushort Format;
    public void* TargetDevice;
    public uint Aspect;
    public int Index;
    public uint Medium;
}

/// <summary><c>STGMEDIUM</c> (x64 layout: 24 bytes); <see cref="Handle"/> is the union's HGLOBAL.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct StgMedium
{
    public uint Medium;
    public nint Handle;
    public void* ReleaseObject;
}

/// <summary>The native entry points of <see cref="OleFileDataObject"/>. Each catches everything: an exception unwinding
/// into ole32 or the drop target ends the host (CA1031 is suppressed for that reason only).</summary>
[SupportedOSPlatform("windows")]
internal static unsafe class OleFileDataObjectVtable
{
    private const int EInvalidArg = unchecked((int)0x80070057);
    private const int ENotImpl = unchecked((int)0x80004001);
    private const int EUnexpected = unchecked((int)0x8000FFFF);
    private const int OleEAdviseNotSupported = unchecked((int)0x80040003);
    private const uint DataDirGet = 1;

    public static nint Vtable { get; } = (nint)Create();

    private static void** Create()
    {
        void** v = ComObjectVtables.Create(12);
        v[3] = (delegate* unmanaged[MemberFunction]<void*, FormatEtc*, StgMedium*, int>)&GetData;
        v[4] = (delegate* unmanaged[MemberFunction]<void*, FormatEtc*, StgMedium*, int>)&GetDataHere;
        v[5] = (delegate* unmanaged[MemberFunction]<void*, FormatEtc*, int>)&QueryGetData;
        v[6] = (delegate* unmanaged[MemberFunction]<void*, FormatEtc*, FormatEtc*, int>)&GetCanonicalFormatEtc;
        v[7] = (delegate* unmanaged[MemberFunction]<void*, FormatEtc*, StgMedium*, int, int>)&SetData;
        v[8] = (delegate* unmanaged[MemberFunction]<void*, uint, void**, int>)&EnumFormatEtc;
        v[9] = (delegate* unmanaged[MemberFunction]<void*, FormatEtc*, uint, void*, uint*, int>)&DAdvise;
        v[10] = (delegate* unmanaged[MemberFunction]<void*, uint, int>)&DUnadvise;
        v[11] = (delegate* unmanaged[MemberFunction]<void*, void**, int>)&EnumDAdvise;
        return v;
    }

#pragma warning disable CA1031

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int GetData(void* self, FormatEtc* format, StgMedium* medium)
    {
        try
        {
            if (format == null || medium == null)
                return EInvalidArg;
            return NativeSlots.Resolve<OleFileDataObject>(self) is { } data ? data.GetData(*format, medium) : EUnexpected;
        }
        catch (Exception)
        {
            return EUnexpected;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int GetDataHere(void* self, FormatEtc* format, StgMedium* medium) => ENotImpl;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int QueryGetData(void* self, FormatEtc* format) =>
        format == null ? EInvalidArg : OleFileDataObject.Check(*format);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int GetCanonicalFormatEtc(void* self, FormatEtc* format, FormatEtc* canonical)
    {
        if (canonical != null)
            canonical->TargetDevice = null;
        return ENotImpl;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int SetData(void* self, FormatEtc* format, StgMedium* medium, int release) => ENotImpl;

    /// <summary>Lists the one format through shell32's standard enumerator (it copies the array it is given).</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int EnumFormatEtc(void* self, uint direction, void** enumerator)
    {
        try
        {
            if (enumerator == null)
                return EInvalidArg;
            *enumerator = null;
            if (direction != DataDirGet)
                return ENotImpl;
            var offered = OleFileDataObject.Offered;
            return SHCreateStdEnumFmtEtc(1, &offered, enumerator);
        }
        catch (Exception)
        {
            return EUnexpected;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int DAdvise(void* self, FormatEtc* format, uint flags, void* sink, uint* connection) => OleEAdviseNotSupported;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int DUnadvise(void* self, uint connection) => OleEAdviseNotSupported;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int EnumDAdvise(void* self, void** enumerator)
    {
        if (enumerator != null)
            *enumerator = null;
        return OleEAdviseNotSupported;
    }

#pragma warning restore CA1031

    [DllImport("shell32")]
    private static extern int SHCreateStdEnumFmtEtc(uint count, FormatEtc* formats, void** enumerator);
}
