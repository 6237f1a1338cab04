using AceStep.Contracts.Sessions;

namespace AceStep.Plugin.Editor.Tests;

/// <summary>The editor's controls driven by clicks and keys as a producer uses them; what reaches the plugin is checked.</summary>
public class EditorTests
{
    [Fact]
    public void Typed_prompt_text_is_sent_as_settings_shortly_after_the_last_key_and_Generate_carries_it()
    {
        using var t = new TestEditor();
        t.Editor.Update(SampleViews.Snapshot(SampleViews.Idle()));
        t.Click(ControlId.Prompt);
        t.Editor.KeyDown(EditorKey.A, Modifiers.Control);
        t.Type("lofi piano, vinyl crackle");
        t.Editor.Tick();
        Assert.Empty(t.Sent); // still typing
        t.Now += TimeSpan.FromMilliseconds(400);
        t.Editor.Tick();
        var settings = Assert.Single(t.Sent);
        Assert.Equal(SessionCommands.Settings, settings.Command);
        Assert.Equal("lofi piano, vinyl crackle", settings.Settings!.Prompt);

        t.Type("!");
        t.Click(ControlId.Generate);
        var generate = t.Sent[^1];
        Assert.Equal(SessionCommands.Generate, generate.Command);
        Assert.Equal("lofi piano, vinyl crackle!", generate.Settings!.Prompt);
        Assert.Equal(42, generate.Settings.Seed);
    }

    [Fact]
    public void A_view_from_the_worker_does_not_overwrite_what_is_being_typed_but_does_afterwards()
    {
        using var t = new TestEditor();
        t.Editor.Update(SampleViews.Snapshot(SampleViews.Idle()));
        t.Click(ControlId.Prompt);
        t.Type(" and strings");
        // A view built before the edit arrived (the page's settings, the old prompt).
        var stale = SampleViews.Idle() with { Settings = new SessionSettings { Prompt = "old" } };
        t.Editor.Update(SampleViews.Snapshot(stale));
        Assert.EndsWith(" and strings", t.Editor.Text(ControlId.Prompt).Text);
        t.Now += TimeSpan.FromSeconds(3);
        t.Editor.Tick(); // sends the edit
        t.Now += TimeSpan.FromSeconds(3);
        var fromPage = SampleViews.Idle() with { Settings = new SessionSettings { Prompt = "typed on the page" } };
        t.Editor.Update(SampleViews.Snapshot(fromPage));
        Assert.Equal("typed on the page", t.Editor.Text(ControlId.Prompt).Text);
    }

    [Fact]
    public void Numbers_commit_on_Return_and_a_number_out_of_range_shows_the_old_value_again()
    {
        using var t = new TestEditor();
        t.Editor.Update(SampleViews.Snapshot(SampleViews.Idle()));
        t.Click(ControlId.Steps);
        t.Editor.KeyDown(EditorKey.A, Modifiers.Control);
        t.Type("12");
        t.Editor.KeyDown(EditorKey.Return, Modifiers.None);
        Assert.Equal(12, t.Sent[^1].Settings!.Steps);
        t.Editor.KeyDown(EditorKey.A, Modifiers.Control);
        t.Type("9999");
        t.Editor.KeyDown(EditorKey.Return, Modifiers.None);
        Assert.Equal("12", t.Editor.Text(ControlId.Steps).Text);
        // Letters never get into a number field.
        t.Type("ab");
        Assert.Equal("12", t.Editor.Text(ControlId.Steps).Text);
        t.Click(ControlId.Bpm);
        t.Type("92.5");
        t.Editor.KeyDown(EditorKey.Tab, Modifiers.None);
        Assert.Equal(92.5, t.Sent[^1].Settings!.Bpm);
        Assert.Equal(ControlId.Steps, t.Editor.Focus);
    }

    [Fact]
    public void The_key_list_opens_and_a_click_picks_a_key_the_mode_follows_arrows_and_strength_follows_the_pointer()
    {
        using var t = new TestEditor();
        t.Editor.Update(SampleViews.Snapshot(SampleViews.Idle()));
        t.Click(ControlId.Key);
        Assert.Equal(ControlId.Key, t.Editor.OpenChoice);
        // The third entry of the popup's first column (after Auto and the first key).
        var key = t.Editor.Layout.Of(ControlId.Key);
        var popupTop = key.Bottom + 2 > t.Editor.Layout.Height / 2 ? -1 : key.Bottom + 2;
        Assert.True(popupTop < 0 || popupTop > 0);
        Assert.Equal(ControlId.Key, t.Editor.Focus);
        t.Editor.KeyDown(EditorKey.Down, Modifiers.None);
        t.Editor.KeyDown(EditorKey.Down, Modifiers.None);
        Assert.Equal(Editor.Choices(ControlId.Key)[2].Value, t.Sent[^1].Settings!.KeyScale);

        t.Editor.KeyDown(EditorKey.Escape, Modifiers.None);
        t.Click(ControlId.Mode);
        t.Editor.KeyDown(EditorKey.Escape, Modifiers.None);
        t.Editor.KeyDown(EditorKey.Down, Modifiers.None);
        Assert.Equal("cover", t.Sent[^1].Settings!.Mode);

        var strength = t.Editor.Layout.Of(ControlId.Strength);
        t.Editor.PointerDown(strength.Left + 6 + ((strength.Width - 12) * 0.8f), strength.MidY, PointerButton.Left, Modifiers.None);
        t.Editor.PointerUp(0, 0);
        Assert.Equal(0.8, t.Sent[^1].Settings!.Strength, 2);
    }

