using System.Globalization;
using AceStep.Contracts.Sessions;
using AceStep.Contracts.Tasks;
using SkiaSharp;

namespace AceStep.Plugin.Editor;

/// <summary>Mouse buttons the editor reacts to.</summary>
internal enum PointerButton
{
    Left,
    Middle,
    Right,
}

/// <summary>Keys other than text, as every platform layer maps its own codes.</summary>
internal enum EditorKey
{
    None,
    Backspace,
    Delete,
    Left,
    Right,
    Up,
    Down,
    Home,
    End,
    PageUp,
    PageDown,
    Tab,
    Return,
    Escape,
    A,
    C,
    V,
    X,
}

/// <summary>Modifier keys held.</summary>
[Flags]
internal enum Modifiers
{
    None = 0,
    Shift = 1,
    Control = 2,
    Alt = 4,
}

/// <summary>
/// The editor without a window: the state of every control, keyboard and mouse handling, and drawing onto any Skia
/// canvas. The platform layer feeds it events in physical pixels and presents what <see cref="Render"/> draws. All
/// calls come on one thread (the host's UI thread); it talks to the plugin only through <see cref="IEditorActions"/>.
/// </summary>
internal sealed class Editor
{
    /// <summary>Text edits are sent this long after the last keystroke (the page's settings travel as a whole).</summary>
    private static readonly TimeSpan s_sendDelay = TimeSpan.FromMilliseconds(350);

    /// <summary>After a local edit, views from the worker keep the local settings this long (they may predate the edit).</summary>
    private static readonly TimeSpan s_holdLocal = TimeSpan.FromMilliseconds(1500);

    /// <summary>How long a notice (why a take cannot be dragged, what was dropped) stays under the takes.</summary>
    private static readonly TimeSpan s_noticeFor = TimeSpan.FromSeconds(8);

    /// <summary>How far (logical pixels) the pointer moves with the button held on a take before it becomes a drag.</summary>
    public const float DragThreshold = 6;

    private readonly IEditorActions _actions;
    private readonly Func<DateTime> _clock;
    private readonly Dictionary<ControlId, TextBuffer> _texts = new()
    {
        [ControlId.Prompt] = new TextBuffer(multiline: false, maxLength: 2000),
        [ControlId.Lyrics] = new TextBuffer(multiline: true, maxLength: 8000),
        [ControlId.Bpm] = new TextBuffer(multiline: false, maxLength: 8),
        [ControlId.Steps] = new TextBuffer(multiline: false, maxLength: 4),
        [ControlId.Seed] = new TextBuffer(multiline: false, maxLength: 10),
    };

    private SessionSettings _settings = new();
    private DateTime _sendAt = DateTime.MaxValue;
    private DateTime _holdUntil = DateTime.MinValue;
    private ControlId _dragging;
    private bool _selectingText;
    private DateTime _lastClick;
    private SKPoint _lastClickAt;
    private int _takeScroll;
    private string? _pressedTakeId;
    private SKPoint _pressedAt;
    private DateTime _noticeUntil = DateTime.MaxValue;

    public Editor(IEditorActions actions, EditorFonts fonts, Func<DateTime>? clock = null)
    {
        _actions = actions;
        Fonts = fonts;
        _clock = clock ?? (() => DateTime.UtcNow);
        Layout = new EditorLayout(EditorLayout.DefaultWidth, EditorLayout.DefaultHeight);
        LoadTexts(_settings);
    }

    public EditorFonts Fonts { get; }

    public EditorSnapshot Snapshot { get; private set; } = new() { Unavailable = "Waiting for the plugin…" };

    /// <summary>The settings as the editor shows them (local edits included).</summary>
    public SessionSettings Settings => _settings;

    public EditorLayout Layout { get; private set; }

    /// <summary>Content scale (HiDPI): physical pixels per logical pixel.</summary>
    public float Scale { get; private set; } = 1;

    public int PixelWidth { get; private set; } = (int)EditorLayout.DefaultWidth;

    public int PixelHeight { get; private set; } = (int)EditorLayout.DefaultHeight;

    /// <summary>The control with the keyboard focus.</summary>
    public ControlId Focus { get; private set; }

