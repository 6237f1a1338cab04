using System.Globalization;
using AceStep.Contracts.Sessions;
using SkiaSharp;

namespace AceStep.Plugin.Editor;

/// <summary>Draws one frame of an <see cref="Editor"/> in logical pixels; also answers where text and popup items are.</summary>
internal sealed class EditorRenderer
{
    private const float FontSize = 13;
    private const float SmallSize = 11.5f;
    private const float TextInset = 8;
    private const float LyricsLineHeight = 17;
    private const float PopupCellHeight = 22;

    private readonly Editor _editor;
    private readonly SKCanvas _canvas;
    private readonly EditorLayout _layout;
    private readonly EditorFonts _fonts;

    public EditorRenderer(Editor editor, SKCanvas canvas)
    {
        _editor = editor;
        _canvas = canvas;
        _layout = editor.Layout;
        _fonts = editor.Fonts;
    }

    public void Draw()
    {
        _canvas.Clear(EditorTheme.Background);
        using var font = Font(_fonts.Ui, FontSize);
        using var small = Font(_fonts.Ui, SmallSize);
        using var bold = Font(_fonts.Bold, FontSize);
        DrawTopBar(font, bold, small);
        DrawCapture(bold, small);
        DrawSettings(font, bold, small);
        DrawTakes(font, bold, small);
        if (_editor.OpenChoice != ControlId.None)
            DrawPopup(_editor.OpenChoice, font);
    }

    /// <summary>The text index under a logical point in a text field.</summary>
    public static int TextIndexAt(Editor editor, ControlId id, SKPoint p)
    {
        var rect = editor.Layout.Of(id);
        var text = editor.Text(id);
        using var font = FieldFont(editor.Fonts, id);
        string all = text.Text;
        int lineStart = 0;
        int lineEnd = all.Length;
        float scroll;
        if (text.Multiline)
        {
            var lines = Lines(all);
            int first = FirstVisibleLine(editor, id);
            int row = Math.Clamp(first + (int)((p.Y - rect.Top - 6) / LyricsLineHeight), 0, lines.Count - 1);
            (lineStart, lineEnd) = lines[row];
            scroll = 0;
        }
        else
        {
            scroll = HorizontalScroll(editor, id, font);
        }

        string line = all[lineStart..lineEnd];
        float x = p.X - rect.Left - TextInset + scroll;
        int best = 0;
        float previous = 0;
        foreach (int b in TextBuffer.Boundaries(line))
        {
            float width = editor.Fonts.Measure(line[..b], font);
            if (width >= x)
            {
                best = x - previous < width - x ? PreviousBoundary(line, b) : b;
                return lineStart + best;
            }

            previous = width;
            best = b;
        }

        return lineStart + best;
    }

    /// <summary>The popup item under a logical point, or -1.</summary>
    public static int PopupOptionAt(Editor editor, ControlId id, SKPoint p)
    {
        var (rect, columns, cellWidth) = PopupGeometry(editor, id);
        if (!rect.Contains(p))
            return -1;
        int column = (int)((p.X - rect.Left - 4) / cellWidth);
        int row = (int)((p.Y - rect.Top - 4) / PopupCellHeight);
        int rows = (int)Math.Ceiling(Editor.Choices(id).Count / (double)columns);
        int index = (column * rows) + row;
        return column < columns && row < rows && index < Editor.Choices(id).Count ? index : -1;
    }

    /// <summary>Where item <paramref name="index"/> of an open list is (logical pixels): what a click on it hits.</summary>
    public static SKRect PopupOptionRect(Editor editor, ControlId id, int index)
    {
        var (rect, columns, cellWidth) = PopupGeometry(editor, id);
        int rows = (int)Math.Ceiling(Editor.Choices(id).Count / (double)columns);
        float x = rect.Left + 4 + (index / rows * cellWidth);
        float y = rect.Top + 4 + (index % rows * PopupCellHeight);
        return new SKRect(x, y, x + cellWidth - 2, y + PopupCellHeight - 2);
    }

