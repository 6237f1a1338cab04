using AceStep.Contracts.Sessions;
using AceStep.Plugin.Controller;
using AceStep.Plugin.Session;

namespace AceStep.Plugin.Editor;

/// <summary>
/// Connects an editor to its plugin instance: it reads the state the worker keeps (<see cref="InstanceRuntime.EditorFeed"/>)
/// and hands the editor's commands to the worker's queue, the one the control page's commands go through. UI thread
/// only; it never touches the audio thread's data.
/// </summary>
internal sealed class EditorBridge : IEditorActions
{
    private readonly AceStepController _controller;
    private Editor? _editor;
    private PlugView? _view;
    private EditorFeed? _lastFeed;
    private InstanceRuntime? _openedOn;
    private string _clipboard = "";

    public EditorBridge(AceStepController controller) => _controller = controller;

    public void Attach(Editor editor, PlugView view)
    {
        _editor = editor;
        _view = view;
    }

    /// <summary>The window opened: the worker starts building views for editors.</summary>
    public void Opened()
    {
        _openedOn = _controller.InProcessProcessor?.Runtime;
        _openedOn?.EditorOpened();
        _lastFeed = null;
        Poll();
    }

    public void Closed()
    {
        _openedOn?.EditorClosed();
        _openedOn = null;
    }

    /// <summary>Gives the editor the worker's latest state (timer tick); also passes the page's parameter edits on to the host.</summary>
    public void Poll()
    {
        if (_editor is not { } editor)
            return;
        _controller.FlushHostEdits();
        var processor = _controller.InProcessProcessor;
        if (processor is null)
        {
            editor.Update(Unavailable("The plugin's processor runs apart from its editor in this host; use the control page (Open Control Page)."));
            return;
        }

        var runtime = processor.Runtime;
        if (!ReferenceEquals(runtime, _openedOn))
        {
            _openedOn?.EditorClosed();
            _openedOn = runtime;
            runtime.EditorOpened();
        }

        var feed = runtime.EditorFeed;
        if (!runtime.IsRunning || feed is null)
        {
            if (_lastFeed is not null || editor.Snapshot.View is null || editor.Snapshot.Running != runtime.IsRunning)
            {
                var settings = SettingsMapping.From(processor.Plain, processor.Texts);
                editor.Update(new EditorSnapshot
                {
                    View = new SessionView { HostName = processor.HostName, Settings = settings },
                    Running = false,
                    Unavailable = runtime.IsRunning ? "Waiting for the plugin…" : "The host has not started the plugin yet (start playback or enable the track).",
                });
                _lastFeed = null;
            }

            return;
        }

        if (ReferenceEquals(feed, _lastFeed))
            return;
        _lastFeed = feed;
        editor.Update(new EditorSnapshot
        {
            View = feed.View,
            Running = true,
            Missing = [.. feed.MissingSeconds.Select(m => new TimeRange(m.Start, m.End))],
        });
    }

    public void Send(SessionCommand command) => _controller.InProcessProcessor?.Runtime.Post(command);

    public void OpenFullPage() => _controller.InProcessProcessor?.Runtime.RequestPage();

    // The system clipboard is X11's CLIPBOARD selection; elsewhere (until the Windows one is written) the editor's own.
    public void SetClipboard(string text)
    {
        _clipboard = text;
        (_view?.Window as X11EditorWindow)?.SetClipboard(text);
    }

    public void RequestClipboard(Action<string> paste)
    {
        if (_view?.Window is X11EditorWindow x11)
            x11.RequestClipboard(paste);
        else
            paste(_clipboard);
    }

    public bool StartFileDrag(string path) => _view?.Window?.StartFileDrag(path) ?? false;

    private static EditorSnapshot Unavailable(string why) => new() { Unavailable = why, Running = false };
}