    /// <summary>The choice list that is open (mode, model, key, language, part, parts), or None.</summary>
    public ControlId OpenChoice { get; private set; }

    /// <summary>
    /// In the open list of a complete's parts (several may be ticked), the item the arrow keys are on (0 = "the model
    /// chooses", then the stems); -1 in other lists, whose arrows pick the value itself.
    /// </summary>
    public int PopupCursor { get; private set; } = -1;

    public ControlId Hover { get; private set; }

    /// <summary>Set by anything that changes the picture; the platform layer clears it when it has drawn.</summary>
    public bool Dirty { get; set; } = true;

    /// <summary>Whether the caret is drawn now (blinks).</summary>
    public bool CaretVisible { get; private set; } = true;

    public int TakeScroll => _takeScroll;

    /// <summary>The take being dragged out of the window (its file offered to other programs), or null.</summary>
    public string? DraggingTakeId { get; private set; }

    /// <summary>A short note under the takes (why a take cannot be dragged, what was dropped); empty when none.</summary>
    public string Notice { get; private set; } = "";

    public TextBuffer Text(ControlId id) => _texts[id];

    /// <summary>The physical size for a logical size at the current scale.</summary>
    public (int Width, int Height) PhysicalSize(float logicalWidth, float logicalHeight) =>
        ((int)MathF.Round(logicalWidth * Scale), (int)MathF.Round(logicalHeight * Scale));

    /// <summary>Clamps a requested physical size to what the layout needs (checkSizeConstraint).</summary>
    public (int Width, int Height) Constrain(int width, int height)
    {
        var (minWidth, minHeight) = PhysicalSize(EditorLayout.MinWidth, EditorLayout.MinHeight);
        return (Math.Clamp(width, minWidth, 8192), Math.Clamp(height, minHeight, 8192));
    }

    public void SetSize(int physicalWidth, int physicalHeight)
    {
        PixelWidth = Math.Max(1, physicalWidth);
        PixelHeight = Math.Max(1, physicalHeight);
        Layout = new EditorLayout(PixelWidth / Scale, PixelHeight / Scale);
        ClampTakeScroll();
        Dirty = true;
    }

    public void SetScale(float scale)
    {
        Scale = float.IsFinite(scale) && scale > 0.25f ? Math.Min(scale, 8) : 1;
        SetSize(PixelWidth, PixelHeight);
    }

    /// <summary>New data from the worker. Settings replace the shown ones unless the producer is editing.</summary>
    public void Update(EditorSnapshot snapshot)
    {
        if (ReferenceEquals(snapshot, Snapshot))
            return;
        Snapshot = snapshot;
        if (snapshot.View is { } view && _clock() >= _holdUntil && _sendAt == DateTime.MaxValue && view.Settings != _settings)
        {
            _settings = view.Settings;
            LoadTexts(_settings);
            // A mode chosen elsewhere (the page, the host's Mode parameter) may hide the control in use.
            if (!IsShown(OpenChoice))
                CloseChoice();
            if (!IsShown(Focus))
                SetFocus(ControlId.None);
        }

        ClampTakeScroll();
        Dirty = true;
    }

    /// <summary>Timer tick: sends pending text edits, blinks the caret.</summary>
    public void Tick()
    {
        var now = _clock();
        if (now >= _sendAt)
            SendSettings();
        if (now >= _noticeUntil && DraggingTakeId is null)
            SetNotice("");
        bool caret = IsTextFocused && (now.Ticks / TimeSpan.FromMilliseconds(530).Ticks % 2 == 0);
        if (caret != CaretVisible)
        {
            CaretVisible = caret;
            if (IsTextFocused)
                Dirty = true;
        }
    }

    /// <summary>Draws the whole editor (physical pixels; the canvas is scaled by <see cref="Scale"/> here).</summary>
    public void Render(SKCanvas canvas)
    {
        canvas.Save();
        canvas.Scale(Scale);
        new EditorRenderer(this, canvas).Draw();
        canvas.Restore();
    }