    private void DrawTopBar(SKFont font, SKFont bold, SKFont small)
    {
        using var panel = Fill(EditorTheme.Panel);
        _canvas.DrawRect(_layout.TopBar, panel);
        using var line = Stroke(EditorTheme.Line);
        _canvas.DrawLine(0, _layout.TopBar.Bottom - 0.5f, _layout.Width, _layout.TopBar.Bottom - 0.5f, line);
        using var accent = Fill(EditorTheme.Accent);
        _canvas.DrawRect(new SKRect(16, 17, 24, 25), accent);
        using var text = Fill(EditorTheme.Text);
        _fonts.Draw(_canvas, "AceStep", 32, 27, bold, text);
        string title = _editor.Snapshot.View?.HostName is { Length: > 0 } host ? "in " + host : "";
        using var muted = Fill(EditorTheme.Muted);
        _fonts.Draw(_canvas, _fonts.Fit(title, font, 200), 104, 27, font, muted);

        var status = EngineStatus.From(_editor.Snapshot);
        var tone = ToneColor(status.Tone);
        var pill = _layout.Status;
        string headline = _fonts.Fit(status.Headline, small, pill.Width - 28);
        float width = _fonts.Measure(headline, small) + 28;
        var box = new SKRect(pill.Right - width, pill.Top, pill.Right, pill.Bottom);
        using var pillFill = Fill(EditorTheme.Panel2);
        _canvas.DrawRoundRect(box, 12, 12, pillFill);
        using var pillLine = Stroke(status.Tone == StatusTone.Quiet ? EditorTheme.Line : tone.WithAlpha(120));
        _canvas.DrawRoundRect(box, 12, 12, pillLine);
        using var dot = Fill(tone);
        _canvas.DrawCircle(box.Left + 12, box.MidY, 3.5f, dot);
        using var toneText = Fill(status.Tone == StatusTone.Quiet ? EditorTheme.Text : tone);
        _fonts.Draw(_canvas, headline, box.Left + 20, box.MidY + 4, small, toneText);

        Button(ControlId.OpenPage, "Open the full page", primary: false, enabled: _editor.Snapshot.Running, font);
    }

    private void DrawCapture(SKFont bold, SKFont small)
    {
        Card(_layout.CaptureCard, "CAPTURED AUDIO", small);
        var view = _editor.Snapshot.View;
        var context = view?.Context;
        using var muted = Fill(EditorTheme.Muted);
        string info = context is null ? "Waiting for the plugin…" : ContextLine(view!);
        float infoWidth = _fonts.Measure(info, small);
        _fonts.Draw(_canvas, info, _layout.CaptureCard.Right - 14 - infoWidth, _layout.CaptureCard.Top + 22, small, muted);

        var wave = _layout.Wave;
        using var back = Fill(EditorTheme.Panel2);
        _canvas.DrawRoundRect(wave, 6, 6, back);
        var capture = view?.Capture;
        if (capture is null || capture.Duration <= 0 || context is null)
        {
            using var hint = Fill(EditorTheme.Muted);
            string text = view is null ? "" : "Nothing captured around the range yet: play the project through the plugin.";
            _fonts.Draw(_canvas, text, wave.Left + 12, wave.MidY + 4, small, hint);
            DrawRangeLine(view, small);
            return;
        }

        float Px(double seconds) => (float)(wave.Left + ((seconds - capture.Start) / capture.Duration * wave.Width));
        _canvas.Save();
        _canvas.ClipRoundRect(new SKRoundRect(wave, 6, 6));
        const float barStrip = 16;
        if (context.RangeStart is { } rangeStart && context.RangeEnd is { } rangeEnd)
        {
            using var range = Fill(EditorTheme.Range);
            _canvas.DrawRect(new SKRect(Px(rangeStart), wave.Top, Px(rangeEnd), wave.Bottom), range);
            using var edge = Stroke(EditorTheme.Accent, 1.5f);
            _canvas.DrawLine(Px(rangeStart), wave.Top, Px(rangeStart), wave.Bottom, edge);
            _canvas.DrawLine(Px(rangeEnd), wave.Top, Px(rangeEnd), wave.Bottom, edge);
        }

        foreach (var missing in _editor.Snapshot.Missing)
        {
            using var red = Fill(EditorTheme.Missing);
            var rect = new SKRect(Px(missing.Start), wave.Top + barStrip, Px(missing.End), wave.Bottom);
            _canvas.DrawRect(rect, red);
            using var hatch = Stroke(EditorTheme.Danger.WithAlpha(90));
            for (float x = rect.Left - rect.Height; x < rect.Right; x += 8)
                _canvas.DrawLine(Math.Max(x, rect.Left), rect.Bottom - Math.Max(0, rect.Left - x), Math.Min(x + rect.Height, rect.Right), rect.Top + Math.Max(0, x + rect.Height - rect.Right), hatch);
        }

        // Bar lines with their numbers in a strip along the top.
        using var barLine = Stroke(EditorTheme.Bar);
        using var barText = Fill(EditorTheme.Muted);
        float lastLabel = float.MinValue;
        foreach (double seconds in context.BarLines)
        {
            float x = Px(seconds);
            _canvas.DrawLine(x, wave.Top + barStrip, x, wave.Bottom, barLine);
            if (BarNumber(context, seconds) is { } bar && x - lastLabel > 22)
            {
                _fonts.Draw(_canvas, bar.ToString(CultureInfo.InvariantCulture), x + 3, wave.Top + 12, small, barText);
                lastLabel = x;
            }
        }

        DrawPeaks(capture.Peaks, new SKRect(wave.Left, wave.Top + barStrip, wave.Right, wave.Bottom), EditorTheme.Text.WithAlpha(200));
        _canvas.Restore();
        DrawRangeLine(view, small);
    }