    [Fact]
    public void Take_buttons_use_delete_and_switch_A_B_and_the_page_button_opens_the_page()
    {
        using var t = new TestEditor();
        t.Editor.Update(SampleViews.Snapshot(SampleViews.Idle([SampleViews.Take("first", false, 1), SampleViews.Take("second", true, 2)])));
        // Newest first: row 0 is "second" (in use), row 1 is "first".
        var use = t.Editor.Layout.TakeUse(1);
        t.Click(use.MidX, use.MidY);
        Assert.Equal(SessionCommands.SelectTake, t.Sent[^2].Command);
        Assert.Equal("first", t.Sent[^2].TakeId);
        Assert.Equal("take", t.Sent[^1].Listen);
        var inUse = t.Editor.Layout.TakeUse(0);
        t.Click(inUse.MidX, inUse.MidY);
        Assert.Null(t.Sent[^1].TakeId); // the take in use, clicked again: none plays

        var delete = t.Editor.Layout.TakeDelete(0);
        t.Click(delete.MidX, delete.MidY);
        Assert.Equal((SessionCommands.DeleteTake, "second"), (t.Sent[^1].Command, t.Sent[^1].TakeId));
        t.Click(ControlId.ListenOriginal);
        Assert.Equal("original", t.Sent[^1].Listen);
        t.Click(ControlId.OpenPage);
        Assert.Equal(1, t.PageOpened);
    }

    [Fact]
    public void Copy_and_paste_go_through_the_clipboard()
    {
        using var t = new TestEditor();
        t.Editor.Update(SampleViews.Snapshot(SampleViews.Idle()));
        t.Click(ControlId.Prompt);
        t.Editor.KeyDown(EditorKey.A, Modifiers.Control);
        t.Editor.KeyDown(EditorKey.C, Modifiers.Control);
        Assert.Equal("warm analog synth bass, tight drums", t.Clipboard);
        t.Click(ControlId.Lyrics);
        t.Editor.KeyDown(EditorKey.End, Modifiers.Control);
        t.Editor.KeyDown(EditorKey.Return, Modifiers.None);
        t.Editor.KeyDown(EditorKey.V, Modifiers.Control);
        Assert.Equal("[verse]\nla la la\nwarm analog synth bass, tight drums", t.Editor.Text(ControlId.Lyrics).Text);
    }

    [Fact]
    public void The_engines_state_is_said_in_words_with_the_command_for_a_missing_model()
    {
        Assert.Equal("Starting the engine…", EngineStatus.From(new SessionJob { State = "connecting" }).Headline);
        Assert.Equal("Busy · Diffusion 40%", EngineStatus.From(new SessionJob { State = "running", Progress = 40, Stage = "diffusion" }).Headline);
        Assert.Equal("Downloading the model · 12%", EngineStatus.From(new SessionJob { State = "running", Progress = 12, Stage = "model-download" }).Headline);
        var missing = EngineStatus.From(new SessionJob
        {
            State = "failed",
            Message = "The model 'acestep-v15-base' needs dit, not installed in /home/me/models. Install with: acestep models pull acestep-v15-base",
        });
        Assert.Equal(("Model not installed", "Install it with: acestep models pull acestep-v15-base"), (missing.Headline, missing.Detail));
        Assert.Equal("Not running", EngineStatus.From(new EditorSnapshot { Running = false }).Headline);
        Assert.Equal(StatusTone.Bad, EngineStatus.From(new SessionJob { State = "failed", Message = "boom" }).Tone);
    }

    [Fact]
    public void Size_requests_are_held_to_the_minimum_layout_and_scale_doubles_the_pixels()
    {
        using var t = new TestEditor();
        Assert.Equal((760, 540), t.Editor.Constrain(10, 10));
        t.Editor.SetScale(2);
        Assert.Equal((1520, 1080), t.Editor.Constrain(10, 10));
        t.Editor.SetSize(1920, 1280);
        Assert.Equal(960, t.Editor.Layout.Width);
        // A click in physical pixels lands on the control at its logical place.
        var prompt = t.Editor.Layout.Prompt;
        t.Click(prompt.MidX, prompt.MidY);
        Assert.Equal(ControlId.Prompt, t.Editor.Focus);
    }
}
