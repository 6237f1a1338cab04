using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text;
using AceStep.Plugin.Interop;
using AceStep.Vst3;

namespace AceStep.Plugin.Session.Reaper;

/// <summary>A time selection in seconds on REAPER's project timeline.</summary>
/// <param name="Start">Start, seconds.</param>
/// <param name="End">End, seconds.</param>
internal sealed record ReaperSelection(double Start, double End);

/// <summary>
/// REAPER's host extension (<c>IReaperHostApplication</c>, from <c>reaper_vst3_interfaces.h</c>): reached by querying
/// the context given to <c>initialize</c>, it hands out REAPER's API functions by name and the objects the plugin sits
/// in (track = 1, project = 3). Used for three things:
/// <list type="bullet">
/// <item>the time selection (<c>GetSet_LoopTimeRange2</c>, read-only, by the worker — never the audio thread), which
/// becomes the job range ahead of the cycle;</item>
/// <item>the project's media folder (<c>GetProjectPathEx</c>), where takes are saved;</item>
/// <item>inserting each saved take as a new item on the plugin's own track at its position. That changes the project,
/// which REAPER wants on its main thread: the insert is queued and run by a timer registered with
/// <c>plugin_register("timer", …)</c>, which REAPER calls on its main thread (the mechanism extensions use), and also
/// by the processor's own main-thread entry points, whichever comes first.</item>
/// </list>
/// </summary>
internal sealed unsafe class ReaperLink : IDisposable
{
    /// <summary><c>IReaperHostApplication</c>: 79655E36-77EE4267-A573FEF7-4912C27C.</summary>
    public static readonly Vst3Uid Iid = new(0x79655E36, 0x77EE4267, 0xA573FEF7, 0x4912C27C);

    private const int GetReaperApiSlot = 3;
    private const int GetReaperParentSlot = 4;
    private const int ParentTrack = 1;
    private const int ParentProject = 3;

    private static readonly object s_timerGate = new();
    private static readonly List<ReaperLink> s_live = [];
    private static nint s_registeredWith;

    private readonly ConcurrentQueue<PendingInsert> _inserts = new();
    private readonly delegate* unmanaged<nint, byte, byte, double*, double*, byte, void> _loopTimeRange;
    private readonly delegate* unmanaged<nint, byte*, int, void> _projectPathEx;
    private readonly delegate* unmanaged<byte*, int, void> _projectPath;
    private readonly delegate* unmanaged<nint, nint> _addItem;
    private readonly delegate* unmanaged<nint, nint> _addTake;
    private readonly delegate* unmanaged<byte*, nint> _sourceFromFile;
    private readonly delegate* unmanaged<nint, nint, byte> _setTakeSource;
    private readonly delegate* unmanaged<nint, byte*, double, byte> _setItemValue;
    private readonly delegate* unmanaged<nint, void> _undoBegin;
    private readonly delegate* unmanaged<nint, byte*, int, void> _undoEnd;
    private readonly delegate* unmanaged<void> _updateArrange;
    private readonly delegate* unmanaged<byte*, nint, int> _pluginRegister;
    // Worker calls (selection, folder) and the main thread's dispose never overlap: REAPER's object is released only
    // once no call is using it.
    private readonly object _sync = new();
    private void* _host;
    private volatile ReaperSelection? _selection;

    private ReaperLink(void* host)
    {
        _host = host;
        _loopTimeRange = (delegate* unmanaged<nint, byte, byte, double*, double*, byte, void>)Api("GetSet_LoopTimeRange2");
        _projectPathEx = (delegate* unmanaged<nint, byte*, int, void>)Api("GetProjectPathEx");
        _projectPath = (delegate* unmanaged<byte*, int, void>)Api("GetProjectPath");
        _addItem = (delegate* unmanaged<nint, nint>)Api("AddMediaItemToTrack");
        _addTake = (delegate* unmanaged<nint, nint>)Api("AddTakeToMediaItem");
        _sourceFromFile = (delegate* unmanaged<byte*, nint>)Api("PCM_Source_CreateFromFile");
        _setTakeSource = (delegate* unmanaged<nint, nint, byte>)Api("SetMediaItemTake_Source");
        _setItemValue = (delegate* unmanaged<nint, byte*, double, byte>)Api("SetMediaItemInfo_Value");
        _undoBegin = (delegate* unmanaged<nint, void>)Api("Undo_BeginBlock2");
        _undoEnd = (delegate* unmanaged<nint, byte*, int, void>)Api("Undo_EndBlock2");
        _updateArrange = (delegate* unmanaged<void>)Api("UpdateArrange");
        _pluginRegister = (delegate* unmanaged<byte*, nint, int>)Api("plugin_register");
    }

    /// <summary>The time selection the worker last read, or null (none, or not REAPER).</summary>
    public ReaperSelection? Selection => _selection;

    /// <summary>Takes waiting for the main thread.</summary>
    public int PendingInserts => _inserts.Count;

    /// <summary>The extension when <paramref name="context"/> is REAPER's (main thread, from initialize), else null.</summary>
    public static ReaperLink? TryCreate(void* context)
    {
        if (context == null)
            return null;
        void* host = HostUnknown.Query(context, Iid);
        if (host == null)
            return null;
        var link = new ReaperLink(host);
        link.RegisterTimer();
        return link;
    }