    private void DrawRangeLine(SessionView? view, SKFont small)
    {
        using var muted = Fill(EditorTheme.Muted);
        float y = _layout.CaptureCard.Bottom - 11;
        string text = view is null ? _editor.Snapshot.Unavailable : RangeLine(view);
        var missing = _editor.Snapshot.Missing;
        if (view is not null && missing.Count > 0 && view.Settings.Mode != "generate")
        {
            double seconds = missing.Sum(m => m.End - m.Start);
            string warn = string.Create(CultureInfo.InvariantCulture, $"  ·  {seconds:0.0} s of it not captured yet: play it once");
            using var danger = Fill(EditorTheme.Danger);
            float x = _layout.Wave.Left + _fonts.Draw(_canvas, text, _layout.Wave.Left, y, small, muted);
            _fonts.Draw(_canvas, warn, x, y, small, danger);
            return;
        }

        _fonts.Draw(_canvas, _fonts.Fit(text, small, _layout.Wave.Width), _layout.Wave.Left, y, small, muted);
    }

    private void DrawSettings(SKFont font, SKFont bold, SKFont small)
    {
        Card(_layout.SettingsCard, "TAKE SETTINGS", small);
        var settings = _editor.Settings;
        Label(_layout.Prompt, "Prompt", small);
        // The stem jobs' instruction names the part, so their caption may stay empty (upstream's captions are optional).
        TextField(ControlId.Prompt, settings.Mode is "lego" or "extract" or "complete"
            ? "optional here: the style, e.g. tight funk drums, dry room"
            : "e.g. warm analog synth bass, tight drums, 90s house");
        Label(_layout.Lyrics, "Lyrics  (empty = instrumental)", small);
        TextField(ControlId.Lyrics, "[verse]\n…");

        Label(_layout.Of(ControlId.Mode), "Mode", small);
        Choice(ControlId.Mode, font);
        bool stemMode = settings.Mode is "lego" or "extract" or "complete";
        // The stem jobs run on the base model only (the engine answers unsupportedTask on turbo): say so before Generate.
        Label(_layout.Of(ControlId.Model), "Model", small, stemMode && settings.Model == "turbo" ? "stem jobs: Base only" : "");
        Choice(ControlId.Model, font);
        Label(_layout.Of(ControlId.Key), "Key", small);
        Choice(ControlId.Key, font);
        string hostTempo = _editor.Snapshot.View?.Context.Tempo is { } tempo ? string.Create(CultureInfo.InvariantCulture, $"host: {tempo:0.##}") : "host: none";
        Label(_layout.Of(ControlId.Bpm), "BPM", small, settings.Bpm is null ? hostTempo : "(empty = host's)");
        TextField(ControlId.Bpm, _editor.Snapshot.View?.Context.Tempo is { } t ? t.ToString("0.##", CultureInfo.InvariantCulture) + " (host)" : "host");
        Label(_layout.Of(ControlId.Steps), "Steps", small, settings.Model == "turbo" ? "turbo: 8" : "");
        TextField(ControlId.Steps, "32");
        Label(_layout.Of(ControlId.Seed), "Seed", small, "0 = new each take");
        TextField(ControlId.Seed, "0");
        Label(_layout.Of(ControlId.Strength), "Strength", small, settings.Strength.ToString("0.00", CultureInfo.InvariantCulture));
        Slider(ControlId.Strength, settings.Strength);
        if (_editor.IsShown(ControlId.Track))
        {
            Label(_layout.Of(ControlId.Track), settings.Mode == "lego" ? "Part to add" : "Stem to extract", small);
            Choice(ControlId.Track, font);
        }
        else if (_editor.IsShown(ControlId.TrackClasses))
        {
            Label(_layout.Of(ControlId.TrackClasses), "Parts to add", small, "none = model's choice");
            Choice(ControlId.TrackClasses, font);
        }
        else
        {
            Label(_layout.Of(ControlId.CoverScale), "Cover scale", small, settings.CoverScale.ToString("0.00", CultureInfo.InvariantCulture));
            Slider(ControlId.CoverScale, settings.CoverScale);
        }

        Label(_layout.Of(ControlId.Language), "Vocal language", small);
        Choice(ControlId.Language, font);

        var job = _editor.Snapshot.View?.Job ?? new SessionJob();
        bool running = job.State is "running" or "connecting";
        Button(ControlId.Generate, "Generate", primary: true, enabled: _editor.Snapshot.Running && !running, bold);
        Button(ControlId.Cancel, "Cancel", primary: false, enabled: running, font);

        var bar = _layout.Progress;
        using var track = Fill(EditorTheme.Panel2);
        _canvas.DrawRoundRect(bar, 4, 4, track);
        double progress = job.State == "done" ? 100 : running || job.State is "failed" or "cancelled" ? Math.Clamp(job.Progress, 0, 100) : 0;
        if (progress > 0)
        {
            using var fill = Fill(job.State == "failed" ? EditorTheme.Danger : job.State == "cancelled" ? EditorTheme.Muted : EditorTheme.Accent);
            _canvas.DrawRoundRect(new SKRect(bar.Left, bar.Top, bar.Left + (float)(bar.Width * progress / 100), bar.Bottom), 4, 4, fill);
        }

        var status = EngineStatus.From(_editor.Snapshot);
        using var stage = Fill(status.Tone == StatusTone.Bad ? EditorTheme.Danger : EditorTheme.Muted);
        string line = status.Detail.Length > 0 && status.Tone == StatusTone.Bad ? status.Headline + ": " + status.Detail : status.Headline;
        _fonts.Draw(_canvas, _fonts.Fit(line, small, bar.Width), bar.Left, bar.Bottom + 15, small, stage);
    }

