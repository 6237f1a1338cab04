using System.Diagnostics;
using System.Text;
using AceStep.Engine.Text.Tokenization;
using AceStep.Engine.Text.Unicode;
using static AceStep.Engine.Text.Tests.Tokenization.TinyQwenTokenizer;

namespace AceStep.Engine.Text.Tests.Tokenization;

public sealed class QwenTokenizerTests : IDisposable
{
    private readonly TinyQwenTokenizer _files = new();
    private readonly QwenTokenizer _tokenizer;

    public QwenTokenizerTests() => _tokenizer = _files.Load();

    public void Dispose() => _files.Dispose();

    public static TheoryData<string, int[]> ExactIds => new()
    {
        { "hello", [Id("hello")] },
        { " the", [Id("Ġthe")] },
        { "the", ['t', Id("he")] },
        { "hello the", [Id("hello"), Id("Ġthe")] },
        // é is two UTF-8 bytes merged into one token.
        { "é", [Id("Ã©")] },
        // 中 = E4 B8 AD merges fully; 文 = E6 96 87 has no merges and stays three byte tokens.
        { "中文", [Id("ä¸Ń"), 0xE6, 0x96, 0x87] },
        // 😀 = F0 9F 98 80: only the first two bytes merge.
        { "😀", [Id("ðŁ"), 0x98, 0x80] },
        // Digits are split one by one before BPE, so the "1 2" merge never applies.
        { "123", ['1', '2', '3'] },
        { "it's", [Id("it"), Id("'s")] },
        { "I'LL", ['I', Id("'LL")] },
        // Three spaces before a word: "  " then " b" (the last space joins the word).
        { "a   b", ['a', Id("ĠĠ"), ' ', 'b'] },
        { "x\n\ny", ['x', Id("ĊĊ"), 'y'] },
        { "end  ", ['e', 'n', 'd', Id("ĠĠ")] },
    };

    [Theory]
    [MemberData(nameof(ExactIds))]
    public void Text_encodes_to_the_ids_the_merges_give(string text, int[] expected)
    {
        Assert.Equal(expected, _tokenizer.Encode(text));
    }

    [Fact]
    public void Decomposed_accents_are_normalised_to_NFC_before_merging()
    {
        Assert.Equal([Id("Ã©")], _tokenizer.Encode("e\u0301"));
    }

    [Fact]
    public void Special_tokens_written_in_text_become_single_ids()
    {
        Assert.Equal([EndOfText], _tokenizer.Encode("<|endoftext|>"));
        Assert.Equal(['a', ImStart, 'b', ImEnd], _tokenizer.Encode("a<|im_start|>b<|im_end|>"));
        Assert.Equal([Think, '\n', EndThink], _tokenizer.Encode("<think>\n</think>"));
        Assert.Equal([Id("hello"), EndOfText, '\n'], _tokenizer.Encode("hello<|endoftext|>\n"));
    }

    [Fact]
    public void Almost_special_text_stays_ordinary_bytes()
    {
        var ids = _tokenizer.Encode("<|endoftext|");
        Assert.DoesNotContain(EndOfText, ids);
        Assert.Equal("<|endoftext|", _tokenizer.Decode(ids));
    }

    [Fact]
    public void Audio_code_tokens_map_to_their_ids_and_back()
    {
        Assert.Equal([FirstAudioCode + 5, FirstAudioCode + 42], _tokenizer.Encode("<|audio_code_5|><|audio_code_42|>"));
        Assert.Equal(FirstAudioCode + 99, _tokenizer.AudioCodeTokenId(99));
        Assert.True(_tokenizer.TryGetAudioCode(FirstAudioCode + 7, out var code));
        Assert.Equal(7, code);
        Assert.False(_tokenizer.TryGetAudioCode(EndOfText, out _));
        Assert.Equal(AudioCodes, _tokenizer.AudioCodeCount);
        Assert.Throws<ArgumentOutOfRangeException>(() => _tokenizer.AudioCodeTokenId(AudioCodes));
        Assert.Equal("<|audio_code_3|>", _tokenizer.Decode([FirstAudioCode + 3]));
    }

    [Fact]
    public void Audio_codes_the_tokenizer_lacks_or_spelled_oddly_are_plain_text()
    {
        var outOfRange = _tokenizer.Encode("<|audio_code_100|>");
        var leadingZero = _tokenizer.Encode("<|audio_code_05|>");
        Assert.All(outOfRange.Concat(leadingZero), id => Assert.True(id < 256 + Merges.Length));
        Assert.Equal("<|audio_code_100|>", _tokenizer.Decode(outOfRange));
    }

    [Fact]
    public void Encoding_stops_at_the_maximum_length()
    {
        var full = _tokenizer.Encode("hello the hello the");
        Assert.Equal(full[..3], _tokenizer.Encode("hello the hello the", 3));
        Assert.Equal([ImStart], _tokenizer.Encode("<|im_start|>hello", 1));
        Assert.Empty(_tokenizer.Encode("hello", 0));
        Assert.Equal([Id("ä¸Ń"), 0xE6], _tokenizer.Encode("中文", 2));
    }

    [Fact]
    public void Pad_and_end_of_sequence_ids_come_from_the_files()
    {
        Assert.Equal(EndOfText, _tokenizer.PadTokenId);
        Assert.Equal(ImEnd, _tokenizer.EosTokenId);

        using var other = new TinyQwenTokenizer(padToken: "<|im_end|>");
        Assert.Equal(ImEnd, other.Load().PadTokenId);
    }

