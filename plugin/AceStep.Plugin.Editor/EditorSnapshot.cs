using AceStep.Contracts.Sessions;

namespace AceStep.Plugin.Editor;

/// <summary>What the editor shows, as the plugin's worker keeps it (the same view the control page gets).</summary>
internal sealed record EditorSnapshot
{
    /// <summary>The session view, or null while the plugin cannot give one (see <see cref="Unavailable"/>).</summary>
    public SessionView? View { get; init; }

    /// <summary>Why there is no view, in words (the host has not activated the plugin, it runs in another process).</summary>
    public string Unavailable { get; init; } = "";

    /// <summary>Parts of the range (seconds on the timeline) not captured yet: a repaint or cover needs them played once.</summary>
    public IReadOnlyList<TimeRange> Missing { get; init; } = [];

    /// <summary>Whether the worker loop runs (the host activated the plugin).</summary>
    public bool Running { get; init; }
}

/// <summary>A stretch of the project timeline in seconds.</summary>
internal readonly record struct TimeRange(double Start, double End);

/// <summary>What the editor asks of the plugin. Called on the UI thread; implementations must not block it.</summary>
internal interface IEditorActions
{
    /// <summary>A command as the control page sends it (generate, cancel, settings, selectTake, listen, deleteTake).</summary>
    void Send(SessionCommand command);

    /// <summary>Open the control page in the browser.</summary>
    void OpenFullPage();

    /// <summary>Put text on the system clipboard.</summary>
    void SetClipboard(string text);

    /// <summary>Ask for the clipboard's text; <paramref name="paste"/> gets it later (X11 hands it over asynchronously).</summary>
    void RequestClipboard(Action<string> paste);

    /// <summary>
    /// Starts dragging a file out of the window (XDND on X11) with the mouse button held: another program may import
    /// it. The end comes later through <see cref="Editor.FileDragEnded"/>. False where the window system has no drag
    /// out yet (nothing started).
    /// </summary>
    bool StartFileDrag(string path);
}
