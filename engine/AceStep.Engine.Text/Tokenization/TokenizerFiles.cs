using System.Globalization;
using System.Text.Json;

namespace AceStep.Engine.Text.Tokenization;

/// <summary>What a tokenizer directory says, before it is turned into lookup tables.</summary>
/// <param name="Vocabulary">BPE vocabulary (byte-level token string → id), without the added tokens.</param>
/// <param name="VocabularySource">The file the vocabulary came from (for error messages).</param>
/// <param name="Merges">Merge rules in rank order (rank = index).</param>
/// <param name="MergesSource">The file the merges came from.</param>
/// <param name="AddedTokens">Added tokens (content → id), special or not.</param>
/// <param name="SpecialTokenIds">The added tokens flagged special (skipped by decoding on request).</param>
/// <param name="IgnoreMerges">When true a piece that is itself a vocabulary entry becomes that token without merging.</param>
/// <param name="NormalizeNfc">Whether text is NFC-normalised before pre-tokenization.</param>
/// <param name="PadToken">The padding token's text, when the files name one.</param>
/// <param name="EosToken">The end-of-sequence token's text, when the files name one.</param>
/// <param name="PostProcessor">What adding special tokens puts around a sequence (<c>tokenizer.json</c>'s
/// <c>post_processor</c>; nothing without that file: the slow Qwen2 tokenizer adds no BOS or EOS).</param>
internal sealed record TokenizerDefinition(
    Dictionary<string, int> Vocabulary,
    string VocabularySource,
    List<(string Left, string Right)> Merges,
    string MergesSource,
    Dictionary<string, int> AddedTokens,
    HashSet<int> SpecialTokenIds,
    bool IgnoreMerges,
    bool NormalizeNfc,
    string? PadToken,
    string? EosToken,
    TokenPostProcessor PostProcessor);

/// <summary>
/// Reads a Hugging Face tokenizer directory: <c>tokenizer.json</c> when present, otherwise <c>vocab.json</c> +
/// <c>merges.txt</c> + <c>added_tokens.json</c>; <c>tokenizer_config.json</c> and <c>special_tokens_map.json</c>
/// for the pad and end-of-sequence tokens.
/// </summary>
internal static class TokenizerFiles
{
    public const string TokenizerJson = "tokenizer.json";
    public const string VocabJson = "vocab.json";
    public const string MergesTxt = "merges.txt";
    public const string AddedTokensJson = "added_tokens.json";
    public const string TokenizerConfigJson = "tokenizer_config.json";
    public const string SpecialTokensMapJson = "special_tokens_map.json";

    private static readonly JsonDocumentOptions s_jsonOptions = new() { AllowTrailingCommas = true, MaxDepth = 256 };

    public static TokenizerDefinition Read(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!Directory.Exists(directory))
        {
            throw new TokenizerFileException($"Tokenizer directory {directory} does not exist.") { FilePath = directory };
        }