    /// <summary>Draws into a new bitmap of the editor's physical size (tests, snapshots).</summary>
    public SKBitmap RenderBitmap()
    {
        var bitmap = new SKBitmap(new SKImageInfo(PixelWidth, PixelHeight, SKColorType.Bgra8888, SKAlphaType.Premul));
        using var canvas = new SKCanvas(bitmap);
        Render(canvas);
        return bitmap;
    }

    // ---------- input ----------

    public void PointerDown(float px, float py, PointerButton button, Modifiers modifiers)
    {
        var p = new SKPoint(px / Scale, py / Scale);
        if (button != PointerButton.Left)
            return;
        var now = _clock();
        bool doubleClick = now - _lastClick < TimeSpan.FromMilliseconds(400) && SKPoint.Distance(p, _lastClickAt) < 4;
        _lastClick = now;
        _lastClickAt = p;
        Dirty = true;

        if (OpenChoice != ControlId.None)
        {
            int option = EditorRenderer.PopupOptionAt(this, OpenChoice, p);
            if (OpenChoice == ControlId.TrackClasses && option > 0)
            {
                // Several parts may be ticked: the list stays open until a click elsewhere, Escape or "the model chooses".
                PopupCursor = option;
                ToggleClass(Choices(ControlId.TrackClasses)[option].Value);
                return;
            }

            if (option >= 0)
                Choose(OpenChoice, Choices(OpenChoice)[option].Value);
            CloseChoice();
            return;
        }

        var (hit, index) = HitTest(p);
        if (LayoutFocusable(hit) && IsShown(hit))
            SetFocus(hit);
        else
            SetFocus(ControlId.None);

        switch (hit)
        {
            case ControlId.Prompt or ControlId.Lyrics or ControlId.Bpm or ControlId.Steps or ControlId.Seed:
                var text = _texts[hit];
                int at = EditorRenderer.TextIndexAt(this, hit, p);
                if (doubleClick)
                    text.SelectWord(at);
                else
                    text.MoveTo(at, (modifiers & Modifiers.Shift) != 0);
                _selectingText = true;
                _dragging = hit;
                break;
            case ControlId.Mode or ControlId.Model or ControlId.Key or ControlId.Language or ControlId.Track or ControlId.TrackClasses:
                OpenList(hit);
                break;
            case ControlId.Strength or ControlId.CoverScale:
                _dragging = hit;
                SetSlider(hit, p.X);
                break;
            case ControlId.Generate:
                Generate();
                break;
            case ControlId.Cancel:
                _actions.Send(new SessionCommand { Command = SessionCommands.Cancel });
                break;
            case ControlId.OpenPage:
                _actions.OpenFullPage();
                break;
            case ControlId.ListenTake or ControlId.ListenOriginal:
                _actions.Send(new SessionCommand { Command = SessionCommands.Listen, Listen = hit == ControlId.ListenTake ? "take" : "original" });
                break;
            case ControlId.TakeUse when Take(index) is { } use:
                // "Use" makes the plugin play this take at its place, and switches A/B to the take so it is heard.
                _actions.Send(new SessionCommand { Command = SessionCommands.SelectTake, TakeId = use.Active ? null : use.Id });
                if (!use.Active)
                    _actions.Send(new SessionCommand { Command = SessionCommands.Listen, Listen = "take" });
                break;
            case ControlId.TakeDelete when Take(index) is { } delete:
                _actions.Send(new SessionCommand { Command = SessionCommands.DeleteTake, TakeId = delete.Id });
                break;
            case ControlId.TakeRow when Take(index) is { } pressed:
                // A press on the take itself (not its buttons) may become a drag of its file once the pointer moves.
                _pressedTakeId = pressed.Id;
                _pressedAt = p;
                break;
        }
    }

    public void PointerMove(float px, float py)
    {
        var p = new SKPoint(px / Scale, py / Scale);
        var (hit, _) = HitTest(p);
        if (hit != Hover)
        {
            Hover = hit;
            Dirty = true;
        }

        if (_pressedTakeId is { } takeId && SKPoint.Distance(p, _pressedAt) >= DragThreshold)
        {
            _pressedTakeId = null;
            BeginTakeDrag(takeId);
            return;
        }

        if (_dragging == ControlId.None)
            return;
        if (EditorLayout.IsSlider(_dragging))
            SetSlider(_dragging, p.X);
        else if (_selectingText && EditorLayout.IsText(_dragging))
        {
            _texts[_dragging].MoveTo(EditorRenderer.TextIndexAt(this, _dragging, p), select: true);
            Dirty = true;
        }
    }