    private void DrawTakes(SKFont font, SKFont bold, SKFont small)
    {
        Card(_layout.TakesCard, "TAKES", small);
        bool original = _editor.Snapshot.View?.Listen == "original";
        Toggle(ControlId.ListenTake, "A · Take", !original, small);
        Toggle(ControlId.ListenOriginal, "B · Original", original, small);

        DrawMessage(small);
        var takes = _editor.Snapshot.View?.Takes ?? [];
        using var muted = Fill(EditorTheme.Muted);
        if (takes.Count == 0)
        {
            _fonts.Draw(_canvas, "No takes yet. Set a prompt and press Generate.", _layout.TakeList.Left + 4, _layout.TakeList.Top + 18, font, muted);
            return;
        }

        using var text = Fill(EditorTheme.Text);
        _canvas.Save();
        _canvas.ClipRect(_layout.TakeList);
        for (int row = 0; row < _layout.VisibleTakeRows; row++)
        {
            int index = takes.Count - 1 - (row + _editor.TakeScroll);
            if (index < 0)
                break;
            var take = takes[index];
            var rect = _layout.TakeRow(row);
            using var back = Fill(take.Active ? EditorTheme.Accent.WithAlpha(28) : EditorTheme.Panel2);
            _canvas.DrawRoundRect(rect, 6, 6, back);
            bool dragged = take.Id == _editor.DraggingTakeId;
            using var edge = Stroke(dragged ? EditorTheme.Accent : take.Active ? EditorTheme.Accent.WithAlpha(140) : EditorTheme.Line, dragged ? 2 : 1);
            _canvas.DrawRoundRect(rect, 6, 6, edge);
            var waveRect = new SKRect(rect.Left + 8, rect.Top + 8, rect.Left + 104, rect.Bottom - 8);
            if (take.Waveform is { } waveform)
                DrawPeaks(waveform.Peaks, waveRect, take.Active ? EditorTheme.Accent : EditorTheme.Muted);
            float x = waveRect.Right + 10;
            float room = _layout.TakeUse(row).Left - x - 6;
            string name = $"Take {index + 1}" + (take.Missing ? " · file missing" : "");
            _fonts.Draw(_canvas, _fonts.Fit(name, bold, room), x, rect.Top + 20, bold, take.Missing ? Fill(EditorTheme.Danger) : text);
            string meta = string.Create(CultureInfo.InvariantCulture,
                $"{TakeMode(take.Settings)} · {Clock(take.Start)}–{Clock(take.Start + take.Duration)} · seed {take.Seed} · {take.Settings.Prompt}");
            _fonts.Draw(_canvas, _fonts.Fit(meta, small, room), x, rect.Top + 38, small, muted);
            SmallButton(_layout.TakeUse(row), take.Active ? "In use" : "Use", take.Active, small, EditorTheme.Text);
            SmallButton(_layout.TakeDelete(row), "Delete", false, small, EditorTheme.Danger);
        }

        _canvas.Restore();
        if (takes.Count > _layout.VisibleTakeRows)
        {
            string more = string.Create(CultureInfo.InvariantCulture, $"{_editor.TakeScroll + 1}–{Math.Min(takes.Count, _editor.TakeScroll + _layout.VisibleTakeRows)} of {takes.Count} (scroll)");
            _fonts.Draw(_canvas, more, _layout.TakesCard.Left + 80, _layout.TakesCard.Top + 22, small, muted);
        }
    }

