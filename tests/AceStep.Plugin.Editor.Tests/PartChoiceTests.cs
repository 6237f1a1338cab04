using AceStep.Contracts.Sessions;
using AceStep.Contracts.Tasks;

namespace AceStep.Plugin.Editor.Tests;

/// <summary>
/// The part of the stem modes in the editor: the stem a lego adds or an extract isolates (Track), the stems a complete
/// adds (TrackClasses, none = the model chooses), offered in the cover scale's slot only in those modes, by mouse and
/// keyboard, and following what the page or the host's Track parameter chose.
/// </summary>
public class PartChoiceTests
{
    private static EditorSnapshot InMode(string mode, string track = "drums", IReadOnlyList<string>? classes = null) =>
        SampleViews.Snapshot(SampleViews.Idle() with
        {
            Settings = new SessionSettings { Prompt = "", Mode = mode, TrackName = track, TrackClasses = classes ?? [] },
        });

    private static void ClickOption(TestEditor t, ControlId list, string value)
    {
        int index = Editor.Choices(list).Select(c => c.Value).ToList().IndexOf(value);
        Assert.True(index >= 0, $"{value} is not in the {list} list");
        var rect = EditorRenderer.PopupOptionRect(t.Editor, list, index);
        t.Click(rect.MidX, rect.MidY);
    }

    private static List<ControlId> TabOrder(TestEditor t)
    {
        var seen = new List<ControlId>();
        for (int i = 0; i < EditorLayout.FocusOrder.Count; i++)
        {
            t.Editor.KeyDown(EditorKey.Tab, Modifiers.None);
            seen.Add(t.Editor.Focus);
        }

        return seen;
    }

    [Theory]
    [InlineData("repaint")]
    [InlineData("cover")]
    [InlineData("generate")]
    public void Repaint_cover_and_generate_offer_no_part_and_keep_the_cover_scale(string mode)
    {
        using var t = new TestEditor();
        t.Editor.Update(InMode(mode));
        Assert.False(t.Editor.IsShown(ControlId.Track));
        Assert.False(t.Editor.IsShown(ControlId.TrackClasses));

        // The shared slot is the cover scale: the pointer hits it, Tab stops on it, never on a part.
        var slot = t.Editor.Layout.Of(ControlId.CoverScale);
        Assert.Equal(ControlId.CoverScale, t.Editor.HitTest(new(slot.MidX, slot.MidY)).Id);
        var order = TabOrder(t);
        Assert.Contains(ControlId.CoverScale, order);
        Assert.DoesNotContain(ControlId.Track, order);
        Assert.DoesNotContain(ControlId.TrackClasses, order);
        t.Click(ControlId.CoverScale);
        Assert.Equal(ControlId.None, t.Editor.OpenChoice);
    }

    [Theory]
    [InlineData("lego", "Part to add")]
    [InlineData("extract", "Stem to extract")]
    public void Add_a_part_and_extract_offer_the_stem_where_the_cover_scale_was_and_a_click_picks_it(string mode, string _)
    {
        using var t = new TestEditor();
        t.Editor.Update(InMode(mode));
        Assert.True(t.Editor.IsShown(ControlId.Track));
        Assert.False(t.Editor.IsShown(ControlId.CoverScale));
        Assert.Equal("Drums", t.Editor.ChoiceText(ControlId.Track));

        t.Click(ControlId.Track);
        Assert.Equal(ControlId.Track, t.Editor.OpenChoice);
        Assert.Equal(StemTracks.All.Count, Editor.Choices(ControlId.Track).Count);
        ClickOption(t, ControlId.Track, "backing_vocals");
        Assert.Equal(ControlId.None, t.Editor.OpenChoice);
        Assert.Equal((SessionCommands.Settings, "backing_vocals"), (t.Sent[^1].Command, t.Sent[^1].Settings!.TrackName));
        Assert.Equal("Backing Vocals", t.Editor.ChoiceText(ControlId.Track));

        // Generate carries the part, and an empty prompt is the producer's to send (the stem jobs need none).
        t.Click(ControlId.Generate);
        Assert.Equal(SessionCommands.Generate, t.Sent[^1].Command);
        Assert.Equal((mode, "backing_vocals", ""), (t.Sent[^1].Settings!.Mode, t.Sent[^1].Settings!.TrackName, t.Sent[^1].Settings!.Prompt));
    }