    public void PointerUp(float px, float py)
    {
        if (EditorLayout.IsSlider(_dragging))
            SendSettings();
        _dragging = ControlId.None;
        _selectingText = false;
        _pressedTakeId = null;
    }

    /// <summary>
    /// The window system's drag of a take's file ended: <paramref name="dropped"/> when a target took it, false when it
    /// was released where nothing accepts files or cancelled (Escape).
    /// </summary>
    public void FileDragEnded(bool dropped)
    {
        if (DraggingTakeId is not { } id)
            return;
        DraggingTakeId = null;
        _pressedTakeId = null;
        _dragging = ControlId.None;
        SetNotice(dropped && TakeById(id) is { } take ? $"{TakeName(take)} was dropped as {Path.GetFileName(take.File)}." : "");
    }

    /// <summary>Wheel: scrolls the take list, nudges sliders and numbers under the pointer.</summary>
    public void Wheel(float px, float py, float steps)
    {
        var p = new SKPoint(px / Scale, py / Scale);
        var (hit, _) = HitTest(p);
        if (Layout.TakeList.Contains(p))
        {
            _takeScroll -= Math.Sign(steps);
            ClampTakeScroll();
        }
        else if (hit is ControlId.Strength or ControlId.CoverScale)
        {
            double value = hit == ControlId.Strength ? _settings.Strength : _settings.CoverScale;
            SetSliderValue(hit, value + (0.01 * Math.Sign(steps)));
            SendSettings();
        }

        Dirty = true;
    }

    /// <summary>A key that is not text. Returns whether the editor used it (else the host may).</summary>
    public bool KeyDown(EditorKey key, Modifiers modifiers)
    {
        bool shift = (modifiers & Modifiers.Shift) != 0;
        bool control = (modifiers & Modifiers.Control) != 0;
        Dirty = true;
        if (key == EditorKey.Escape)
        {
            if (OpenChoice != ControlId.None)
                CloseChoice();
            else if (Focus != ControlId.None)
                SetFocus(ControlId.None);
            else
                return false;
            return true;
        }

        if (key == EditorKey.Return && control)
        {
            Generate();
            return true;
        }

        if (key == EditorKey.Tab)
        {
            var order = EditorLayout.FocusOrder;
            int at = order.ToList().IndexOf(Focus);
            // The controls the mode hides (the part outside the stem modes, the cover scale in them) are skipped.
            do
                at = (at + (shift ? order.Count - 1 : 1) + order.Count) % order.Count;
            while (!IsShown(order[at]));
            SetFocus(order[at]);
            return true;
        }

        if (OpenChoice == ControlId.TrackClasses || (OpenChoice == ControlId.None && Focus == ControlId.TrackClasses))
            return ClassesKey(key);
        if (OpenChoice != ControlId.None || EditorLayout.IsChoice(Focus))
            return ChoiceKey(OpenChoice != ControlId.None ? OpenChoice : Focus, key);
        if (EditorLayout.IsSlider(Focus) && key is EditorKey.Left or EditorKey.Right or EditorKey.Up or EditorKey.Down)
        {
            double value = Focus == ControlId.Strength ? _settings.Strength : _settings.CoverScale;
            SetSliderValue(Focus, value + (key is EditorKey.Left or EditorKey.Down ? -0.05 : 0.05));
            SendSettings();
            return true;
        }

        if (Focus == ControlId.Generate && key == EditorKey.Return)
        {
            Generate();
            return true;
        }

        if (!IsTextFocused)
            return false;
        var text = _texts[Focus];
        bool changed = false;
        switch (key)
        {
            case EditorKey.Backspace:
                changed = text.Backspace(control);
                break;
            case EditorKey.Delete:
                changed = text.Delete(control);
                break;
            case EditorKey.Left:
                text.MoveLeft(shift, control);
                break;
            case EditorKey.Right:
                text.MoveRight(shift, control);
                break;
            case EditorKey.Up when text.Multiline:
                text.MoveLine(-1, shift);
                break;
            case EditorKey.Down when text.Multiline:
                text.MoveLine(1, shift);
                break;
            case EditorKey.Home:
                text.Home(shift, control);
                break;
            case EditorKey.End:
                text.End(shift, control);
                break;
            case EditorKey.Return when text.Multiline:
                changed = text.Insert("\n");
                break;
            case EditorKey.Return:
                CommitText(Focus);
                return true;
            case EditorKey.A when control:
                text.SelectAll();
                break;
            case EditorKey.C when control:
                if (text.HasSelection)
                    _actions.SetClipboard(text.SelectedText);
                break;
            case EditorKey.X when control:
                if (text.HasSelection)
                {
                    _actions.SetClipboard(text.SelectedText);
                    changed = text.Insert("");
                }

                break;
            case EditorKey.V when control:
                var target = Focus;
                _actions.RequestClipboard(pasted => Paste(target, pasted));
                break;
            default:
                return false;
        }

        if (changed)
            TextChanged(Focus);
        return true;
    }