    // A notice answering what the producer just did (a take's drag: why not, or what was dropped) for a few seconds,
    // else a failure in full (what went wrong and what to do), else how the takes play.
    private void DrawMessage(SKFont small)
    {
        var rect = _layout.Message;
        var status = EngineStatus.From(_editor.Snapshot);
        bool notice = _editor.Notice.Length > 0;
        bool bad = !notice && status.Tone == StatusTone.Bad;
        string text = notice ? _editor.Notice
            : bad ? status.Headline + ". " + status.Detail
            : _editor.Snapshot.Running ? "Takes play at their place on the timeline. Use picks the one that plays; A/B compares it with the original."
            : _editor.Snapshot.Unavailable;
        if (bad)
        {
            using var back = Fill(EditorTheme.WarnBackground);
            _canvas.DrawRoundRect(rect, 6, 6, back);
            using var edge = Stroke(EditorTheme.Danger.WithAlpha(115));
            _canvas.DrawRoundRect(rect, 6, 6, edge);
        }

        using var ink = Fill(bad ? SKColor.Parse("#fecaca") : EditorTheme.Muted);
        var lines = _fonts.Wrap(text, small, rect.Width - 20);
        for (int i = 0; i < Math.Min(lines.Count, 4); i++)
            _fonts.Draw(_canvas, lines[i], rect.Left + 10, rect.Top + 18 + (i * 15), small, ink);
    }

    private void DrawPopup(ControlId id, SKFont font)
    {
        var (rect, columns, cellWidth) = PopupGeometry(_editor, id);
        using var shadow = Fill(SKColors.Black.WithAlpha(110));
        _canvas.DrawRoundRect(new SKRect(rect.Left + 3, rect.Top + 4, rect.Right + 3, rect.Bottom + 4), 8, 8, shadow);
        using var back = Fill(EditorTheme.Panel);
        _canvas.DrawRoundRect(rect, 8, 8, back);
        using var edge = Stroke(EditorTheme.Muted);
        _canvas.DrawRoundRect(rect, 8, 8, edge);
        var choices = Editor.Choices(id);
        int rows = (int)Math.Ceiling(choices.Count / (double)columns);
        using var text = Fill(EditorTheme.Text);
        using var ink = Fill(EditorTheme.AccentInk);
        using var selected = Fill(EditorTheme.Accent);
        using var cursor = Stroke(EditorTheme.Focus, 1.5f);
        // A complete's parts are ticked (several at once); other lists mark their one value.
        bool ticks = id == ControlId.TrackClasses;
        for (int i = 0; i < choices.Count; i++)
        {
            float x = rect.Left + 4 + (i / rows * cellWidth);
            float y = rect.Top + 4 + (i % rows * PopupCellHeight);
            var cell = new SKRect(x, y, x + cellWidth - 2, y + PopupCellHeight - 2);
            bool isCurrent = _editor.IsChosen(id, choices[i].Value);
            if (isCurrent)
                _canvas.DrawRoundRect(cell, 4, 4, selected);
            if (i == _editor.PopupCursor)
                _canvas.DrawRoundRect(cell, 4, 4, cursor);
            float indent = 6;
            if (ticks)
            {
                using var box = Stroke(isCurrent ? EditorTheme.AccentInk : EditorTheme.Muted, 1.2f);
                var square = new SKRect(x + 6, y + 5, x + 16, y + 15);
                _canvas.DrawRoundRect(square, 2, 2, box);
                if (isCurrent)
                {
                    using var check = new SKPath();
                    check.MoveTo(square.Left + 2, square.MidY);
                    check.LineTo(square.Left + 4.5f, square.Bottom - 2);
                    check.LineTo(square.Right - 1.5f, square.Top + 2);
                    _canvas.DrawPath(check, box);
                }

                indent = 22;
            }

            _fonts.Draw(_canvas, _fonts.Fit(choices[i].Label, font, cellWidth - indent - 6), x + indent, y + 15, font, isCurrent ? ink : text);
        }
    }

    private static (SKRect Rect, int Columns, float CellWidth) PopupGeometry(Editor editor, ControlId id)
    {
        var anchor = editor.Layout.Of(id);
        int count = Editor.Choices(id).Count;
        float cellWidth = Math.Max(anchor.Width, id is ControlId.Key ? 92 : id is ControlId.Language ? 60 : anchor.Width);
        int maxRows = Math.Max(4, (int)((editor.Layout.Height - 24) / PopupCellHeight) - 1);
        int columns = Math.Max(1, (int)Math.Ceiling(count / (double)Math.Min(maxRows, 14)));
        int rows = (int)Math.Ceiling(count / (double)columns);
        float width = (columns * cellWidth) + 8;
        float height = (rows * PopupCellHeight) + 8;
        float left = Math.Clamp(anchor.Left, 8, Math.Max(8, editor.Layout.Width - width - 8));
        float top = anchor.Bottom + 2 + height <= editor.Layout.Height - 8 ? anchor.Bottom + 2 : Math.Max(8, anchor.Top - 2 - height);
        return (new SKRect(left, top, left + width, top + height), columns, cellWidth);
    }