        var config = ReadOptionalJson(Path.Combine(directory, TokenizerConfigJson));
        var specialMap = ReadOptionalJson(Path.Combine(directory, SpecialTokensMapJson));
        using (config)
        using (specialMap)
        {
            var definition = File.Exists(Path.Combine(directory, TokenizerJson))
                ? ReadTokenizerJson(Path.Combine(directory, TokenizerJson))
                : ReadVocabAndMerges(directory, config);

            var pad = TokenText(config, "pad_token") ?? TokenText(specialMap, "pad_token");
            var eos = TokenText(config, "eos_token") ?? TokenText(specialMap, "eos_token");
            return definition with { PadToken = pad, EosToken = eos };
        }
    }

    private static TokenizerDefinition ReadTokenizerJson(string path)
    {
        using var document = ReadJson(path);
        var root = document.RootElement;
        if (!root.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.Object)
        {
            throw TokenizerFileException.For(path, "has no \"model\" object.");
        }

        var type = model.TryGetProperty("type", out var typeElement) ? typeElement.GetString() : null;
        if (type != "BPE")
        {
            throw TokenizerFileException.For(path, $"model type is \"{type}\"; only byte-level \"BPE\" is supported.");
        }

        CheckNormalizer(path, root, out var nfc);
        CheckPreTokenizer(path, root);

        if (!model.TryGetProperty("vocab", out var vocabElement) || vocabElement.ValueKind != JsonValueKind.Object)
        {
            throw TokenizerFileException.For(path, "has no \"model.vocab\" object.");
        }

        var vocabulary = ReadVocabulary(path, vocabElement);
        if (!model.TryGetProperty("merges", out var mergesElement) || mergesElement.ValueKind != JsonValueKind.Array)
        {
            throw TokenizerFileException.For(path, "has no \"model.merges\" array.");
        }

        var merges = new List<(string, string)>(mergesElement.GetArrayLength());
        var index = 0;
        foreach (var merge in mergesElement.EnumerateArray())
        {
            // Older files write a merge as "left right", newer ones as ["left", "right"].
            (string, string)? pair = merge.ValueKind switch
            {
                JsonValueKind.String => SplitMergeLine(merge.GetString()!),
                JsonValueKind.Array when merge.GetArrayLength() == 2
                    && merge[0].ValueKind == JsonValueKind.String && merge[1].ValueKind == JsonValueKind.String
                    => (merge[0].GetString()!, merge[1].GetString()!),
                _ => null,
            };
            merges.Add(pair ?? throw TokenizerFileException.For(path, $"merge {index} is not \"left right\" or [left, right]."));
            index++;
        }

        var ignoreMerges = model.TryGetProperty("ignore_merges", out var ignore) && ignore.ValueKind == JsonValueKind.True;

        var added = new Dictionary<string, int>(StringComparer.Ordinal);
        var special = new HashSet<int>();
        if (root.TryGetProperty("added_tokens", out var addedElement) && addedElement.ValueKind == JsonValueKind.Array)
        {
            foreach (var token in addedElement.EnumerateArray())
            {
                if (!token.TryGetProperty("id", out var idElement) || !idElement.TryGetInt32(out var id) || id < 0
                    || !token.TryGetProperty("content", out var contentElement) || contentElement.ValueKind != JsonValueKind.String)
                {
                    throw TokenizerFileException.For(path, $"an entry of \"added_tokens\" lacks a non-negative \"id\" or a \"content\" string: {token.GetRawText()}");
                }

                added[contentElement.GetString()!] = id;
                if (token.TryGetProperty("special", out var isSpecial) && isSpecial.ValueKind == JsonValueKind.True)
                {
                    special.Add(id);
                }
            }
        }

        var postProcessor = TokenPostProcessor.Parse(path, root.TryGetProperty("post_processor", out var post) ? post : null);
        return new TokenizerDefinition(vocabulary, path, merges, path, added, special, ignoreMerges, nfc, null, null, postProcessor);
    }

    // The Qwen files normalise with NFC; anything else would need a normaliser this code does not have.
    private static void CheckNormalizer(string path, JsonElement root, out bool nfc)
    {
        nfc = false;
        if (!root.TryGetProperty("normalizer", out var normalizer) || normalizer.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        var type = normalizer.TryGetProperty("type", out var t) ? t.GetString() : null;
        if (type != "NFC")
        {
            throw TokenizerFileException.For(path, $"normalizer \"{type}\" is not supported (only NFC or none).");
        }

        nfc = true;
    }

    // The pre-tokenizer is implemented by hand (QwenPreTokenizer), so the file must ask for exactly that one:
    // a Split on the Qwen regex followed by ByteLevel without its own regex.
    private static void CheckPreTokenizer(string path, JsonElement root)
    {
        if (!root.TryGetProperty("pre_tokenizer", out var pre) || pre.ValueKind != JsonValueKind.Object)
        {
            throw TokenizerFileException.For(path, "has no \"pre_tokenizer\"; expected the Qwen split regex followed by ByteLevel.");
        }

        var steps = pre.TryGetProperty("pretokenizers", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().ToList()
            : [pre];
        var types = steps.Select(s => s.TryGetProperty("type", out var t) ? t.GetString() : null).ToList();
        var split = steps.FirstOrDefault(s => s.TryGetProperty("type", out var t) && t.GetString() == "Split");
        var pattern = split.ValueKind == JsonValueKind.Object && split.TryGetProperty("pattern", out var p)
            && p.ValueKind == JsonValueKind.Object && p.TryGetProperty("Regex", out var regex)
            ? regex.GetString()
            : null;
        var byteLevel = steps.FirstOrDefault(s => s.TryGetProperty("type", out var t) && t.GetString() == "ByteLevel");
        var byteLevelRegex = byteLevel.ValueKind == JsonValueKind.Object && byteLevel.TryGetProperty("use_regex", out var u)
            && u.ValueKind == JsonValueKind.True;
        if (pattern != QwenPreTokenizer.Pattern || byteLevel.ValueKind != JsonValueKind.Object || byteLevelRegex)
        {
            throw TokenizerFileException.For(
                path,
                $"pre_tokenizer [{string.Join(", ", types)}] is not the Qwen2/Qwen3 one (Split on the Qwen regex, then ByteLevel with use_regex false).");
        }
    }

    private static TokenizerDefinition ReadVocabAndMerges(string directory, JsonDocument? config)
    {
        var vocabPath = Path.Combine(directory, VocabJson);
        var mergesPath = Path.Combine(directory, MergesTxt);
        if (!File.Exists(vocabPath))
        {
            throw new TokenizerFileException(
                $"Tokenizer directory {directory} has neither {TokenizerJson} nor {VocabJson} (+ {MergesTxt}).")
            { FilePath = directory };
        }

        if (!File.Exists(mergesPath))
        {
            throw TokenizerFileException.For(mergesPath, $"is missing ({VocabJson} is present but has no merge rules beside it).");
        }

        Dictionary<string, int> vocabulary;
        using (var vocabDocument = ReadJson(vocabPath))
        {
            if (vocabDocument.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw TokenizerFileException.For(vocabPath, "is not a JSON object of token → id.");
            }

            vocabulary = ReadVocabulary(vocabPath, vocabDocument.RootElement);
        }

        var merges = new List<(string, string)>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(mergesPath))
        {
            lineNumber++;
            if (line.Length == 0 || (lineNumber == 1 && line.StartsWith("#version", StringComparison.Ordinal)))
            {
                continue;
            }

            merges.Add(SplitMergeLine(line) ?? throw TokenizerFileException.For(mergesPath, $"line {lineNumber} is not \"left right\": {line}"));
        }

        var added = new Dictionary<string, int>(StringComparer.Ordinal);
        var special = new HashSet<int>();
        var addedPath = Path.Combine(directory, AddedTokensJson);
        if (File.Exists(addedPath))
        {
            using var addedDocument = ReadJson(addedPath);
            if (addedDocument.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw TokenizerFileException.For(addedPath, "is not a JSON object of token → id.");
            }

            foreach (var (content, id) in ReadVocabulary(addedPath, addedDocument.RootElement))
            {
                added[content] = id;
            }
        }

        // tokenizer_config.json repeats the added tokens with their "special" flags.
        if (config is not null && config.RootElement.TryGetProperty("added_tokens_decoder", out var decoder)
            && decoder.ValueKind == JsonValueKind.Object)
        {
            foreach (var entry in decoder.EnumerateObject())
            {
                if (!int.TryParse(entry.Name, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                    || !entry.Value.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.String)
                {
                    throw TokenizerFileException.For(Path.Combine(directory, TokenizerConfigJson), $"added_tokens_decoder entry \"{entry.Name}\" is malformed.");
                }

                added.TryAdd(content.GetString()!, id);
                if (!entry.Value.TryGetProperty("special", out var isSpecial) || isSpecial.ValueKind == JsonValueKind.True)
                {
                    special.Add(id);
                }
            }
        }
        else
        {
            special.UnionWith(added.Values);
        }

        // Without tokenizer.json the Qwen2 tokenizer class applies NFC itself.
        return new TokenizerDefinition(vocabulary, vocabPath, merges, mergesPath, added, special, false, true, null, null, TokenPostProcessor.None);
    }

    private static Dictionary<string, int> ReadVocabulary(string path, JsonElement element)
    {
        var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in element.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.Number || !entry.Value.TryGetInt32(out var id) || id < 0)
            {
                throw TokenizerFileException.For(path, $"token \"{entry.Name}\" has id {entry.Value.GetRawText()}, not a non-negative integer.");
            }

            vocabulary[entry.Name] = id;
        }

        return vocabulary;
    }

    private static (string, string)? SplitMergeLine(string line)
    {
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        return space <= 0 || space == line.Length - 1 || line.IndexOf(' ', space + 1) >= 0
            ? null
            : (line[..space], line[(space + 1)..]);
    }

    // A token named in tokenizer_config.json / special_tokens_map.json: a plain string or {"content": "..."}.
    private static string? TokenText(JsonDocument? document, string name)
    {
        if (document is null || document.RootElement.ValueKind != JsonValueKind.Object
            || !document.RootElement.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Object when value.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String
                => content.GetString(),
            _ => null,
        };
    }

    private static JsonDocument? ReadOptionalJson(string path) => File.Exists(path) ? ReadJson(path) : null;

    private static JsonDocument ReadJson(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return JsonDocument.Parse(stream, s_jsonOptions);
        }
        catch (JsonException ex)
        {
            throw TokenizerFileException.For(path, $"is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine}): {ex.Message}", ex);
        }
        catch (IOException ex)
        {
            throw TokenizerFileException.For(path, $"cannot be read: {ex.Message}", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw TokenizerFileException.For(path, $"cannot be read: {ex.Message}", ex);
        }
    }
}