    /// <summary>Typed text (already composed: accents, CJK from an input method).</summary>
    public bool TextInput(string input)
    {
        if (!IsTextFocused || input.Length == 0)
            return false;
        if (Focus is ControlId.Bpm or ControlId.Steps or ControlId.Seed)
            input = new string([.. input.Where(c => char.IsAsciiDigit(c) || (c == '.' && Focus == ControlId.Bpm))]);
        if (_texts[Focus].Insert(input))
            TextChanged(Focus);
        Dirty = true;
        return true;
    }

    /// <summary>The window lost the keyboard: pending edits are sent, no caret is shown.</summary>
    public void FocusLost()
    {
        if (IsTextFocused)
            CommitText(Focus);
        if (_sendAt != DateTime.MaxValue)
            SendSettings();
        CloseChoice();
        Dirty = true;
    }

    /// <summary>Sends pending edits now (the view closes).</summary>
    public void Flush()
    {
        if (_sendAt != DateTime.MaxValue)
            SendSettings();
    }

    public bool IsTextFocused => EditorLayout.IsText(Focus);

    /// <summary>The choices of a selector, value and label.</summary>
    public static IReadOnlyList<(string Value, string Label)> Choices(ControlId id) => id switch
    {
        ControlId.Mode => s_modes,
        ControlId.Model => s_models,
        ControlId.Key => s_keys,
        ControlId.Language => s_languages,
        ControlId.Track => s_tracks,
        ControlId.TrackClasses => s_classes,
        _ => [],
    };

    public string ChoiceValue(ControlId id) => id switch
    {
        ControlId.Mode => _settings.Mode,
        ControlId.Model => _settings.Model,
        ControlId.Key => _settings.KeyScale,
        ControlId.Language => _settings.Language,
        ControlId.Track => _settings.TrackName,
        _ => "",
    };

    /// <summary>What a closed selector shows: the chosen item's label; for a complete's parts the ticked ones, or that the model chooses.</summary>
    public string ChoiceText(ControlId id)
    {
        if (id == ControlId.TrackClasses)
            return _settings.TrackClasses.Count == 0 ? s_classes[0].Item2 : string.Join(", ", _settings.TrackClasses.Select(StemLabel));
        string value = ChoiceValue(id);
        return Choices(id).FirstOrDefault(c => c.Value == value).Label ?? value;
    }

    /// <summary>Whether an item of a list is the chosen one (for a complete's parts: ticked; "the model chooses" when none is).</summary>
    public bool IsChosen(ControlId id, string value) => id == ControlId.TrackClasses
        ? value.Length == 0 ? _settings.TrackClasses.Count == 0 : _settings.TrackClasses.Contains(value)
        : value == ChoiceValue(id);