    /// <summary>Reads REAPER's time selection (worker thread; the call only reads the project).</summary>
    public void RefreshSelection()
    {
        lock (_sync)
        {
            if (_loopTimeRange == null || _host == null)
                return;
            double start = 0, end = 0;
            _loopTimeRange(Parent(ParentProject), 0, 0, &start, &end, 0);
            _selection = end > start && start >= 0 ? new ReaperSelection(start, end) : null;
        }
    }

    /// <summary>The project's media folder (where REAPER records), or null when REAPER does not say.</summary>
    public string? ProjectFolder()
    {
        lock (_sync)
            return ReadProjectFolder();
    }

    private string? ReadProjectFolder()
    {
        if (_host == null)
            return null;
        var buffer = stackalloc byte[4096];
        buffer[0] = 0;
        if (_projectPathEx != null)
            _projectPathEx(Parent(ParentProject), buffer, 4096);
        else if (_projectPath != null)
            _projectPath(buffer, 4096);
        else
            return null;
        buffer[4095] = 0;
        var path = Encoding.UTF8.GetString(MemoryMarshal.CreateReadOnlySpanFromNullTerminated(buffer));
        return path.Length == 0 ? null : path;
    }

    /// <summary>Queues the insert of <paramref name="file"/> as a new item on the plugin's track at <paramref name="startSeconds"/>.</summary>
    public void QueueInsert(string file, double startSeconds, double lengthSeconds)
    {
        _inserts.Enqueue(new PendingInsert(file, startSeconds, lengthSeconds));
    }

    /// <summary>Runs the queued inserts. REAPER's main thread only (its timer, or a main-thread entry point of ours).</summary>
    public void RunPendingInserts()
    {
        if (_host == null || _inserts.IsEmpty || _addItem == null || _addTake == null || _sourceFromFile == null
            || _setTakeSource == null || _setItemValue == null)
            return;
        nint track = Parent(ParentTrack);
        nint project = Parent(ParentProject);
        if (track == 0)
            return;
        while (_inserts.TryDequeue(out var insert))
        {
            if (_undoBegin != null)
                _undoBegin(project);
            nint item = _addItem(track);
            nint take = item == 0 ? 0 : _addTake(item);
            nint source = 0;
            fixed (byte* file = Utf8Z(insert.File))
                source = take == 0 ? 0 : _sourceFromFile(file);
            if (source != 0)
            {
                _setTakeSource(take, source);
                fixed (byte* position = "D_POSITION\0"u8)
                    _setItemValue(item, position, insert.Start);
                fixed (byte* length = "D_LENGTH\0"u8)
                    _setItemValue(item, length, insert.Length);
                // Muted: it sits on the plugin's own track, over the original. Unmuted it would play together with the
                // original and the plugin's own playback of the take, and the plugin would record it as new input.
                // The producer unmutes it to commit the take (and bypasses the plugin or mutes the original there).
                fixed (byte* mute = "B_MUTE\0"u8)
                    _setItemValue(item, mute, 1);
            }

            if (_undoEnd != null)
            {
                fixed (byte* description = "AceStep take\0"u8)
                    _undoEnd(project, description, -1);
            }
        }

        if (_updateArrange != null)
            _updateArrange();
    }

    /// <summary>Drops the extension (terminate, main thread).</summary>
    public void Dispose()
    {
        lock (s_timerGate)
        {
            s_live.Remove(this);
            if (s_live.Count == 0 && s_registeredWith != 0 && _pluginRegister != null)
            {
                fixed (byte* name = "-timer\0"u8)
                    _pluginRegister(name, (nint)(delegate* unmanaged<void>)&OnTimer);
                s_registeredWith = 0;
            }
        }

        void* host;
        lock (_sync)
        {
            host = _host;
            _host = null;
        }

        if (host != null)
            HostUnknown.Release(host);
    }

    private void RegisterTimer()
    {
        lock (s_timerGate)
        {
            s_live.Add(this);
            if (s_registeredWith == 0 && _pluginRegister != null)
            {
                fixed (byte* name = "timer\0"u8)
                    _pluginRegister(name, (nint)(delegate* unmanaged<void>)&OnTimer);
                s_registeredWith = (nint)_host;
            }
        }
    }

    [UnmanagedCallersOnly]
    private static void OnTimer()
    {
        try
        {
            ReaperLink[] live;
            lock (s_timerGate)
                live = [.. s_live];
            foreach (var link in live)
                link.RunPendingInserts();
        }
#pragma warning disable CA1031 // Nothing may unwind into REAPER.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private void* Api(string name)
    {
        var getApi = (delegate* unmanaged[MemberFunction]<void*, byte*, void*>)(*(void***)_host)[GetReaperApiSlot];
        fixed (byte* text = Utf8Z(name))
            return getApi(_host, text);
    }

    private nint Parent(int which)
    {
        var getParent = (delegate* unmanaged[MemberFunction]<void*, uint, void*>)(*(void***)_host)[GetReaperParentSlot];
        return (nint)getParent(_host, (uint)which);
    }

    private static byte[] Utf8Z(string text)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(text) + 1];
        Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }

    private sealed record PendingInsert(string File, double Start, double Length);
}