    private void TextField(ControlId id, string placeholder)
    {
        var rect = _layout.Of(id);
        var buffer = _editor.Text(id);
        bool focused = _editor.Focus == id;
        Box(rect, focused);
        using var font = FieldFont(_fonts, id);
        _canvas.Save();
        _canvas.ClipRect(new SKRect(rect.Left + 2, rect.Top + 2, rect.Right - 2, rect.Bottom - 2));
        using var text = Fill(EditorTheme.Text);
        using var muted = Fill(EditorTheme.Muted.WithAlpha(150));
        using var selection = Fill(EditorTheme.Selection);
        using var caret = Fill(EditorTheme.Focus);
        string all = buffer.Text;
        if (all.Length == 0 && !focused)
        {
            _fonts.Draw(_canvas, placeholder.Split('\n')[0], rect.Left + TextInset, FirstBaseline(rect, buffer.Multiline), font, muted);
        }
        else if (buffer.Multiline)
        {
            var lines = Lines(all);
            int first = FirstVisibleLine(_editor, id);
            for (int row = first; row < lines.Count; row++)
            {
                float baseline = FirstBaseline(rect, true) + ((row - first) * LyricsLineHeight);
                if (baseline - LyricsLineHeight > rect.Bottom)
                    break;
                var (start, end) = lines[row];
                DrawLine(buffer, all, start, end, rect.Left + TextInset, baseline, LyricsLineHeight, font, text, selection, caret, focused);
            }
        }
        else
        {
            float scroll = HorizontalScroll(_editor, id, font);
            DrawLine(buffer, all, 0, all.Length, rect.Left + TextInset - scroll, FirstBaseline(rect, false), 18, font, text, selection, caret, focused);
        }

        _canvas.Restore();
    }

    private void DrawLine(TextBuffer buffer, string all, int start, int end, float x, float baseline, float lineHeight, SKFont font,
        SKPaint text, SKPaint selection, SKPaint caret, bool focused)
    {
        string line = all[start..end];
        if (focused && buffer.HasSelection && buffer.SelectionEnd >= start && buffer.SelectionStart <= end)
        {
            int from = Math.Max(buffer.SelectionStart, start) - start;
            int to = Math.Min(buffer.SelectionEnd, end) - start;
            float left = x + _fonts.Measure(line[..from], font);
            float right = x + _fonts.Measure(line[..to], font) + (buffer.SelectionEnd > end ? 4 : 0);
            _canvas.DrawRect(new SKRect(left, baseline - lineHeight + 4, right, baseline + 4), selection);
        }

        _fonts.Draw(_canvas, line, x, baseline, font, text);
        if (focused && _editor.CaretVisible && buffer.Caret >= start && buffer.Caret <= end)
        {
            float cx = x + _fonts.Measure(line[..(buffer.Caret - start)], font);
            _canvas.DrawRect(new SKRect(cx, baseline - lineHeight + 5, cx + 1.5f, baseline + 3), caret);
        }
    }

    private void Choice(ControlId id, SKFont font)
    {
        var rect = _layout.Of(id);
        Box(rect, _editor.Focus == id || _editor.OpenChoice == id);
        string label = _editor.ChoiceText(id);
        using var text = Fill(EditorTheme.Text);
        _fonts.Draw(_canvas, _fonts.Fit(label, font, rect.Width - 30), rect.Left + TextInset, rect.MidY + 4.5f, font, text);
        using var arrow = Fill(EditorTheme.Muted);
        using var path = new SKPath();
        path.MoveTo(rect.Right - 18, rect.MidY - 2);
        path.LineTo(rect.Right - 10, rect.MidY - 2);
        path.LineTo(rect.Right - 14, rect.MidY + 3);
        path.Close();
        _canvas.DrawPath(path, arrow);
    }

    private void Slider(ControlId id, double value)
    {
        var rect = _layout.Of(id);
        float y = rect.MidY;
        using var track = Fill(EditorTheme.Panel2);
        _canvas.DrawRoundRect(new SKRect(rect.Left + 6, y - 3, rect.Right - 6, y + 3), 3, 3, track);
        float x = rect.Left + 6 + (float)((rect.Width - 12) * Math.Clamp(value, 0, 1));
        using var fill = Fill(EditorTheme.Accent);
        _canvas.DrawRoundRect(new SKRect(rect.Left + 6, y - 3, x, y + 3), 3, 3, fill);
        _canvas.DrawCircle(x, y, 7, fill);
        if (_editor.Focus == id)
        {
            using var ring = Stroke(EditorTheme.Focus, 2);
            _canvas.DrawCircle(x, y, 9, ring);
        }
    }

