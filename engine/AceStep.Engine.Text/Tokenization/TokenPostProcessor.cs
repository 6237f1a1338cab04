using System.Text.Json;

namespace AceStep.Engine.Text.Tokenization;

/// <summary>
/// What a tokenizer's <c>post_processor</c> (in <c>tokenizer.json</c>) does to the ids of one sequence when special
/// tokens are added — Hugging Face's <c>add_special_tokens=True</c>, the default of <c>tokenizer(text)</c>: fixed
/// ids before and after the text's ids. Read from the file as data, never assumed:
/// <list type="bullet">
/// <item><c>ByteLevel</c> only adjusts offsets, so it adds nothing (the Qwen3 base and LM tokenizers);</item>
/// <item><c>TemplateProcessing</c>'s <c>single</c> template puts <c>SpecialToken</c> ids around the one
/// <c>Sequence</c> <c>A</c>, the ids taken from its <c>special_tokens</c> table (Qwen3-Embedding appends
/// <c>&lt;|endoftext|&gt;</c> = 151643);</item>
/// <item><c>Sequence</c> applies its processors in order, each wrapping the previous result.</item>
/// </list>
/// Anything else is refused rather than silently ignored. The <c>pair</c> template is not read: the engine never
/// encodes sentence pairs. Immutable.
/// </summary>
public sealed class TokenPostProcessor
{
    private readonly int[] _prefix;
    private readonly int[] _suffix;

    private TokenPostProcessor(int[] prefix, int[] suffix, string description)
    {
        _prefix = prefix;
        _suffix = suffix;
        Description = description;
    }

    /// <summary>Adds nothing (no <c>post_processor</c>, or one that only touches offsets).</summary>
    public static TokenPostProcessor None { get; } = new([], [], "none");

    /// <summary>Ids put before the text's ids.</summary>
    public IReadOnlyList<int> Prefix => _prefix;

    /// <summary>Ids put after the text's ids.</summary>
    public IReadOnlyList<int> Suffix => _suffix;

    /// <summary>How many ids it adds to one sequence (what truncation leaves room for).</summary>
    public int AddedCount => _prefix.Length + _suffix.Length;

    /// <summary>What the file asked for, e.g. <c>Sequence[ByteLevel, TemplateProcessing($A &lt;|endoftext|&gt;)]</c>.</summary>
    public string Description { get; }

    /// <summary>
    /// <paramref name="content"/> (already truncated so that the result fits) with the prefix and suffix around it.
    /// </summary>
    public int[] Apply(IReadOnlyList<int> content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var ids = new int[_prefix.Length + content.Count + _suffix.Length];
        _prefix.CopyTo(ids, 0);
        for (var i = 0; i < content.Count; i++)
        {
            ids[_prefix.Length + i] = content[i];
        }

        _suffix.CopyTo(ids, _prefix.Length + content.Count);
        return ids;
    }

    /// <inheritdoc />
    public override string ToString() => Description;

    /// <summary>Reads a <c>post_processor</c> element (null or absent = <see cref="None"/>).</summary>
    /// <exception cref="TokenizerFileException">A processor this code does not implement, or a malformed template.</exception>
    internal static TokenPostProcessor Parse(string path, JsonElement? element)
    {
        if (element is not { } value || value.ValueKind == JsonValueKind.Null)
        {
            return None;
        }

        var type = value.ValueKind == JsonValueKind.Object && value.TryGetProperty("type", out var t) ? t.GetString() : null;
        switch (type)
        {
            case "ByteLevel":
                return new([], [], "ByteLevel");
            case "TemplateProcessing":
                return ParseTemplate(path, value);
            case "Sequence":
                if (!value.TryGetProperty("processors", out var list) || list.ValueKind != JsonValueKind.Array)
                {
                    throw TokenizerFileException.For(path, "post_processor of type \"Sequence\" has no \"processors\" array.");
                }

                int[] prefix = [], suffix = [];
                var parts = new List<string>();
                foreach (var item in list.EnumerateArray())
                {
                    var inner = Parse(path, item);
                    prefix = [.. inner._prefix, .. prefix];
                    suffix = [.. suffix, .. inner._suffix];
                    parts.Add(inner.Description);
                }

                return new(prefix, suffix, $"Sequence[{string.Join(", ", parts)}]");
            default:
                throw TokenizerFileException.For(
                    path,
                    $"post_processor \"{type}\" is not supported (only ByteLevel, TemplateProcessing and a Sequence of them).");
        }
    }

    private static TokenPostProcessor ParseTemplate(string path, JsonElement template)
    {
        if (!template.TryGetProperty("single", out var single) || single.ValueKind != JsonValueKind.Array)
        {
            throw TokenizerFileException.For(path, "post_processor TemplateProcessing has no \"single\" template.");
        }

        var specials = new Dictionary<string, int[]>(StringComparer.Ordinal);
        if (template.TryGetProperty("special_tokens", out var table) && table.ValueKind == JsonValueKind.Object)
        {
            foreach (var entry in table.EnumerateObject())
            {
                if (!entry.Value.TryGetProperty("ids", out var ids) || ids.ValueKind != JsonValueKind.Array
                    || ids.EnumerateArray().Any(i => !i.TryGetInt32(out var id) || id < 0))
                {
                    throw TokenizerFileException.For(path, $"post_processor special token \"{entry.Name}\" has no list of non-negative \"ids\".");
                }

                specials[entry.Name] = [.. ids.EnumerateArray().Select(i => i.GetInt32())];
            }
        }

        var prefix = new List<int>();
        var suffix = new List<int>();
        var words = new List<string>();
        var seenSequence = false;
        foreach (var piece in single.EnumerateArray())
        {
            if (piece.TryGetProperty("Sequence", out var sequence))
            {
                var id = sequence.TryGetProperty("id", out var s) ? s.GetString() : null;
                if (id != "A" || seenSequence)
                {
                    throw TokenizerFileException.For(path, "post_processor's single template must hold the sequence $A exactly once.");
                }

                seenSequence = true;
                words.Add("$A");
            }
            else if (piece.TryGetProperty("SpecialToken", out var special))
            {
                var name = special.TryGetProperty("id", out var n) ? n.GetString() : null;
                if (name is null || !specials.TryGetValue(name, out var ids))
                {
                    throw TokenizerFileException.For(path, $"post_processor's single template names the special token \"{name}\", which its special_tokens table lacks.");
                }

                (seenSequence ? suffix : prefix).AddRange(ids);
                words.Add(name);
            }
            else
            {
                throw TokenizerFileException.For(path, $"post_processor's single template has an item that is neither Sequence nor SpecialToken: {piece.GetRawText()}");
            }
        }

        if (!seenSequence)
        {
            throw TokenizerFileException.For(path, "post_processor's single template has no sequence $A.");
        }

        return new([.. prefix], [.. suffix], $"TemplateProcessing({string.Join(' ', words)})");
    }
}
