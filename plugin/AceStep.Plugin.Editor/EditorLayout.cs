using SkiaSharp;

namespace AceStep.Plugin.Editor;

/// <summary>The editor's controls.</summary>
internal enum ControlId
{
    None,
    OpenPage,
    Prompt,
    Lyrics,
    Mode,
    Model,
    Key,
    Bpm,
    Steps,
    Seed,
    Strength,
    CoverScale,
    Language,

    /// <summary>The part a lego adds or an extract isolates (settings.trackName); in the cover-scale slot in those modes.</summary>
    Track,

    /// <summary>The parts a complete adds (settings.trackClasses), several or none; in the cover-scale slot in that mode.</summary>
    TrackClasses,
    Generate,
    Cancel,
    ListenTake,
    ListenOriginal,
    TakeUse,
    TakeDelete,
    TakeRow,
    Popup,
}

/// <summary>
/// Where everything is, in logical pixels (physical pixels divided by the content scale), for one window size. The
/// same arithmetic serves drawing, hit testing and the tests that click a control in a real window.
/// </summary>
internal sealed class EditorLayout
{
    public const float DefaultWidth = 960;
    public const float DefaultHeight = 640;
    public const float MinWidth = 760;
    public const float MinHeight = 540;
    public const float TakeRowHeight = 58;

    private const float Pad = 12;
    private const float FieldHeight = 28;
    private const float LabelHeight = 18;

    public EditorLayout(float width, float height)
    {
        Width = Math.Max(width, 1);
        Height = Math.Max(height, 1);
        TopBar = new SKRect(0, 0, Width, 44);
        OpenPage = new SKRect(Width - Pad - 150, 8, Width - Pad, 36);
        Status = new SKRect(OpenPage.Left - 12 - 300, 10, OpenPage.Left - 12, 34);

        CaptureCard = new SKRect(Pad, TopBar.Bottom + Pad, Width - Pad, TopBar.Bottom + Pad + 176);
        Wave = new SKRect(CaptureCard.Left + 14, CaptureCard.Top + 38, CaptureCard.Right - 14, CaptureCard.Bottom - 30);

        float lowerTop = CaptureCard.Bottom + Pad;
        float split = Pad + ((Width - (3 * Pad)) * 0.6f);
        SettingsCard = new SKRect(Pad, lowerTop, split, Height - Pad);
        TakesCard = new SKRect(split + Pad, lowerTop, Width - Pad, Height - Pad);

        float x0 = SettingsCard.Left + 14;
        float x1 = SettingsCard.Right - 14;
        float y = SettingsCard.Top + 34;
        Prompt = new SKRect(x0, y + LabelHeight, x1, y + LabelHeight + FieldHeight);
        y = Prompt.Bottom + 8;

        // From the bottom up: the actions, three rows of small controls; the lyrics take what is left.
        Actions = new SKRect(x0, SettingsCard.Bottom - 14 - 32, x1, SettingsCard.Bottom - 14);
        float gridBottom = Actions.Top - 10;
        float rowHeight = LabelHeight + FieldHeight + 6;
        float gridTop = gridBottom - (3 * rowHeight);
        Lyrics = new SKRect(x0, y + LabelHeight, x1, Math.Max(y + LabelHeight + FieldHeight, gridTop - 8));

        float columnWidth = (x1 - x0 - 24) / 3;
        ControlId[,] grid =
        {
            { ControlId.Mode, ControlId.Model, ControlId.Key },
            { ControlId.Bpm, ControlId.Steps, ControlId.Seed },
            { ControlId.Strength, ControlId.CoverScale, ControlId.Language },
        };
        for (int row = 0; row < 3; row++)
        {
            for (int column = 0; column < 3; column++)
            {
                float left = x0 + (column * (columnWidth + 12));
                float top = gridTop + (row * rowHeight) + LabelHeight;
                _fields[grid[row, column]] = new SKRect(left, top, left + columnWidth, top + FieldHeight);
            }
        }

        // The stem modes have no use for the cover scale (only a cover reads it) and need their part instead: one slot,
        // whichever the mode shows (Editor.IsShown).
        _fields[ControlId.Track] = _fields[ControlId.CoverScale];
        _fields[ControlId.TrackClasses] = _fields[ControlId.CoverScale];

        Generate = new SKRect(Actions.Left, Actions.Top, Actions.Left + 120, Actions.Bottom);
        Cancel = new SKRect(Generate.Right + 8, Actions.Top, Generate.Right + 8 + 84, Actions.Bottom);
        Progress = new SKRect(Cancel.Right + 12, Actions.Top + 4, Actions.Right, Actions.Top + 12);

        ListenTake = new SKRect(TakesCard.Right - 14 - 180, TakesCard.Top + 10, TakesCard.Right - 14 - 90, TakesCard.Top + 34);
        ListenOriginal = new SKRect(ListenTake.Right, ListenTake.Top, TakesCard.Right - 14, ListenTake.Bottom);
        Message = new SKRect(TakesCard.Left + 10, TakesCard.Bottom - 10 - 70, TakesCard.Right - 10, TakesCard.Bottom - 10);
        TakeList = new SKRect(TakesCard.Left + 10, TakesCard.Top + 44, TakesCard.Right - 10, Message.Top - 6);
    }

