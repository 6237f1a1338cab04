using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using AceStep.Plugin.Interop;

namespace AceStep.Plugin.Editor;

/// <summary>How an OLE drag ended.</summary>
internal enum OleDragOutcome
{
    /// <summary>A drop target took the file (DoDragDrop said DRAGDROP_S_DROP with the copy effect).</summary>
    Dropped,

    /// <summary>Released where nothing takes files, or cancelled with Escape.</summary>
    NotDropped,

    /// <summary>DoDragDrop itself failed (an HRESULT error); nothing was dropped.</summary>
    Failed,
}

/// <summary>
/// The editor window as an OLE drag source on Windows: one file offered as <c>CF_HDROP</c> (what Explorer and every
/// Windows DAW's arrange view read), dragged with ole32's modal <c>DoDragDrop</c>. <see cref="Prepare"/> runs on the
/// window procedure's mouse-move (it only initializes OLE and remembers the file, so the editor can record the drag
/// before it starts); <see cref="Run"/> runs from a message the window posts to itself, so the modal loop never runs
/// inside the editor's own pointer handling.
/// </summary>
[SupportedOSPlatform("windows")]
internal sealed unsafe class Win32DragSource
{
    private const int SOk = 0;
    private const int DragDropSDrop = 0x00040100;
    private const int DragDropSCancel = 0x00040101;
    private const uint DropEffectCopy = 1;

    // The file of a prepared drag that has not started, and whether DoDragDrop is under way. The two are apart so
    // that Abandon (the view removed, perhaps from inside the modal loop) never uninitializes OLE under a running drag.
    private string? _pending;
    private bool _running;

    /// <summary>Whether a drag was prepared and has not run yet.</summary>
    public bool Pending => _pending is not null;

    /// <summary>
    /// Gets OLE ready on this (the UI) thread for dragging <paramref name="path"/>. False when this thread cannot do
    /// OLE drag and drop: a host whose UI thread joined the multithreaded apartment (RPC_E_CHANGED_MODE), or a
    /// drag already prepared.
    /// </summary>
    public bool Prepare(string path)
    {
        if (_pending is not null || _running)
            return false;
        // S_OK and S_FALSE (the host initialized OLE already) both count once and are balanced by Run or Abandon.
        int hr = OleInitialize(null);
        if (hr < 0)
            return false;
        _pending = path;
        return true;
    }

    /// <summary>Runs the prepared drag to its end (modal: the thread's messages keep being dispatched meanwhile).</summary>
    public OleDragOutcome Run()
    {
        if (_pending is not { } path)
            return OleDragOutcome.Failed;
        _pending = null;
        _running = true;
        var data = new OleFileDataObject(path);
        var source = new OleDropSource();
        try
        {
            uint effect = 0;
            int hr = DoDragDrop(data.Slot(0), source.Slot(0), DropEffectCopy, &effect);
            return hr switch
            {
                DragDropSDrop when (effect & DropEffectCopy) != 0 => OleDragOutcome.Dropped,
                DragDropSDrop or DragDropSCancel or SOk => OleDragOutcome.NotDropped,
                _ => OleDragOutcome.Failed,
            };
        }
        finally
        {
            // DoDragDrop took its own references and gave them back; ours go now.
            data.Release();
            source.Release();
            _running = false;
            OleUninitialize();
        }
    }

    /// <summary>Drops a prepared drag that will never run (the window went away first); a running one ends by itself.</summary>
    public void Abandon()
    {
        if (_pending is null)
            return;
        _pending = null;
        OleUninitialize();
    }

    [DllImport("ole32")]
    private static extern int OleInitialize(void* reserved);

    [DllImport("ole32")]
    private static extern void OleUninitialize();

    [DllImport("ole32")]
    private static extern int DoDragDrop(void* dataObject, void* dropSource, uint okEffects, uint* effect);
}