    private void Button(ControlId id, string label, bool primary, bool enabled, SKFont font)
    {
        var rect = _layout.Of(id);
        byte alpha = enabled ? (byte)255 : (byte)115;
        bool hover = enabled && _editor.Hover == id;
        using var back = Fill((primary ? EditorTheme.Accent : EditorTheme.Panel2).WithAlpha(alpha));
        _canvas.DrawRoundRect(rect, 6, 6, back);
        using var edge = Stroke((primary ? EditorTheme.Accent : hover ? EditorTheme.Muted : EditorTheme.Line).WithAlpha(alpha));
        _canvas.DrawRoundRect(rect, 6, 6, edge);
        if (_editor.Focus == id)
        {
            using var ring = Stroke(EditorTheme.Focus, 2);
            _canvas.DrawRoundRect(SKRect.Inflate(rect, 2, 2), 7, 7, ring);
        }

        using var text = Fill((primary ? EditorTheme.AccentInk : EditorTheme.Text).WithAlpha(alpha));
        float width = _fonts.Measure(label, font);
        _fonts.Draw(_canvas, label, rect.MidX - (width / 2), rect.MidY + 4.5f, font, text);
    }

    private void SmallButton(SKRect rect, string label, bool on, SKFont font, SKColor color)
    {
        using var back = Fill(on ? EditorTheme.Accent : EditorTheme.Panel);
        _canvas.DrawRoundRect(rect, 5, 5, back);
        using var edge = Stroke(on ? EditorTheme.Accent : EditorTheme.Line);
        _canvas.DrawRoundRect(rect, 5, 5, edge);
        using var text = Fill(on ? EditorTheme.AccentInk : color);
        float width = _fonts.Measure(label, font);
        _fonts.Draw(_canvas, label, rect.MidX - (width / 2), rect.MidY + 4, font, text);
    }

    private void Toggle(ControlId id, string label, bool on, SKFont font) => SmallButton(_layout.Of(id), label, on, font, EditorTheme.Text);

    private void Box(SKRect rect, bool focused)
    {
        using var back = Fill(EditorTheme.Panel2);
        _canvas.DrawRoundRect(rect, 6, 6, back);
        using var edge = Stroke(focused ? EditorTheme.Focus : EditorTheme.Line, focused ? 2 : 1);
        _canvas.DrawRoundRect(rect, 6, 6, edge);
    }

    private void Card(SKRect rect, string title, SKFont small)
    {
        using var back = Fill(EditorTheme.Panel);
        _canvas.DrawRoundRect(rect, 10, 10, back);
        using var edge = Stroke(EditorTheme.Line);
        _canvas.DrawRoundRect(rect, 10, 10, edge);
        using var muted = Fill(EditorTheme.Muted);
        using var heading = Font(_fonts.Bold, 11.5f);
        _fonts.Draw(_canvas, title, rect.Left + 14, rect.Top + 22, heading, muted);
    }

    private void Label(SKRect field, string text, SKFont small, string right = "")
    {
        using var muted = Fill(EditorTheme.Muted);
        _fonts.Draw(_canvas, text, field.Left, field.Top - 5, small, muted);
        if (right.Length > 0)
        {
            using var value = Fill(EditorTheme.Text.WithAlpha(200));
            float width = _fonts.Measure(right, small);
            _fonts.Draw(_canvas, right, field.Right - width, field.Top - 5, small, value);
        }
    }

    // One filled path of a bar per bucket: a single draw call instead of one anti-aliased line per bucket.
    private void DrawPeaks(IReadOnlyList<float> peaks, SKRect rect, SKColor color)
    {
        int buckets = peaks.Count / 2;
        if (buckets == 0)
            return;
        float width = rect.Width / buckets;
        float mid = rect.MidY;
        float half = rect.Height / 2 * 0.92f;
        using var path = new SKPath();
        for (int i = 0; i < buckets; i++)
        {
            float x = rect.Left + (i * width);
            float min = Math.Clamp(peaks[2 * i], -1, 1);
            float max = Math.Clamp(peaks[(2 * i) + 1], -1, 1);
            path.AddRect(new SKRect(x, mid - (max * half), x + Math.Max(1, width), mid - (min * half) + 1));
        }

        using var paint = new SKPaint { Color = color, IsAntialias = false, Style = SKPaintStyle.Fill };
        _canvas.DrawPath(path, paint);
    }

    // A take's mode, with its part for the stem jobs ("lego drums"), so takes of different parts tell apart.
    private static string TakeMode(SessionSettings settings) => settings.Mode switch
    {
        "lego" or "extract" => $"{settings.Mode} {settings.TrackName}",
        "complete" when settings.TrackClasses.Count > 0 => $"complete + {string.Join(", ", settings.TrackClasses)}",
        _ => settings.Mode,
    };