    private readonly Dictionary<ControlId, SKRect> _fields = [];

    public float Width { get; }

    public float Height { get; }

    public SKRect TopBar { get; }

    public SKRect OpenPage { get; }

    public SKRect Status { get; }

    public SKRect CaptureCard { get; }

    /// <summary>The captured waveform, bar numbers drawn in its top strip.</summary>
    public SKRect Wave { get; }

    public SKRect SettingsCard { get; }

    public SKRect TakesCard { get; }

    public SKRect Prompt { get; }

    public SKRect Lyrics { get; }

    public SKRect Actions { get; }

    public SKRect Generate { get; }

    public SKRect Cancel { get; }

    public SKRect Progress { get; }

    public SKRect ListenTake { get; }

    public SKRect ListenOriginal { get; }

    public SKRect TakeList { get; }

    /// <summary>Under the takes: a failure in full (the command that installs a missing model), else a hint.</summary>
    public SKRect Message { get; }

    /// <summary>The box of a control: text fields, selectors, sliders and buttons alike.</summary>
    public SKRect Of(ControlId id) => id switch
    {
        ControlId.OpenPage => OpenPage,
        ControlId.Prompt => Prompt,
        ControlId.Lyrics => Lyrics,
        ControlId.Generate => Generate,
        ControlId.Cancel => Cancel,
        ControlId.ListenTake => ListenTake,
        ControlId.ListenOriginal => ListenOriginal,
        _ => _fields.TryGetValue(id, out var rect) ? rect : SKRect.Empty,
    };

    /// <summary>The row of take <paramref name="index"/> (0 = the first shown) in the list.</summary>
    public SKRect TakeRow(int index) =>
        new(TakeList.Left, TakeList.Top + (index * TakeRowHeight), TakeList.Right, TakeList.Top + ((index + 1) * TakeRowHeight) - 6);

    public SKRect TakeUse(int index)
    {
        var row = TakeRow(index);
        return new SKRect(row.Right - 134, row.MidY - 13, row.Right - 70, row.MidY + 13);
    }

    public SKRect TakeDelete(int index)
    {
        var row = TakeRow(index);
        return new SKRect(row.Right - 64, row.MidY - 13, row.Right - 6, row.MidY + 13);
    }

    /// <summary>How many take rows fit.</summary>
    public int VisibleTakeRows => Math.Max(0, (int)(TakeList.Height / TakeRowHeight));

    /// <summary>Text fields: the ones the keyboard types into.</summary>
    public static bool IsText(ControlId id) => id is ControlId.Prompt or ControlId.Lyrics or ControlId.Bpm or ControlId.Steps or ControlId.Seed;

    public static bool IsChoice(ControlId id) =>
        id is ControlId.Mode or ControlId.Model or ControlId.Key or ControlId.Language or ControlId.Track or ControlId.TrackClasses;

    public static bool IsSlider(ControlId id) => id is ControlId.Strength or ControlId.CoverScale;

    /// <summary>Tab order (controls the mode hides are skipped: <c>Editor.IsShown</c>).</summary>
    public static IReadOnlyList<ControlId> FocusOrder { get; } =
    [
        ControlId.Prompt, ControlId.Lyrics, ControlId.Mode, ControlId.Model, ControlId.Key, ControlId.Bpm, ControlId.Steps,
        ControlId.Seed, ControlId.Strength, ControlId.CoverScale, ControlId.Track, ControlId.TrackClasses, ControlId.Language,
        ControlId.Generate,
    ];

    /// <summary>The small controls under the lyrics; CoverScale, Track and TrackClasses share a slot.</summary>
    public static IReadOnlyList<ControlId> GridControls { get; } =
    [
        ControlId.Mode, ControlId.Model, ControlId.Key, ControlId.Bpm, ControlId.Steps, ControlId.Seed,
        ControlId.Strength, ControlId.CoverScale, ControlId.Track, ControlId.TrackClasses, ControlId.Language,
    ];
}
