namespace AceStep.Plugin.Editor.Tests;

/// <summary>Text editing as a producer types: characters of any script, words, lines, selections.</summary>
public class TextBufferTests
{
    [Fact]
    public void Arrows_and_backspace_step_over_whole_characters_accents_cjk_and_emoji()
    {
        // "e" + combining acute, a CJK ideograph, an emoji outside the BMP (a surrogate pair).
        var text = new TextBuffer(multiline: false, maxLength: 100);
        text.Insert("ae\u0301中🎹z");
        text.MoveLeft(select: false, word: false); // before z
        text.MoveLeft(select: false, word: false); // before 🎹
        Assert.Equal(4, text.Caret);
        text.MoveLeft(select: false, word: false); // before 中
        text.MoveLeft(select: false, word: false); // before e + accent
        Assert.Equal(1, text.Caret);
        text.MoveRight(select: false, word: false);
        Assert.Equal(3, text.Caret);
        text.End(select: false, wholeText: false);
        Assert.True(text.Backspace(word: false));
        Assert.True(text.Backspace(word: false));
        Assert.Equal("ae\u0301中", text.Text);
        Assert.True(text.Backspace(word: false));
        Assert.True(text.Backspace(word: false));
        Assert.Equal("a", text.Text);
    }

    [Fact]
    public void Typing_over_a_selection_replaces_it_and_word_moves_skip_words()
    {
        var text = new TextBuffer(multiline: false, maxLength: 100);
        text.Insert("warm analog bass");
        text.MoveLeft(select: false, word: true);
        Assert.Equal(12, text.Caret);
        text.MoveLeft(select: true, word: true);
        Assert.Equal("analog ", text.SelectedText);
        text.Insert("digital ");
        Assert.Equal("warm digital bass", text.Text);
        text.SelectAll();
        text.Insert("x");
        Assert.Equal("x", text.Text);
        text.SelectWord(0);
        Assert.Equal("x", text.SelectedText);
    }

    [Fact]
    public void A_single_line_field_turns_pasted_line_breaks_into_spaces_and_lyrics_keep_them_with_up_and_down()
    {
        var prompt = new TextBuffer(multiline: false, maxLength: 100);
        prompt.Insert("bass\r\ndrums\nkeys");
        Assert.Equal("bass drums keys", prompt.Text);

        var lyrics = new TextBuffer(multiline: true, maxLength: 100);
        lyrics.Insert("[verse]\nla la\nend");
        lyrics.MoveLine(-1, select: false);
        Assert.Equal(11, lyrics.Caret); // "la la" line, column 3
        lyrics.MoveLine(-1, select: false);
        Assert.Equal(3, lyrics.Caret);
        lyrics.Home(select: false, wholeText: false);
        lyrics.MoveLine(1, select: true);
        Assert.Equal("[verse]\n", lyrics.SelectedText);
    }

    [Fact]
    public void The_length_limit_never_splits_a_character()
    {
        var text = new TextBuffer(multiline: false, maxLength: 3);
        text.Insert("ab🎹🎹");
        Assert.Equal("ab", text.Text);
        text.SetText("longer than three");
        Assert.Equal("lon", text.Text);
    }
}