    /// <summary>Whether the current mode needs (shows) a control: the part for lego and extract, the parts for complete, the cover scale otherwise.</summary>
    public bool IsShown(ControlId id) => id switch
    {
        ControlId.Track => _settings.Mode is "lego" or "extract",
        ControlId.TrackClasses => _settings.Mode == "complete",
        ControlId.CoverScale => _settings.Mode is not ("lego" or "extract" or "complete"),
        _ => true,
    };

    /// <summary>A stem as the page names it: <c>backing_vocals</c> → "Backing Vocals".</summary>
    public static string StemLabel(string stem) =>
        string.Join(' ', stem.Split('_').Select(w => w.Length == 0 ? w : char.ToUpperInvariant(w[0]) + w[1..]));

    public SessionTake? Take(int index) =>
        Snapshot.View?.Takes is { } takes && index >= 0 && index < takes.Count ? takes[index] : null;

    /// <summary>The control (and take index) under a logical point.</summary>
    public (ControlId Id, int Index) HitTest(SKPoint p)
    {
        foreach (var id in (ControlId[])[ControlId.OpenPage, ControlId.Prompt, ControlId.Lyrics, ControlId.Generate, ControlId.Cancel,
                     ControlId.ListenTake, ControlId.ListenOriginal])
        {
            if (Layout.Of(id).Contains(p))
                return (id, -1);
        }

        foreach (var id in EditorLayout.GridControls)
        {
            if (IsShown(id) && Layout.Of(id).Contains(p))
                return (id, -1);
        }

        int count = Snapshot.View?.Takes.Count ?? 0;
        for (int row = 0; row < Layout.VisibleTakeRows; row++)
        {
            int index = count - 1 - (row + _takeScroll);
            if (index < 0)
                break;
            if (Layout.TakeUse(row).Contains(p))
                return (ControlId.TakeUse, index);
            if (Layout.TakeDelete(row).Contains(p))
                return (ControlId.TakeDelete, index);
            if (Layout.TakeRow(row).Contains(p))
                return (ControlId.TakeRow, index);
        }

        return (ControlId.None, -1);
    }

    /// <summary>Why a take's file cannot be dragged out (no file, file gone), or null when it can.</summary>
    public string? DragProblem(SessionTake take)
    {
        if (string.IsNullOrEmpty(take.File))
            return $"{TakeName(take)} has no file to drag (it could not be saved); it still plays here.";
        // The worker writes the whole WAV before it lists the take, so a listed file that exists is complete.
        if (take.Missing || !File.Exists(take.File))
            return $"{TakeName(take)} cannot be dragged: its file is missing ({take.File}).";
        return null;
    }

    private SessionTake? TakeById(string id) => Snapshot.View?.Takes.FirstOrDefault(t => t.Id == id);

    private string TakeName(SessionTake take)
    {
        var takes = Snapshot.View?.Takes ?? [];
        for (int i = 0; i < takes.Count; i++)
        {
            if (takes[i].Id == take.Id)
                return $"Take {i + 1}";
        }

        return "The take";
    }

    private void BeginTakeDrag(string takeId)
    {
        if (TakeById(takeId) is not { } take)
            return;
        if (DragProblem(take) is { } problem)
        {
            SetNotice(problem);
            return;
        }

        if (!_actions.StartFileDrag(take.File!))
        {
            SetNotice($"Dragging takes out is not supported in this window system yet; {TakeName(take)} is {take.File}.");
            return;
        }

        DraggingTakeId = take.Id;
        SetNotice($"Drop {TakeName(take)} on a track to import {Path.GetFileName(take.File)} (Escape cancels).");
    }

    private void SetNotice(string notice)
    {
        Notice = notice;
        _noticeUntil = notice.Length == 0 ? DateTime.MaxValue : _clock() + s_noticeFor;
        Dirty = true;
    }

