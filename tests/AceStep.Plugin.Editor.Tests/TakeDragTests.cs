using AceStep.Contracts.Sessions;

namespace AceStep.Plugin.Editor.Tests;

/// <summary>
/// Dragging a take out of the editor (the gesture; the X11 side is tested in tests/AceStep.Plugin.Tests/TakeDragTests
/// against a real XDND target): press on a take and move past the threshold, buttons stay buttons, a take without a
/// file says why instead.
/// </summary>
public sealed class TakeDragTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("acestep-drag-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private SessionTake TakeWithFile(string id, long seed)
    {
        string file = Path.Combine(_folder, $"take {id}.wav");
        File.WriteAllBytes(file, [1, 2, 3]);
        return SampleViews.Take(id, active: false, seed) with { File = file };
    }

    // Row 0 is the newest take (the last in the list).
    private static (float X, float Y) OnTake(TestEditor t, int row)
    {
        var rect = t.Editor.Layout.TakeRow(row);
        return (rect.Left + 50, rect.MidY);
    }

    [Fact]
    public void Pressing_on_a_take_and_moving_past_the_threshold_drags_its_file_and_the_end_is_reported()
    {
        using var t = new TestEditor();
        var older = TakeWithFile("a", 1);
        var newer = TakeWithFile("b", 2);
        t.Editor.Update(SampleViews.Snapshot(SampleViews.Idle([older, newer])));
        var (x, y) = OnTake(t, 1);
        t.Editor.PointerDown(x, y, PointerButton.Left, Modifiers.None);
        t.Editor.PointerMove(x + 2, y + 2); // a hand's tremble is still a click
        Assert.Empty(t.Dragged);
        t.Editor.PointerMove(x + Editor.DragThreshold + 1, y);
        Assert.Equal([older.File!], t.Dragged);
        Assert.Equal("a", t.Editor.DraggingTakeId);
        Assert.Contains("Take 1", t.Editor.Notice, StringComparison.Ordinal);
        // The pointer keeps moving: one drag, not one per motion.
        t.Editor.PointerMove(x + 40, y + 40);
        Assert.Single(t.Dragged);

        t.Editor.FileDragEnded(dropped: true);
        Assert.Null(t.Editor.DraggingTakeId);
        Assert.Contains("take a.wav", t.Editor.Notice, StringComparison.Ordinal);
        Assert.Empty(t.Sent); // a drag changes nothing in the session
    }

    [Fact]
    public void Use_and_Delete_stay_clicks_and_a_click_on_a_take_drags_nothing()
    {
        using var t = new TestEditor();
        var take = TakeWithFile("a", 1);
        t.Editor.Update(SampleViews.Snapshot(SampleViews.Idle([take])));
        var use = t.Editor.Layout.TakeUse(0);
        t.Editor.PointerDown(use.MidX, use.MidY, PointerButton.Left, Modifiers.None);
        t.Editor.PointerMove(use.MidX + 30, use.MidY);
        t.Editor.PointerUp(use.MidX + 30, use.MidY);
        Assert.Equal(SessionCommands.SelectTake, t.Sent[0].Command);
        Assert.Empty(t.Dragged);

        var (x, y) = OnTake(t, 0);
        t.Click(x, y);
        t.Editor.PointerMove(x + 30, y); // moving after the release is no drag
        Assert.Empty(t.Dragged);
    }

    [Fact]
    public void A_take_whose_file_is_missing_is_not_offered_and_the_editor_says_why()
    {
        // Inputs tried: a take the project lists as missing, one whose file was deleted since, one never saved.
        using var t = new TestEditor();
        var listedMissing = TakeWithFile("m", 1) with { Missing = true };
        var deleted = TakeWithFile("d", 2);
        File.Delete(deleted.File!);
        var unsaved = SampleViews.Take("u", active: false, 3) with { File = null };
        t.Editor.Update(SampleViews.Snapshot(SampleViews.Idle([listedMissing, deleted, unsaved])));

        var (x, y) = OnTake(t, 2); // Take 1: listed missing
        t.Editor.PointerDown(x, y, PointerButton.Left, Modifiers.None);
        t.Editor.PointerMove(x + 20, y);
        t.Editor.PointerUp(x + 20, y);
        Assert.Contains("missing", t.Editor.Notice, StringComparison.Ordinal);
        Assert.Contains(listedMissing.File!, t.Editor.Notice, StringComparison.Ordinal);

        (x, y) = OnTake(t, 1); // Take 2: deleted after it was listed
        t.Editor.PointerDown(x, y, PointerButton.Left, Modifiers.None);
        t.Editor.PointerMove(x + 20, y);
        t.Editor.PointerUp(x + 20, y);
        Assert.Contains("Take 2 cannot be dragged: its file is missing", t.Editor.Notice, StringComparison.Ordinal);

        (x, y) = OnTake(t, 0); // Take 3: never saved
        t.Editor.PointerDown(x, y, PointerButton.Left, Modifiers.None);
        t.Editor.PointerMove(x + 20, y);
        Assert.Contains("Take 3 has no file", t.Editor.Notice, StringComparison.Ordinal);
        Assert.Empty(t.Dragged);
        Assert.Null(t.Editor.DraggingTakeId);

        // The notice goes away by itself.
        t.Now += TimeSpan.FromSeconds(10);
        t.Editor.Tick();
        Assert.Equal("", t.Editor.Notice);
    }

    [Fact]
    public void Where_the_window_system_has_no_drag_source_the_editor_names_the_file_instead()
    {
        using var t = new TestEditor { CanDrag = false };
        var take = TakeWithFile("a", 1);
        t.Editor.Update(SampleViews.Snapshot(SampleViews.Idle([take])));
        var (x, y) = OnTake(t, 0);
        t.Editor.PointerDown(x, y, PointerButton.Left, Modifiers.None);
        t.Editor.PointerMove(x + 20, y);
        Assert.Null(t.Editor.DraggingTakeId);
        Assert.Contains("not supported", t.Editor.Notice, StringComparison.Ordinal);
        Assert.Contains(take.File!, t.Editor.Notice, StringComparison.Ordinal);
    }
}
