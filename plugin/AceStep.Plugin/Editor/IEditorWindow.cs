namespace AceStep.Plugin.Editor;

/// <summary>
/// The platform seam of the editor: one native child window in the host's parent, showing an <see cref="Editor"/>.
/// Every call comes on the host's UI thread (IPlugView calls and, on Linux, the host's IRunLoop callbacks).
/// </summary>
internal interface IEditorWindow : IDisposable
{
    /// <summary>
    /// The file descriptor the host's run loop must watch (<c>IRunLoop::registerEventHandler</c>), or -1 where the
    /// operating system delivers the window's events itself (Windows, macOS).
    /// </summary>
    int EventFd { get; }

    /// <summary>Creates the child window inside <paramref name="parent"/> at the given physical size; false if it cannot.</summary>
    bool Open(nint parent, int width, int height);

    /// <summary>The host resized the view.</summary>
    void Resize(int width, int height);

    /// <summary>Handles the window's pending events (the host's run loop saw the fd readable, or a timer tick).</summary>
    void ProcessEvents();

    /// <summary>Draws the editor when it changed.</summary>
    void Present();

    /// <summary>
    /// Drags a file out of the window while the mouse button is held (a take onto a DAW's track), ending with
    /// <see cref="Editor.FileDragEnded"/>. False where the window system's drag source is not written or cannot start
    /// (nothing started): X11 drags with XDND, Windows with OLE (<c>DoDragDrop</c>, <c>CF_HDROP</c>); macOS
    /// (NSDraggingSource) answers false.
    /// </summary>
    bool StartFileDrag(string path) => false;
}