    // The stem modes take their part from Track (lego, extract) or TrackClasses (complete), in the cover scale's slot.
    private static readonly (string, string)[] s_modes =
        [("repaint", "Repaint the range"), ("cover", "Cover (restyle)"), ("generate", "Generate new"),
         ("lego", "Add a part"), ("extract", "Extract a stem"), ("complete", "Complete")];
    private static readonly (string, string)[] s_models = [("base", "Base (best quality)"), ("turbo", "Turbo (8 steps, fast)")];
    private static readonly (string, string)[] s_keys = [("auto", "Auto"), .. KeyScales.NormalForms.Select(k => (k, k))];
    private static readonly (string, string)[] s_languages = [.. VocalLanguages.All.Select(l => (l, l))];
    private static readonly (string, string)[] s_tracks = [.. StemTracks.All.Select(t => (t, StemLabel(t)))];

    // Upstream's complete takes any set of stems, or none ("Complete the input track:"): the model chooses.
    private static readonly (string, string)[] s_classes = [("", "The model chooses"), .. s_tracks];

    private static bool LayoutFocusable(ControlId id) => EditorLayout.FocusOrder.Contains(id);

    private void SetFocus(ControlId id)
    {
        if (Focus == id)
            return;
        if (IsTextFocused)
            CommitText(Focus);
        Focus = id;
        CloseChoice();
        CaretVisible = true;
        Dirty = true;
    }

    private bool ChoiceKey(ControlId id, EditorKey key)
    {
        var choices = Choices(id);
        int at = Math.Max(0, choices.Select(c => c.Value).ToList().IndexOf(ChoiceValue(id)));
        switch (key)
        {
            case EditorKey.Up or EditorKey.Left:
                Choose(id, choices[Math.Max(0, at - 1)].Value);
                return true;
            case EditorKey.Down or EditorKey.Right:
                Choose(id, choices[Math.Min(choices.Count - 1, at + 1)].Value);
                return true;
            case EditorKey.Return:
                if (OpenChoice == ControlId.None)
                    OpenList(id);
                else
                    CloseChoice();
                return true;
            default:
                return false;
        }
    }

    // A complete's parts: several may be ticked, so the arrows move a cursor in the open list and Return ticks or unticks
    // the part under it; Return on "the model chooses" clears them and closes the list. Closed, Return or Down opens it.
    private bool ClassesKey(EditorKey key)
    {
        if (OpenChoice != ControlId.TrackClasses)
        {
            if (key is not (EditorKey.Return or EditorKey.Down))
                return false;
            OpenList(ControlId.TrackClasses);
            return true;
        }

        switch (key)
        {
            case EditorKey.Up or EditorKey.Left:
                PopupCursor = Math.Max(0, PopupCursor - 1);
                return true;
            case EditorKey.Down or EditorKey.Right:
                PopupCursor = Math.Min(s_classes.Length - 1, PopupCursor + 1);
                return true;
            case EditorKey.Return when PopupCursor <= 0:
                Choose(ControlId.TrackClasses, "");
                CloseChoice();
                return true;
            case EditorKey.Return:
                ToggleClass(s_classes[PopupCursor].Item1);
                return true;
            default:
                return false;
        }
    }

    private void OpenList(ControlId id)
    {
        OpenChoice = id;
        PopupCursor = id == ControlId.TrackClasses ? 0 : -1;
        Dirty = true;
    }

    private void CloseChoice()
    {
        OpenChoice = ControlId.None;
        PopupCursor = -1;
    }

    // Ticks or unticks one part of a complete, keeping the stems in the list's order (the prompt names them in that order).
    private void ToggleClass(string stem)
    {
        var ticked = _settings.TrackClasses.Contains(stem)
            ? _settings.TrackClasses.Where(c => c != stem)
            : _settings.TrackClasses.Append(stem);
        var ordered = StemTracks.All.Where(ticked.Contains).ToArray();
        _settings = _settings with { TrackClasses = ordered };
        SendSettings();
    }

    private void Choose(ControlId id, string value)
    {
        _settings = id switch
        {
            ControlId.Mode => _settings with { Mode = value },
            ControlId.Model => _settings with { Model = value },
            ControlId.Key => _settings with { KeyScale = value },
            ControlId.Language => _settings with { Language = value },
            ControlId.Track => _settings with { TrackName = value },
            // Only "the model chooses" is chosen as a whole; the stems are ticked one by one (ToggleClass).
            ControlId.TrackClasses => _settings with { TrackClasses = [] },
            _ => _settings,
        };
        SendSettings();
    }

