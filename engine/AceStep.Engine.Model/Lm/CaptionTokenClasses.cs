using static TorchSharp.torch;

namespace AceStep.Engine.Model.Lm;

/// <summary>
/// Which tokens of the LM vocabulary may write the free-text caption (spec §7.3: free text, no code tokens): text
/// tokens without a line break (<see cref="IsContent"/>), those of them with a visible character (a caption line never
/// is blank), and the tokens that end a caption line — text ending in exactly one <c>\n</c> (<c>\n</c> itself,
/// <c>.\n</c>, …). Added tokens (ChatML markers, think tags, audio codes) and ids past the tokenizer are never allowed.
/// Classified once per tokenizer, since it decodes every token.
/// </summary>
public sealed class CaptionTokenClasses : IDisposable
{
    private readonly bool[] _content;
    private readonly bool[] _visible;
    private readonly bool[] _ending;
    private readonly Dictionary<string, CaptionMasks> _masks = new(StringComparer.Ordinal);

    /// <summary>Classifies every id below <paramref name="vocabSize"/> (the LM's logit width).</summary>
    /// <exception cref="ArgumentException"><c>\n</c> or a single space is not one token.</exception>
    public CaptionTokenClasses(ILmTokenizer tokenizer, long vocabSize)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentOutOfRangeException.ThrowIfLessThan(vocabSize, tokenizer.VocabularySize);
        VocabSize = vocabSize;
        NewlineId = Single(tokenizer, "\n");
        IndentId = Single(tokenizer, " ");
        _content = new bool[vocabSize];
        _visible = new bool[vocabSize];
        _ending = new bool[vocabSize];
        var one = new long[1];
        for (long id = 0; id < tokenizer.VocabularySize; id++)
        {
            if (tokenizer.IsAddedToken(id))
                continue;
            one[0] = id;
            var text = tokenizer.Decode(one);
            if (text.Length == 0 || text.Contains('\r', StringComparison.Ordinal))
                continue;
            var newline = text.IndexOf('\n', StringComparison.Ordinal);
            if (newline < 0)
            {
                _content[id] = true;
                _visible[id] = text.Any(c => !char.IsWhiteSpace(c));
            }
            else if (newline == text.Length - 1)
            {
                _ending[id] = true;
            }
        }
    }

    /// <summary>Logit width.</summary>
    public long VocabSize { get; }

    /// <summary>The token <c>\n</c>: what a caption line must end with once its budget is spent.</summary>
    public long NewlineId { get; }

    /// <summary>The token <c> </c> that indents a continuation line (a folded caption: <c>\n</c>, <c> </c>, <c> word</c>).</summary>
    public long IndentId { get; }

    /// <summary>A text token without a line break.</summary>
    public bool IsContent(long id) => (ulong)id < (ulong)VocabSize && _content[id];

    /// <summary>A content token with at least one non-space character.</summary>
    public bool IsVisible(long id) => (ulong)id < (ulong)VocabSize && _visible[id];

    /// <summary>A token that ends a caption line.</summary>
    public bool IsEnding(long id) => (ulong)id < (ulong)VocabSize && _ending[id];

    /// <summary>The blocked-token masks (true = −∞) on <paramref name="device"/>; owned by this object.</summary>
    public CaptionMasks Masks(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        var key = device.ToString();
        lock (_masks)
        {
            if (!_masks.TryGetValue(key, out var masks))
            {
                using var scope = NewDisposeScope();
                Tensor Blocked(Func<long, bool> allowed) =>
                    tensor(Enumerable.Range(0, (int)VocabSize).Select(id => !allowed(id)).ToArray()).to(device).DetachFromDisposeScope();
                masks = new CaptionMasks(Blocked(IsVisible), Blocked(IsContent), Blocked(id => IsContent(id) || IsEnding(id)));
                _masks[key] = masks;
            }

            return masks;
        }
    }

    /// <summary>Frees the masks.</summary>
    public void Dispose()
    {
        lock (_masks)
        {
            foreach (var masks in _masks.Values)
            {
                masks.Visible.Dispose();
                masks.Content.Dispose();
                masks.Line.Dispose();
            }

            _masks.Clear();
        }
    }

    private static long Single(ILmTokenizer tokenizer, string text)
    {
        var ids = tokenizer.Encode(text);
        return ids.Length == 1
            ? ids[0]
            : throw new ArgumentException($"The tokenizer writes {System.Text.Json.JsonSerializer.Serialize(text)} as {ids.Length} tokens; the caption grammar needs one.", nameof(tokenizer));
    }
}

/// <summary>Blocked-token masks [V] of the caption's states (true = blocked).</summary>
/// <param name="Visible">Only text with a visible character may follow (the last chance for a line to get one).</param>
/// <param name="Content">Only text may follow (a line with nothing visible yet cannot end).</param>
/// <param name="Line">Text or a line end may follow.</param>
public sealed record CaptionMasks(Tensor Visible, Tensor Content, Tensor Line);
