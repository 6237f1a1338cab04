using System.Text;
using System.Text.Json;
using AceStep.Engine.Text.Tokenization;

namespace AceStep.Engine.Text.Tests.Tokenization;

/// <summary>
/// Writes a tiny tokenizer in the official Hugging Face layout: ids 0–255 are the single-byte tokens (id = byte
/// value), a handful of merges give ids from 256, and the added tokens sit at the real Qwen3 ids.
/// </summary>
internal sealed class TinyQwenTokenizer : IDisposable
{
    public const int EndOfText = 151643;
    public const int ImStart = 151644;
    public const int ImEnd = 151645;
    public const int Think = 151667;
    public const int EndThink = 151668;
    public const int FirstAudioCode = 151669;
    public const int AudioCodes = 100;

    // Merges in rank order, written with byte-level characters (Ġ = space 0x20, Ċ = newline 0x0A; 'Ã' '©' = the
    // UTF-8 bytes of é; 'ä' '¸' 'Ń' = 中; 'ð' 'Ł' = the first two bytes of 😀).
    public static readonly (string Left, string Right)[] Merges =
    [
        ("Ġ", "t"), ("h", "e"), ("l", "l"), ("Ġt", "he"), ("he", "ll"), ("hell", "o"), ("Ã", "©"),
        ("ä", "¸"), ("ä¸", "Ń"), ("1", "2"), ("'", "s"), ("i", "t"), ("Ġ", "Ġ"), ("Ċ", "Ċ"), ("ð", "Ł"),
        ("'", "L"), ("'L", "L"),
    ];

    public TinyQwenTokenizer(bool withTokenizerJson = true, bool withLegacyFiles = true, bool mergesAsPairs = false, string padToken = "<|endoftext|>")
    {
        Directory = Path.Combine(Path.GetTempPath(), "acestep-text-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);

        var vocab = new Dictionary<string, int>();
        for (var b = 0; b < 256; b++)
        {
            vocab[ByteChar((byte)b)] = b;
        }

        foreach (var (left, right) in Merges)
        {
            vocab.TryAdd(left + right, vocab.Count);
        }

        var added = new List<(int Id, string Content, bool Special)>
        {
            (EndOfText, "<|endoftext|>", true),
            (ImStart, "<|im_start|>", true),
            (ImEnd, "<|im_end|>", true),
            (Think, "<think>", false),
            (EndThink, "</think>", false),
        };
        for (var k = 0; k < AudioCodes; k++)
        {
            added.Add((FirstAudioCode + k, $"<|audio_code_{k}|>", false));
        }

        if (withTokenizerJson)
        {
            var json = new
            {
                version = "1.0",
                truncation = (object?)null,
                padding = (object?)null,
                added_tokens = added.Select(a => new { id = a.Id, content = a.Content, single_word = false, lstrip = false, rstrip = false, normalized = false, special = a.Special }),
                normalizer = new { type = "NFC" },
                pre_tokenizer = new
                {
                    type = "Sequence",
                    pretokenizers = new object[]
                    {
                        new { type = "Split", pattern = new { Regex = QwenRegex }, behavior = "Isolated", invert = false },
                        new { type = "ByteLevel", add_prefix_space = false, trim_offsets = false, use_regex = false },
                    },
                },
                post_processor = new { type = "ByteLevel", add_prefix_space = false, trim_offsets = false, use_regex = false },
                decoder = new { type = "ByteLevel", add_prefix_space = false, trim_offsets = false, use_regex = false },
                model = new
                {
                    type = "BPE",
                    dropout = (object?)null,
                    unk_token = (object?)null,
                    continuing_subword_prefix = "",
                    end_of_word_suffix = "",
                    fuse_unk = false,
                    byte_fallback = false,
                    ignore_merges = false,
                    vocab,
                    merges = mergesAsPairs
                        ? Merges.Select(m => (object)new[] { m.Left, m.Right }).ToArray()
                        : Merges.Select(m => (object)$"{m.Left} {m.Right}").ToArray(),
                },
            };
            Write("tokenizer.json", JsonSerializer.Serialize(json));
        }

        if (withLegacyFiles)
        {
            Write("vocab.json", JsonSerializer.Serialize(vocab));
            Write("merges.txt", "#version: 0.2\n" + string.Join("\n", Merges.Select(m => $"{m.Left} {m.Right}")) + "\n");
            Write("added_tokens.json", JsonSerializer.Serialize(added.ToDictionary(a => a.Content, a => a.Id)));
        }

        var config = new Dictionary<string, object?>
        {
            ["add_prefix_space"] = false,
            ["added_tokens_decoder"] = added.ToDictionary(
                a => a.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                a => new { content = a.Content, lstrip = false, normalized = false, rstrip = false, single_word = false, special = a.Special }),
            ["bos_token"] = null,
            ["eos_token"] = "<|im_end|>",
            ["pad_token"] = padToken,
            ["model_max_length"] = 131072,
            ["tokenizer_class"] = "Qwen2Tokenizer",
            ["unk_token"] = null,
        };
        Write("tokenizer_config.json", JsonSerializer.Serialize(config));
        Write("special_tokens_map.json", JsonSerializer.Serialize(new { eos_token = new { content = "<|im_end|>" }, pad_token = new { content = padToken } }));
    }

    public const string QwenRegex = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    public string Directory { get; }

    public QwenTokenizer Load() => QwenTokenizer.Load(Directory);

    /// <summary>The id of a merged token, by its byte-level text.</summary>
    public static int Id(string byteLevelToken) => 256 + Array.FindIndex(Merges, m => m.Left + m.Right == byteLevelToken);

    public string PathOf(string file) => Path.Combine(Directory, file);

    public void Write(string file, string text) => File.WriteAllText(PathOf(file), text, new UTF8Encoding(false));

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string ByteChar(byte b)
    {
        var printable = b is >= (byte)'!' and <= (byte)'~' or >= 0xA1 and <= 0xAC or >= 0xAE;
        if (printable)
        {
            return ((char)b).ToString();
        }

        var n = 0;
        for (var i = 0; i < b; i++)
        {
            if (!(i is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE))
            {
                n++;
            }
        }

        return ((char)(256 + n)).ToString();
    }
}