    private void SetSlider(ControlId id, float x)
    {
        var rect = Layout.Of(id);
        SetSliderValue(id, Math.Clamp((x - rect.Left - 6) / (rect.Width - 12), 0, 1));
    }

    private void SetSliderValue(ControlId id, double value)
    {
        value = Math.Round(Math.Clamp(value, 0, 1), 2);
        _settings = id == ControlId.Strength ? _settings with { Strength = value } : _settings with { CoverScale = value };
        _holdUntil = _clock() + s_holdLocal;
        Dirty = true;
    }

    private void Paste(ControlId target, string pasted)
    {
        if (Focus != target || pasted.Length == 0)
            return;
        TextInput(pasted);
    }

    private void TextChanged(ControlId id)
    {
        if (id is ControlId.Prompt or ControlId.Lyrics)
        {
            _settings = id == ControlId.Prompt ? _settings with { Prompt = _texts[id].Text } : _settings with { Lyrics = _texts[id].Text };
            _sendAt = _clock() + s_sendDelay;
        }

        _holdUntil = _clock() + s_holdLocal;
        Dirty = true;
    }

    // Numbers take effect when the field is left or Return is pressed; a number that does not parse shows the old value.
    private void CommitText(ControlId id)
    {
        string text = _texts[id].Text.Trim();
        switch (id)
        {
            case ControlId.Bpm:
                double? bpm = text.Length == 0 ? null
                    : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var b) && b is >= 30 and <= 300 ? b : _settings.Bpm;
                if (bpm != _settings.Bpm)
                {
                    _settings = _settings with { Bpm = bpm };
                    SendSettings();
                }

                break;
            case ControlId.Steps:
                int steps = int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) && s is >= 1 and <= 300 ? s : _settings.Steps;
                if (steps != _settings.Steps)
                {
                    _settings = _settings with { Steps = steps };
                    SendSettings();
                }

                break;
            case ControlId.Seed:
                long seed = text.Length == 0 ? 0
                    : long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var d) && d is >= 0 and <= int.MaxValue ? d : _settings.Seed;
                if (seed != _settings.Seed)
                {
                    _settings = _settings with { Seed = seed };
                    SendSettings();
                }

                break;
            default:
                if (_sendAt != DateTime.MaxValue)
                    SendSettings();
                return;
        }

        LoadNumbers(_settings, keep: ControlId.None);
    }

    private void Generate()
    {
        if (IsTextFocused)
            CommitText(Focus);
        _sendAt = DateTime.MaxValue;
        _holdUntil = _clock() + s_holdLocal;
        _actions.Send(new SessionCommand { Command = SessionCommands.Generate, Settings = _settings });
    }

    private void SendSettings()
    {
        _sendAt = DateTime.MaxValue;
        _holdUntil = _clock() + s_holdLocal;
        _actions.Send(new SessionCommand { Command = SessionCommands.Settings, Settings = _settings });
        Dirty = true;
    }

    private void LoadTexts(SessionSettings settings)
    {
        _texts[ControlId.Prompt].SetText(settings.Prompt);
        _texts[ControlId.Lyrics].SetText(settings.Lyrics);
        LoadNumbers(settings, keep: Focus);
    }

    // The field being typed into (keep) keeps what the producer typed.
    private void LoadNumbers(SessionSettings settings, ControlId keep)
    {
        if (keep != ControlId.Bpm)
            _texts[ControlId.Bpm].SetText(settings.Bpm is { } bpm ? bpm.ToString("0.##", CultureInfo.InvariantCulture) : "");
        if (keep != ControlId.Steps)
            _texts[ControlId.Steps].SetText(settings.Steps.ToString(CultureInfo.InvariantCulture));
        if (keep != ControlId.Seed)
            _texts[ControlId.Seed].SetText(settings.Seed.ToString(CultureInfo.InvariantCulture));
    }

    private void ClampTakeScroll()
    {
        int count = Snapshot.View?.Takes.Count ?? 0;
        _takeScroll = Math.Clamp(_takeScroll, 0, Math.Max(0, count - Layout.VisibleTakeRows));
    }
}
