using static TorchSharp.torch;

namespace AceStep.Engine.Model.Lm;

/// <summary>Where decoding stands inside one <see cref="GrammarSegment"/>.</summary>
internal abstract class SegmentCursor
{
    /// <summary>The segment is written: the next token belongs to the next segment.</summary>
    public abstract bool IsComplete { get; }

    /// <summary>The segment may end here or go on: the next segment's first tokens are allowed too.</summary>
    public virtual bool MayEnd => false;

    /// <summary>The allowed continuations as ids, or null when a vocabulary mask describes them.</summary>
    public abstract long[]? AllowedIds { get; }

    /// <summary>The blocked-token mask [V] when <see cref="AllowedIds"/> is null.</summary>
    public virtual Tensor BlockedMask(Device device) => throw new InvalidOperationException("This state lists its tokens.");

    /// <summary>True when <paramref name="token"/> continues the segment.</summary>
    public abstract bool Allows(long token);

    /// <summary>Takes an allowed token.</summary>
    public abstract void Advance(long token);
}

/// <summary>Walks a <see cref="TokenTrie"/>.</summary>
internal sealed class TrieCursor(TokenTrie trie) : SegmentCursor
{
    private TokenTrie.Node _node = trie.Root;

    public override bool IsComplete => _node.IsEnd;

    public override long[] AllowedIds => _node.Allowed;

    public override bool Allows(long token) => _node.Next.ContainsKey(token);

    public override void Advance(long token) => _node = _node.Next[token];
}

/// <summary>
/// The caption's states: the forced prefix, inside a line (text, or a line end once the line shows a visible
/// character), after a line end (an indent continues the caption, or the next field starts). Every token after the
/// prefix counts against the budget: a line still blank with two tokens left must take visible text, one token left
/// leaves only <c>\n</c>, and a continuation starts only while three are left (indent, text, line end).
/// </summary>
internal sealed class CaptionCursor(CaptionSegment segment) : SegmentCursor
{
    private enum State { Prefix, InLine, LineEnded }

    private State _state = State.Prefix;
    private int _prefix;
    private int _used;
    private bool _visible;

    private int Left => segment.Budget - _used;

    private CaptionTokenClasses Classes => segment.Classes;

    public override bool IsComplete => _state == State.LineEnded && Left < 3;

    public override bool MayEnd => _state == State.LineEnded;

    public override long[]? AllowedIds => _state switch
    {
        State.Prefix => [segment.Prefix[_prefix]],
        State.InLine when Left == 1 => [Classes.NewlineId],
        State.LineEnded => [Classes.IndentId],
        _ => null,
    };

    public override Tensor BlockedMask(Device device)
    {
        var masks = Classes.Masks(device);
        return _visible ? masks.Line : Left == 2 ? masks.Visible : masks.Content;
    }

    public override bool Allows(long token) => _state switch
    {
        State.Prefix => token == segment.Prefix[_prefix],
        State.InLine when Left == 1 => token == Classes.NewlineId,
        State.InLine when _visible => Classes.IsContent(token) || Classes.IsEnding(token),
        State.InLine when Left == 2 => Classes.IsVisible(token),
        State.InLine => Classes.IsContent(token),
        State.LineEnded => !IsComplete && token == Classes.IndentId,
        _ => false,
    };

    public override void Advance(long token)
    {
        switch (_state)
        {
            case State.Prefix:
                if (++_prefix == segment.Prefix.Length)
                    _state = State.InLine;
                return;
            case State.InLine:
                _used++;
                _visible |= Classes.IsVisible(token);
                if (Classes.IsEnding(token))
                    _state = State.LineEnded;
                return;
            default:
                _used++;
                _visible = false;
                _state = State.InLine;
                return;
        }
    }
}