    [Fact]
    public void The_part_is_reached_with_Tab_and_changed_with_the_arrows()
    {
        using var t = new TestEditor();
        t.Editor.Update(InMode("lego", track: "guitar"));
        var order = TabOrder(t);
        Assert.Contains(ControlId.Track, order);
        Assert.DoesNotContain(ControlId.CoverScale, order);
        Assert.DoesNotContain(ControlId.TrackClasses, order);
        // Strength, then the part, then the language: the slot's place in the grid.
        Assert.Equal(order.IndexOf(ControlId.Strength) + 1, order.IndexOf(ControlId.Track));

        while (t.Editor.Focus != ControlId.Track)
            t.Editor.KeyDown(EditorKey.Tab, Modifiers.None);
        // StemTracks.All: … keyboard, guitar, bass, drums …
        t.Editor.KeyDown(EditorKey.Down, Modifiers.None);
        Assert.Equal("bass", t.Sent[^1].Settings!.TrackName);
        t.Editor.KeyDown(EditorKey.Up, Modifiers.None);
        t.Editor.KeyDown(EditorKey.Up, Modifiers.None);
        Assert.Equal("keyboard", t.Sent[^1].Settings!.TrackName);
        t.Editor.KeyDown(EditorKey.Return, Modifiers.None);
        Assert.Equal(ControlId.Track, t.Editor.OpenChoice);
        t.Editor.KeyDown(EditorKey.Return, Modifiers.None);
        Assert.Equal(ControlId.None, t.Editor.OpenChoice);
    }

    [Fact]
    public void Complete_ticks_several_parts_with_clicks_and_the_model_chooses_clears_them()
    {
        using var t = new TestEditor();
        t.Editor.Update(InMode("complete"));
        Assert.True(t.Editor.IsShown(ControlId.TrackClasses));
        Assert.False(t.Editor.IsShown(ControlId.Track));
        Assert.Equal("The model chooses", t.Editor.ChoiceText(ControlId.TrackClasses));

        t.Click(ControlId.TrackClasses);
        ClickOption(t, ControlId.TrackClasses, "drums");
        // The list stays open for the next part.
        Assert.Equal(ControlId.TrackClasses, t.Editor.OpenChoice);
        ClickOption(t, ControlId.TrackClasses, "bass");
        // In the stems' own order, as the page sends them.
        Assert.Equal(["bass", "drums"], t.Sent[^1].Settings!.TrackClasses);
        Assert.Equal("Bass, Drums", t.Editor.ChoiceText(ControlId.TrackClasses));
        ClickOption(t, ControlId.TrackClasses, "bass");
        Assert.Equal(["drums"], t.Sent[^1].Settings!.TrackClasses);

        ClickOption(t, ControlId.TrackClasses, "");
        Assert.Empty(t.Sent[^1].Settings!.TrackClasses);
        Assert.Equal(ControlId.None, t.Editor.OpenChoice);
        Assert.Equal("The model chooses", t.Editor.ChoiceText(ControlId.TrackClasses));
    }

