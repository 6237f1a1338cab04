using AceStep.Contracts.Sessions;
using AceStep.Plugin.Editor;

namespace AceStep.Plugin.Editor.Tests;

/// <summary>An editor with fixed fonts (DejaVu from Debian's fonts-dejavu-core), a settable clock and recorded actions.</summary>
internal sealed class TestEditor : IEditorActions, IDisposable
{
    private const string FontFolder = "/usr/share/fonts/truetype/dejavu/";

    public TestEditor()
    {
        Fonts = EditorFonts.FromFiles(FontFolder + "DejaVuSans.ttf", FontFolder + "DejaVuSans-Bold.ttf", FontFolder + "DejaVuSansMono.ttf");
        Editor = new Editor(this, Fonts, () => Now);
    }

    public DateTime Now { get; set; } = new(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc);

    public EditorFonts Fonts { get; }

    public Editor Editor { get; }

    public List<SessionCommand> Sent { get; } = [];

    public int PageOpened { get; private set; }

    public string Clipboard { get; set; } = "";

    public void Send(SessionCommand command) => Sent.Add(command);

    public void OpenFullPage() => PageOpened++;

    public void SetClipboard(string text) => Clipboard = text;

    public void RequestClipboard(Action<string> paste) => paste(Clipboard);

    /// <summary>Files the editor started dragging out, in order.</summary>
    public List<string> Dragged { get; } = [];

    /// <summary>Whether the "window system" has a drag source (X11 does; Windows and macOS not yet).</summary>
    public bool CanDrag { get; set; } = true;

    public bool StartFileDrag(string path)
    {
        if (CanDrag)
            Dragged.Add(path);
        return CanDrag;
    }

    /// <summary>Clicks the middle of a control (logical pixels at scale 1).</summary>
    public void Click(ControlId id)
    {
        var rect = Editor.Layout.Of(id);
        Click(rect.MidX, rect.MidY);
    }

    public void Click(float x, float y)
    {
        Editor.PointerDown(x * Editor.Scale, y * Editor.Scale, PointerButton.Left, Modifiers.None);
        Editor.PointerUp(x * Editor.Scale, y * Editor.Scale);
        Now += TimeSpan.FromSeconds(1);
    }

    public void Type(string text) => Editor.TextInput(text);

    public void Dispose() => Fonts.Dispose();
}