    private static string ContextLine(SessionView view)
    {
        var c = view.Context;
        var parts = new List<string>();
        parts.Add(c.Tempo is { } tempo ? string.Create(CultureInfo.InvariantCulture, $"{tempo:0.##} BPM") : "no tempo from the host");
        if (c.Numerator is { } n && c.Denominator is { } d)
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{n}/{d}"));
        if (view.SampleRate > 0)
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{view.SampleRate / 1000:0.#} kHz"));
        return string.Join(" · ", parts);
    }

    private static string RangeLine(SessionView view)
    {
        var c = view.Context;
        if (c.RangeStart is not { } start || c.RangeEnd is not { } end)
            return "No range yet: set a loop/cycle range in the host, or Start Bar and Length on the plugin.";
        string source = c.RangeSource switch
        {
            "hostSelection" => "the host's selection",
            "cycle" => "the loop range",
            "parameters" => "Start Bar + Length",
            _ => "the range",
        };
        // Hosts' positions drift by a few samples (and a range's end may be its last sample): a hundredth of a bar of slack.
        string bars = BarPosition(c, start) is { } from && BarPosition(c, end) is { } to
            ? ((int)Math.Floor(from + 0.01) + 1, (int)Math.Ceiling(to - 0.01)) switch
            {
                var (first, last) when last > first => string.Create(CultureInfo.InvariantCulture, $"bars {first}–{last}, "),
                var (first, _) => string.Create(CultureInfo.InvariantCulture, $"bar {first}, "),
            }
            : "";
        return string.Create(CultureInfo.InvariantCulture, $"Range from {source}: {bars}{Clock(start)}–{Clock(end)} ({end - start:0.0} s)");
    }

    // Bars since the project start at a time (0 at bar 1), from the host's tempo and metre taken as constant since bar 1.
    private static double? BarPosition(SessionContext context, double seconds)
    {
        if (context.Tempo is not { } tempo || tempo <= 0 || context.Numerator is not { } n || context.Denominator is not { } d || n <= 0 || d <= 0)
            return null;
        return seconds * tempo / 60 / (n * 4.0 / d);
    }

    // The number of the bar a bar line starts.
    private static int? BarNumber(SessionContext context, double lineSeconds) =>
        BarPosition(context, lineSeconds) is { } position ? (int)Math.Round(position) + 1 : null;

    private static string Clock(double seconds)
    {
        seconds = Math.Max(0, seconds);
        int minutes = (int)(seconds / 60);
        return string.Create(CultureInfo.InvariantCulture, $"{minutes}:{seconds - (minutes * 60):00.0}");
    }

    private static SKColor ToneColor(StatusTone tone) => tone switch
    {
        StatusTone.Good => EditorTheme.Accent,
        StatusTone.Working => EditorTheme.Focus,
        StatusTone.Bad => EditorTheme.Danger,
        _ => EditorTheme.Muted,
    };

    private static float FirstBaseline(SKRect rect, bool multiline) => multiline ? rect.Top + 18 : rect.MidY + 4.5f;

    private static List<(int Start, int End)> Lines(string text)
    {
        var lines = new List<(int, int)>();
        int start = 0;
        for (int i = 0; i <= text.Length; i++)
        {
            if (i == text.Length || text[i] == '\n')
            {
                lines.Add((start, i));
                start = i + 1;
            }
        }

        return lines;
    }

    // The first lyrics line shown: scrolled so the caret's line is visible.
    private static int FirstVisibleLine(Editor editor, ControlId id)
    {
        var buffer = editor.Text(id);
        var rect = editor.Layout.Of(id);
        int visible = Math.Max(1, (int)((rect.Height - 6) / LyricsLineHeight));
        int caretLine = buffer.Text[..buffer.Caret].Count(c => c == '\n');
        return Math.Max(0, caretLine - visible + 1);
    }

    // A single-line field scrolls so the caret stays inside it.
    private static float HorizontalScroll(Editor editor, ControlId id, SKFont font)
    {
        var buffer = editor.Text(id);
        float room = editor.Layout.Of(id).Width - (2 * TextInset);
        float caret = editor.Fonts.Measure(buffer.Text[..buffer.Caret], font);
        return Math.Max(0, caret - room + 2);
    }

    private static int PreviousBoundary(string text, int index)
    {
        int previous = 0;
        foreach (int b in TextBuffer.Boundaries(text))
        {
            if (b >= index)
                break;
            previous = b;
        }

        return previous;
    }

    private static SKFont FieldFont(EditorFonts fonts, ControlId id) => Font(id == ControlId.Lyrics ? fonts.Mono : fonts.Ui, FontSize);

    private static SKFont Font(SKTypeface typeface, float size) => new(typeface, size) { Edging = SKFontEdging.Antialias, Subpixel = true };

    private static SKPaint Fill(SKColor color) => new() { Color = color, IsAntialias = true, Style = SKPaintStyle.Fill };

    private static SKPaint Stroke(SKColor color, float width = 1) => new() { Color = color, IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = width };
}
