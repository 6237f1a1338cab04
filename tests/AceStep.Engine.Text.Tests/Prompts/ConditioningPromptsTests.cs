using AceStep.Engine.Text.Prompts;
using AceStep.Engine.Text.Tests.Tokenization;

namespace AceStep.Engine.Text.Tests.Prompts;

public sealed class ConditioningPromptsTests
{
    [Fact]
    public void The_caption_prompt_of_the_spec_example_is_exact()
    {
        var prompt = ConditioningPrompts.Caption(
            TaskInstruction.Text2Music,
            "upbeat synth pop, female vocals",
            new MusicMetas(Bpm: 120, TimeSignature: 4, KeyScale: "C major", DurationSeconds: 30));

        Assert.Equal(
            "# Instruction\nFill the audio semantic mask based on the given conditions:\n\n"
            + "# Caption\nupbeat synth pop, female vocals\n\n"
            + "# Metas\n- bpm: 120\n- timesignature: 4\n- keyscale: C major\n- duration: 30 seconds\n<|endoftext|>\n",
            prompt);
    }

    [Fact]
    public void Unknown_metas_are_written_as_NA_and_the_duration_defaults_to_30_seconds()
    {
        Assert.Equal(
            "- bpm: N/A\n- timesignature: N/A\n- keyscale: N/A\n- duration: 30 seconds\n",
            new MusicMetas().ToMetaString());
        Assert.Equal(
            "- bpm: N/A\n- timesignature: 3\n- keyscale: N/A\n- duration: 187 seconds\n",
            new MusicMetas(TimeSignature: 3, KeyScale: "", DurationSeconds: 187.9).ToMetaString());
    }

    [Fact]
    public void An_instruction_without_a_colon_gets_one()
    {
        var prompt = ConditioningPrompts.Caption("Do something", "c", new MusicMetas());
        Assert.StartsWith("# Instruction\nDo something:\n\n# Caption\nc\n\n", prompt, StringComparison.Ordinal);
        Assert.Equal("Already:", TaskInstruction.Format("Already:"));
    }

    [Fact]
    public void The_non_cover_caption_uses_the_text2music_instruction()
    {
        var metas = new MusicMetas(Bpm: 90);
        Assert.Equal(
            ConditioningPrompts.Caption(TaskInstruction.Text2Music, "lofi", metas),
            ConditioningPrompts.NonCoverCaption("lofi", metas));
    }

    [Fact]
    public void The_lyrics_prompt_is_exact()
    {
        Assert.Equal(
            "# Languages\nen\n\n# Lyric\n[Verse]\nHello there<|endoftext|>",
            ConditioningPrompts.Lyrics("en", "[Verse]\nHello there"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  \n ")]
    public void Absent_lyrics_become_instrumental(string? lyrics)
    {
        Assert.Equal("# Languages\nunknown\n\n# Lyric\n[Instrumental]<|endoftext|>", ConditioningPrompts.Lyrics("unknown", lyrics));
    }

    [Fact]
    public void Task_instructions_match_the_model_training_text()
    {
        Assert.Equal("Repaint the mask area based on the given conditions:", TaskInstruction.Repaint);
        Assert.Equal("Generate audio semantic tokens based on the given conditions:", TaskInstruction.Cover);
        Assert.Equal("Extract the track from the audio:", TaskInstruction.Extract());
        Assert.Equal("Extract the VOCALS track from the audio:", TaskInstruction.Extract("vocals"));
        Assert.Equal("Generate the track based on the audio context:", TaskInstruction.Lego());
        Assert.Equal("Generate the BACKING_VOCALS track based on the audio context:", TaskInstruction.Lego("Backing_Vocals"));
        Assert.Equal("Complete the input track:", TaskInstruction.Complete());
        Assert.Equal("Complete the input track with DRUMS | BASS | GUITAR:", TaskInstruction.Complete(["drums", "bass", "guitar"]));
        Assert.Throws<ArgumentException>(() => TaskInstruction.Extract("kazoo"));
        Assert.Equal(12, TaskInstruction.TrackNames.Count);
    }

    [Fact]
    public void The_caption_prompt_ends_in_the_end_of_text_id_then_a_newline()
    {
        using var files = new TinyQwenTokenizer();
        var tokenizer = files.Load();
        var ids = tokenizer.Encode(ConditioningPrompts.Caption(TaskInstruction.Text2Music, "x", new MusicMetas()), ConditioningPrompts.CaptionMaxTokens);
        Assert.Equal([TinyQwenTokenizer.EndOfText, '\n'], ids[^2..]);
        var lyricIds = tokenizer.Encode(ConditioningPrompts.Lyrics("en", null), ConditioningPrompts.LyricsMaxTokens);
        Assert.Equal(TinyQwenTokenizer.EndOfText, lyricIds[^1]);
    }
}