    [Fact]
    public void Complete_parts_are_ticked_with_the_keyboard()
    {
        using var t = new TestEditor();
        t.Editor.Update(InMode("complete"));
        while (t.Editor.Focus != ControlId.TrackClasses)
            t.Editor.KeyDown(EditorKey.Tab, Modifiers.None);
        Assert.True(t.Editor.KeyDown(EditorKey.Return, Modifiers.None));
        Assert.Equal((ControlId.TrackClasses, 0), (t.Editor.OpenChoice, t.Editor.PopupCursor));
        // Down twice: past "the model chooses" and woodwinds, onto brass; moving the cursor ticks nothing.
        int sent = t.Sent.Count;
        t.Editor.KeyDown(EditorKey.Down, Modifiers.None);
        t.Editor.KeyDown(EditorKey.Down, Modifiers.None);
        Assert.Equal((sent, 2), (t.Sent.Count, t.Editor.PopupCursor));
        t.Editor.KeyDown(EditorKey.Return, Modifiers.None);
        Assert.Equal(["brass"], t.Sent[^1].Settings!.TrackClasses);
        t.Editor.KeyDown(EditorKey.Down, Modifiers.None);
        t.Editor.KeyDown(EditorKey.Return, Modifiers.None);
        Assert.Equal(["brass", "fx"], t.Sent[^1].Settings!.TrackClasses);
        t.Editor.KeyDown(EditorKey.Escape, Modifiers.None);
        Assert.Equal(ControlId.None, t.Editor.OpenChoice);
        Assert.Equal(ControlId.TrackClasses, t.Editor.Focus);

        t.Editor.KeyDown(EditorKey.Return, Modifiers.Control);
        Assert.Equal(SessionCommands.Generate, t.Sent[^1].Command);
        Assert.Equal(["brass", "fx"], t.Sent[^1].Settings!.TrackClasses);

        // Return on "the model chooses" clears the parts.
        t.Editor.KeyDown(EditorKey.Return, Modifiers.None);
        t.Editor.KeyDown(EditorKey.Return, Modifiers.None);
        Assert.Empty(t.Sent[^1].Settings!.TrackClasses);
    }

    [Fact]
    public void A_part_chosen_on_the_page_or_with_the_hosts_Track_parameter_shows_in_the_editor()
    {
        using var t = new TestEditor();
        t.Editor.Update(InMode("extract", track: "drums"));
        // The worker's next view: the host's Track parameter was set to Vocals.
        t.Editor.Update(InMode("extract", track: "vocals"));
        Assert.Equal("Vocals", t.Editor.ChoiceText(ControlId.Track));
        t.Editor.Update(InMode("complete", classes: ["strings", "keyboard"]));
        Assert.Equal("Strings, Keyboard", t.Editor.ChoiceText(ControlId.TrackClasses));
        Assert.True(t.Editor.IsChosen(ControlId.TrackClasses, "strings"));
        Assert.False(t.Editor.IsChosen(ControlId.TrackClasses, ""));
    }

    [Fact]
    public void A_mode_changed_elsewhere_while_the_part_list_is_open_closes_and_hides_it()
    {
        using var t = new TestEditor();
        t.Editor.Update(InMode("lego"));
        t.Click(ControlId.Track);
        Assert.Equal((ControlId.Track, ControlId.Track), (t.Editor.OpenChoice, t.Editor.Focus));
        t.Now += TimeSpan.FromSeconds(3);
        t.Editor.Update(InMode("repaint"));
        Assert.Equal((ControlId.None, ControlId.None), (t.Editor.OpenChoice, t.Editor.Focus));
        // The slot is the cover scale again: a key press does not reach the hidden part.
        Assert.False(t.Editor.KeyDown(EditorKey.Down, Modifiers.None));
        Assert.Equal("drums", t.Editor.Settings.TrackName);
    }

    [Fact]
    public void Choosing_a_stem_mode_in_the_editor_puts_the_part_in_the_slot_at_once()
    {
        using var t = new TestEditor();
        t.Editor.Update(InMode("repaint"));
        t.Click(ControlId.Mode);
        ClickOption(t, ControlId.Mode, "extract");
        Assert.Equal("extract", t.Sent[^1].Settings!.Mode);
        var slot = t.Editor.Layout.Of(ControlId.CoverScale);
        Assert.Equal(ControlId.Track, t.Editor.HitTest(new(slot.MidX, slot.MidY)).Id);
    }
}
