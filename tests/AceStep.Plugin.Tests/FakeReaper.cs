using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using AceStep.Vst3;
using AceStep.Vst3.Hosting;

namespace AceStep.Plugin.Tests;

/// <summary>
/// A stand-in for REAPER's <c>IReaperHostApplication</c> (reaper_vst3_interfaces.h: getReaperApi, getReaperParent,
/// reaperExtended after FUnknown): API functions are C# function pointers that answer from the fields below and record
/// every call, so tests see what the plugin asked REAPER to do. One at a time per process (the functions are static,
/// as REAPER's are).
/// </summary>
internal sealed unsafe class FakeReaper : HostComObject
{
    /// <summary>IReaperHostApplication's IID: 79655E36-77EE4267-A573FEF7-4912C27C.</summary>
    public static readonly Vst3Uid Iid = new(0x79655E36, 0x77EE4267, 0xA573FEF7, 0x4912C27C);

    public const nint Track = 0x7AC0;
    public const nint Project = 0x9E0;

    private static readonly void** s_vtable = BuildVtable();
    private static readonly Dictionary<string, nint> s_functions = BuildFunctions();
    private static FakeReaper? s_current;

    public FakeReaper(string projectFolder)
        : base(s_vtable)
    {
        ProjectFolder = projectFolder;
        s_current = this;
    }

    /// <summary>What GetSet_LoopTimeRange2 answers (start = end: no selection).</summary>
    public (double Start, double End) TimeSelection { get; set; }

    public string ProjectFolder { get; }

    /// <summary>Every call, in order: "name(args)".</summary>
    public List<string> Calls { get; } = [];

    /// <summary>The timer the plugin registered with plugin_register("timer"), or 0.</summary>
    public nint Timer { get; private set; }

    /// <summary>Runs the registered timer, as REAPER does on its main thread.</summary>
    public void RunTimer()
    {
        Assert.NotEqual(0, Timer);
        ((delegate* unmanaged<void>)Timer)();
    }

    protected override bool SupportsInterface(in Tuid iid) => iid == Iid.Tuid;

    private static FakeReaper Current => s_current ?? throw new InvalidOperationException("No FakeReaper.");

    private void Record(string call)
    {
        lock (Calls)
            Calls.Add(call);
    }

    private static void** BuildVtable()
    {
        void** vtable = CreateVtable(6);
        vtable[3] = (delegate* unmanaged[MemberFunction]<void*, byte*, void*>)&GetReaperApi;
        vtable[4] = (delegate* unmanaged[MemberFunction]<void*, uint, void*>)&GetReaperParent;
        vtable[5] = (delegate* unmanaged[MemberFunction]<void*, uint, void*, void*, void*, void*>)&ReaperExtended;
        return vtable;
    }

    private static Dictionary<string, nint> BuildFunctions() => new()
    {
        ["GetSet_LoopTimeRange2"] = (nint)(delegate* unmanaged<nint, byte, byte, double*, double*, byte, void>)&LoopTimeRange,
        ["GetProjectPathEx"] = (nint)(delegate* unmanaged<nint, byte*, int, void>)&ProjectPathEx,
        ["AddMediaItemToTrack"] = (nint)(delegate* unmanaged<nint, nint>)&AddItem,
        ["AddTakeToMediaItem"] = (nint)(delegate* unmanaged<nint, nint>)&AddTake,
        ["PCM_Source_CreateFromFile"] = (nint)(delegate* unmanaged<byte*, nint>)&SourceFromFile,
        ["SetMediaItemTake_Source"] = (nint)(delegate* unmanaged<nint, nint, byte>)&SetTakeSource,
        ["SetMediaItemInfo_Value"] = (nint)(delegate* unmanaged<nint, byte*, double, byte>)&SetItemValue,
        ["Undo_BeginBlock2"] = (nint)(delegate* unmanaged<nint, void>)&UndoBegin,
        ["Undo_EndBlock2"] = (nint)(delegate* unmanaged<nint, byte*, int, void>)&UndoEnd,
        ["UpdateArrange"] = (nint)(delegate* unmanaged<void>)&UpdateArrange,
        ["plugin_register"] = (nint)(delegate* unmanaged<byte*, nint, int>)&PluginRegister,
    };

    private static string Text(byte* text) => Encoding.UTF8.GetString(MemoryMarshal.CreateReadOnlySpanFromNullTerminated(text));

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static void* GetReaperApi(void* self, byte* name) =>
        s_functions.TryGetValue(Text(name), out nint function) ? (void*)function : null;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static void* GetReaperParent(void* self, uint which) => which switch
    {
        1 => (void*)Track,
        3 => (void*)Project,
        _ => null,
    };

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static void* ReaperExtended(void* self, uint call, void* a, void* b, void* c) => null;

    [UnmanagedCallersOnly]
    private static void LoopTimeRange(nint project, byte isSet, byte isLoop, double* start, double* end, byte seek)
    {
        Current.Record($"GetSet_LoopTimeRange2({project:X},{isSet},{isLoop})");
        if (isSet == 0)
        {
            *start = Current.TimeSelection.Start;
            *end = Current.TimeSelection.End;
        }
    }

    [UnmanagedCallersOnly]
    private static void ProjectPathEx(nint project, byte* buffer, int size)
    {
        Current.Record($"GetProjectPathEx({project:X})");
        byte[] path = Encoding.UTF8.GetBytes(Current.ProjectFolder + "\0");
        path.AsSpan(0, Math.Min(path.Length, size)).CopyTo(new Span<byte>(buffer, size));
    }

    [UnmanagedCallersOnly]
    private static nint AddItem(nint track)
    {
        Current.Record($"AddMediaItemToTrack({track:X})");
        return 0x1100;
    }

    [UnmanagedCallersOnly]
    private static nint AddTake(nint item)
    {
        Current.Record($"AddTakeToMediaItem({item:X})");
        return 0x2200;
    }

    [UnmanagedCallersOnly]
    private static nint SourceFromFile(byte* file)
    {
        Current.Record($"PCM_Source_CreateFromFile({Text(file)})");
        return 0x3300;
    }

    [UnmanagedCallersOnly]
    private static byte SetTakeSource(nint take, nint source)
    {
        Current.Record($"SetMediaItemTake_Source({take:X},{source:X})");
        return 1;
    }

    [UnmanagedCallersOnly]
    private static byte SetItemValue(nint item, byte* name, double value)
    {
        Current.Record(FormattableString.Invariant($"SetMediaItemInfo_Value({item:X},{Text(name)},{value:R})"));
        return 1;
    }

    [UnmanagedCallersOnly]
    private static void UndoBegin(nint project) => Current.Record($"Undo_BeginBlock2({project:X})");

    [UnmanagedCallersOnly]
    private static void UndoEnd(nint project, byte* description, int flags) => Current.Record($"Undo_EndBlock2({project:X},{Text(description)},{flags})");

    [UnmanagedCallersOnly]
    private static void UpdateArrange() => Current.Record("UpdateArrange()");

    [UnmanagedCallersOnly]
    private static int PluginRegister(byte* name, nint info)
    {
        string text = Text(name);
        Current.Record($"plugin_register({text})");
        if (text == "timer")
        {
            Current.Timer = info;
        }
        else if (text == "-timer" && Current.Timer == info)
        {
            Current.Timer = 0;
        }

        return 1;
    }
}