    [Fact]
    public void A_batch_is_right_padded_with_the_pad_id_and_mask_zero()
    {
        var batch = _tokenizer.EncodeBatch(["hello the", "hello"], 256);
        Assert.Equal(2, batch.BatchSize);
        Assert.Equal(2, batch.Length);
        Assert.Equal([Id("hello"), Id("Ġthe"), Id("hello"), EndOfText], batch.InputIds.ToArray());
        Assert.Equal([1L, 1, 1, 0], batch.AttentionMask.ToArray());
        Assert.Equal([2, 1], batch.Lengths);
        Assert.Equal([Id("hello"), EndOfText], batch.Row(1).ToArray());
    }

    [Fact]
    public void Decode_can_drop_special_tokens_but_keeps_think_tags()
    {
        var ids = _tokenizer.Encode("<|im_start|><think>hello</think><|im_end|>");
        Assert.Equal("<|im_start|><think>hello</think><|im_end|>", _tokenizer.Decode(ids));
        Assert.Equal("<think>hello</think>", _tokenizer.Decode(ids, skipSpecialTokens: true));
        Assert.Throws<ArgumentOutOfRangeException>(() => _tokenizer.Decode([_tokenizer.VocabularySize]));
    }

    [Fact]
    public void Random_unicode_text_round_trips_through_encode_and_decode()
    {
        var random = new Random(1234);
        int[][] ranges =
        [
            [0x20, 0x7E], [0x09, 0x0D], [0xA0, 0x17F], [0x300, 0x36F], [0x391, 0x3C9], [0x400, 0x44F], [0x4E00, 0x9FFF],
            [0xAC00, 0xD7A3], [0x3040, 0x30FF], [0x1F300, 0x1F64F], [0x20000, 0x2A6DF], [0x1D7CE, 0x1D7FF], [0x2000, 0x206F],
        ];
        string[] specials = ["<|endoftext|>", "<|im_start|>", "<think>", "<|audio_code_17|>", "'s", "'LL", "  ", "\r\n"];
        for (var trial = 0; trial < 300; trial++)
        {
            var builder = new StringBuilder();
            var length = random.Next(0, 40);
            for (var i = 0; i < length; i++)
            {
                if (random.Next(10) == 0)
                {
                    builder.Append(specials[random.Next(specials.Length)]);
                    continue;
                }

                var range = ranges[random.Next(ranges.Length)];
                builder.Append(char.ConvertFromUtf32(random.Next(range[0], range[1] + 1)));
            }

            var text = builder.ToString();
            Assert.Equal(NfcNormalizer.Normalize(text), _tokenizer.Decode(_tokenizer.Encode(text)));
        }
    }

    [Fact]
    public void Tokenizer_json_with_merges_as_pairs_gives_the_same_ids()
    {
        using var pairs = new TinyQwenTokenizer(mergesAsPairs: true);
        var tokenizer = pairs.Load();
        foreach (var text in new[] { "hello the", "中文😀", "it's 123" })
        {
            Assert.Equal(_tokenizer.Encode(text), tokenizer.Encode(text));
        }
    }

    [Fact]
    public void Vocab_merges_and_added_tokens_files_work_without_tokenizer_json()
    {
        using var legacy = new TinyQwenTokenizer(withTokenizerJson: false);
        var tokenizer = legacy.Load();
        foreach (var text in new[] { "hello the<|endoftext|>\n", "中文😀 e\u0301", "it's 123 <|audio_code_9|>" })
        {
            Assert.Equal(_tokenizer.Encode(text), tokenizer.Encode(text));
        }

        Assert.Equal(EndOfText, tokenizer.PadTokenId);
    }

    [Fact]
    public void Long_runs_of_spaces_and_symbols_encode_quickly()
    {
        var stopwatch = Stopwatch.StartNew();
        var spaces = _tokenizer.Encode(new string(' ', 200_000));
        var symbols = _tokenizer.Encode(new string('!', 200_000));
        Assert.Equal(100_000, spaces.Length);
        Assert.Equal(200_000, symbols.Length);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(20), $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public void The_lm_sized_vocabulary_with_65535_audio_codes_loads_and_encodes_quickly()
    {
        using var files = new TinyQwenTokenizer();
        var json = File.ReadAllText(files.PathOf("tokenizer.json"));
        var extra = new StringBuilder();
        for (var k = AudioCodes; k < 65_535; k++)
        {
            extra.Append(",{\"id\":").Append(FirstAudioCode + k).Append(",\"content\":\"<|audio_code_").Append(k)
                .Append("|>\",\"single_word\":false,\"lstrip\":false,\"rstrip\":false,\"normalized\":false,\"special\":false}");
        }

        var anchor = json.IndexOf("],\"normalizer\"", StringComparison.Ordinal);
        files.Write("tokenizer.json", json[..anchor] + extra + json[anchor..]);

        var stopwatch = Stopwatch.StartNew();
        var tokenizer = files.Load();
        var codes = string.Concat(Enumerable.Range(0, 3000).Select(i => $"<|audio_code_{i * 21}|>"));
        var ids = tokenizer.Encode(codes);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(20), $"took {stopwatch.Elapsed}");

        Assert.Equal(65_535, tokenizer.AudioCodeCount);
        Assert.Equal(FirstAudioCode + 65_535, tokenizer.VocabularySize);
        Assert.Equal(Enumerable.Range(0, 3000).Select(i => FirstAudioCode + (i * 21)), ids);
        Assert.Equal(FirstAudioCode + 65_534, tokenizer.AudioCodeTokenId(65_534));
    }
}
