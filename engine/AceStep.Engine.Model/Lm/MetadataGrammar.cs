using System.Globalization;

namespace AceStep.Engine.Model.Lm;

/// <summary>
/// The exact token-level layout of the phase-1 CoT block (spec §7.3) for one request: <c>&lt;think&gt;\n</c>, one line
/// per field in <see cref="CotMetadata.FieldOrder"/> (<c>genres</c> skipped, as the generation path does), then
/// <c>&lt;/think&gt;</c>. A field line is a <see cref="TokenTrie"/> over the natural tokenizations of
/// <c>name: value\n</c> for every allowed value — or for the request's value alone, which is then forced verbatim; the
/// caption is free text (<see cref="CaptionSegment"/>). Whole lines are tokenized because the tokenizer merges the
/// space after the colon into the value's first token.
/// </summary>
public sealed class MetadataGrammar
{
    internal MetadataGrammar(IReadOnlyList<GrammarSegment> segments)
    {
        Segments = segments;
        MaxTokens = segments.Sum(s => s.MaxTokens);
    }

    /// <summary>The parts of the block, in order.</summary>
    public IReadOnlyList<GrammarSegment> Segments { get; }

    /// <summary>Most tokens the block can take.</summary>
    public int MaxTokens { get; }
}

/// <summary>One part of a <see cref="MetadataGrammar"/>.</summary>
public abstract class GrammarSegment
{
    /// <summary>The CoT field this part writes, or null for the tags.</summary>
    public string? Field { get; init; }

    /// <summary>Most tokens this part can take.</summary>
    public abstract int MaxTokens { get; }

    internal abstract SegmentCursor Start();
}

/// <summary>A part with a finite set of allowed tokenizations (tags, numeric and enumerated fields, forced values).</summary>
/// <param name="trie">The allowed token sequences.</param>
public sealed class LineSegment(TokenTrie trie) : GrammarSegment
{
    /// <summary>The allowed token sequences.</summary>
    public TokenTrie Trie { get; } = trie ?? throw new ArgumentNullException(nameof(trie));

    /// <inheritdoc />
    public override int MaxTokens => Trie.MaxDepth;

    internal override SegmentCursor Start() => new TrieCursor(Trie);
}

/// <summary>
/// The generated caption: the forced prefix <c>caption:</c>, then free text of at most <paramref name="maxTokens"/>
/// tokens — a line of text tokens ending with a line-end token, optionally continued on lines indented by one space
/// token (YAML folding) — after which the next field follows.
/// </summary>
/// <param name="prefix">Tokens of <c>caption:</c>.</param>
/// <param name="classes">Which tokens are text and line ends.</param>
/// <param name="maxTokens">Budget after the prefix (≥ 2).</param>
public sealed class CaptionSegment(long[] prefix, CaptionTokenClasses classes, int maxTokens) : GrammarSegment
{
    /// <summary>Tokens of <c>caption:</c>.</summary>
    public long[] Prefix { get; } = prefix ?? throw new ArgumentNullException(nameof(prefix));

    /// <summary>Token classes.</summary>
    public CaptionTokenClasses Classes { get; } = classes ?? throw new ArgumentNullException(nameof(classes));

    /// <summary>Budget after the prefix.</summary>
    public int Budget { get; } = maxTokens >= 2 ? maxTokens : throw new ArgumentOutOfRangeException(nameof(maxTokens));

    /// <inheritdoc />
    public override int MaxTokens => Prefix.Length + Budget;

    internal override SegmentCursor Start() => new CaptionCursor(this);
}

/// <summary>
/// Builds <see cref="MetadataGrammar"/>s for one tokenizer: the tries of unforced fields are tokenized once and reused
/// by every request.
/// </summary>
public sealed class MetadataGrammarBuilder
{
    private readonly ILmTokenizer _tokenizer;
    private readonly MetadataGrammarValues _values;
    private readonly CaptionTokenClasses _classes;
    private readonly Dictionary<string, LineSegment> _open = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Creates the builder.</summary>
    /// <param name="tokenizer">The LM's tokenizer.</param>
    /// <param name="values">Allowed values per field.</param>
    /// <param name="classes">Caption token classes for the LM's vocabulary (not owned).</param>
    public MetadataGrammarBuilder(ILmTokenizer tokenizer, MetadataGrammarValues values, CaptionTokenClasses classes)
    {
        _tokenizer = tokenizer ?? throw new ArgumentNullException(nameof(tokenizer));
        _values = values ?? throw new ArgumentNullException(nameof(values));
        _classes = classes ?? throw new ArgumentNullException(nameof(classes));
        values.Validate();
    }

    /// <summary>The grammar with <paramref name="forced"/>'s non-null fields written verbatim.</summary>
    public MetadataGrammar Build(CotMetadata forced)
    {
        ArgumentNullException.ThrowIfNull(forced);
        var segments = new List<GrammarSegment>
        {
            Fixed(CotText.Open + "\n"),
            Field("bpm", Text(forced.Bpm), () => Range(_values.BpmMin, _values.BpmMax)),
            forced.Caption is { } caption
                ? Line("caption", [caption.ReplaceLineEndings(" ").Trim()])
                : new CaptionSegment(_tokenizer.Encode("caption:"), _classes, _values.MaxCaptionTokens) { Field = "caption" },
            Field("duration", Text(forced.Duration), () => Range(_values.DurationMin, _values.DurationMax)),
            Field("keyscale", forced.KeyScale, () => _values.KeyScales),
            Field("language", forced.Language, () => _values.Languages),
            Field("timesignature", Text(forced.TimeSignature), () => _values.TimeSignatures.Select(t => t.ToString(CultureInfo.InvariantCulture))),
            Fixed(CotText.Close),
        };
        return new MetadataGrammar(segments);
    }

    private static string? Text(int? value) => value?.ToString(CultureInfo.InvariantCulture);

    private static IEnumerable<string> Range(int min, int max) =>
        Enumerable.Range(min, max - min + 1).Select(v => v.ToString(CultureInfo.InvariantCulture));

    private LineSegment Fixed(string text) => new(new TokenTrie([_tokenizer.Encode(text)]));

    private LineSegment Field(string name, string? forced, Func<IEnumerable<string>> allowed)
    {
        if (forced is not null)
            return Line(name, [forced]);
        lock (_lock)
        {
            if (!_open.TryGetValue(name, out var segment))
            {
                segment = Line(name, allowed());
                _open[name] = segment;
            }

            return segment;
        }
    }

    private LineSegment Line(string name, IEnumerable<string> values) =>
        new(new TokenTrie(values.Distinct(StringComparer.Ordinal).Select(v => (IReadOnlyList<long>)_tokenizer.Encode($"{name}: {v}\n"))))
        {
            Field = name,
        };
}
