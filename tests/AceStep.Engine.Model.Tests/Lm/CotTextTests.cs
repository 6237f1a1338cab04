using AceStep.Engine.Model.Lm;

namespace AceStep.Engine.Model.Tests.Lm;

/// <summary>The CoT block as the code phase is prompted with it, and reading back what phase 1 wrote.</summary>
public sealed class CotTextTests
{
    [Fact]
    public void The_block_lists_the_present_fields_in_sorted_key_order_with_bare_numbers()
    {
        var metadata = new CotMetadata { TimeSignature = 4, Language = "en", KeyScale = "C major", Duration = 30, Caption = "Dreamy synthwave", Bpm = 120 };
        Assert.Equal("<think>\nbpm: 120\ncaption: Dreamy synthwave\nduration: 30\nkeyscale: C major\nlanguage: en\ntimesignature: 4\n</think>",
            metadata.ToCotText());
        Assert.Equal("<think>\nduration: 10\n</think>", new CotMetadata { Duration = 10 }.ToCotText());
    }

    [Theory]
    [InlineData("no", "'no'")]                                     // Norwegian would read back as a boolean
    [InlineData("Rock: loud, fast", "'Rock: loud, fast'")]
    [InlineData("it's #1 # tag", "'it''s #1 # tag'")]
    [InlineData("120", "'120'")]
    [InlineData("[Verse] hook", "'[Verse] hook'")]
    [InlineData("plain words, with commas", "plain words, with commas")]
    public void Strings_yaml_would_misread_are_single_quoted(string caption, string written)
    {
        Assert.Equal($"<think>\ncaption: {written}\n</think>", new CotMetadata { Caption = caption }.ToCotText());
    }

    [Fact]
    public void A_long_caption_folds_past_column_80_onto_indented_lines_and_reads_back_whole()
    {
        var caption = string.Join(' ', Enumerable.Repeat("warm analog pads", 12));
        var text = new CotMetadata { Caption = caption, Bpm = 90 }.ToCotText();

        var lines = text.Split('\n');
        Assert.True(lines.Length > 5);
        Assert.All(lines.Skip(3).SkipLast(1), l => Assert.StartsWith("  ", l, StringComparison.Ordinal));
        Assert.All(lines, l => Assert.True(l.Length <= 80 + 12, l));
        Assert.Equal(caption, CotMetadata.Parse(text).Caption);
    }

    [Fact]
    public void Parsing_reads_fields_continuations_and_numerators_and_drops_what_it_cannot_read()
    {
        const string written = "<think>\nbpm: 96\ncaption: A slow\n  ballad\ngenres: pop\nduration: abc\nkeyscale: E♭ major\nlanguage: 'no'\ntimesignature: 3/4\n</think>\n\n<|audio_code_5|>";
        var parsed = CotMetadata.Parse(written);
        Assert.Equal(new CotMetadata { Bpm = 96, Caption = "A slow ballad", KeyScale = "E♭ major", Language = "no", TimeSignature = 3 }, parsed);
        Assert.Equal(new CotMetadata(), CotMetadata.Parse("no block at all"));
    }
}
