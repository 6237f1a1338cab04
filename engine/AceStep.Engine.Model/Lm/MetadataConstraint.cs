using static TorchSharp.torch;

namespace AceStep.Engine.Model.Lm;

/// <summary>
/// Phase-1 constrained decoding (spec §7.3): a finite-state walk through a <see cref="MetadataGrammar"/> that, before
/// each token, masks the logits to the tokens that keep the output a valid CoT block — right field order, only allowed
/// values, forced values verbatim, then <c>&lt;/think&gt;</c> — and is advanced with the token chosen. Complete once
/// the closing tag is out. One instance per generation (one row: phase 1 runs once per job).
/// </summary>
public sealed class MetadataConstraint
{
    private readonly MetadataGrammar _grammar;
    private readonly List<long> _emitted = [];
    private int _segment;
    private SegmentCursor _cursor;
    private SegmentCursor? _following;

    /// <summary>Starts at the beginning of the block.</summary>
    public MetadataConstraint(MetadataGrammar grammar)
    {
        _grammar = grammar ?? throw new ArgumentNullException(nameof(grammar));
        _cursor = grammar.Segments[0].Start();
    }

    /// <summary>The closing tag is out: nothing more may be generated.</summary>
    public bool IsComplete => _segment >= _grammar.Segments.Count;

    /// <summary>Tokens taken so far.</summary>
    public IReadOnlyList<long> Emitted => _emitted;

    /// <summary>The field being written, or null on the tags.</summary>
    public string? CurrentField => IsComplete ? null : _grammar.Segments[_segment].Field;

    /// <summary>The only token allowed next, when there is exactly one (a forced token: no need to sample).</summary>
    public long? ForcedToken => !IsComplete && Allowed() is [var only] ? only : null;

    /// <summary>True when <paramref name="token"/> may come next.</summary>
    public bool Allows(long token) =>
        !IsComplete && (_cursor.Allows(token) || (_cursor.MayEnd && Following() is { } next && next.Allows(token)));

    /// <summary>Logits [B, V] with every token that may not come next set to −∞ → a new tensor.</summary>
    /// <exception cref="InvalidOperationException">The block is complete.</exception>
    public Tensor Apply(Tensor logits)
    {
        ArgumentNullException.ThrowIfNull(logits);
        if (IsComplete)
            throw new InvalidOperationException("The CoT block is complete; no token may follow.");
        using var scope = NewDisposeScope();
        if (Allowed() is { } ids)
        {
            var index = tensor(ids, device: logits.device);
            var masked = full_like(logits, double.NegativeInfinity);
            masked.index_copy_(-1, index, logits.index_select(-1, index));
            return masked.MoveToOuterDisposeScope();
        }

        var blocked = _cursor.BlockedMask(logits.device);
        if (blocked.shape[0] != logits.shape[^1])
            throw new ArgumentException($"Expected {blocked.shape[0]} logits per row, got {logits.shape[^1]}.", nameof(logits));
        return logits.masked_fill(blocked, double.NegativeInfinity).MoveToOuterDisposeScope();
    }

    /// <summary>Takes the token chosen.</summary>
    /// <exception cref="InvalidOperationException">The token is not allowed here (a bug in the caller's masking).</exception>
    public void Advance(long token)
    {
        if (!Allows(token))
            throw new InvalidOperationException($"Token {token} is not allowed in the CoT block here (field {CurrentField ?? "tag"}).");
        if (!_cursor.Allows(token))
            NextSegment();
        _cursor.Advance(token);
        _emitted.Add(token);
        while (!IsComplete && _cursor.IsComplete)
            NextSegment();
    }

    // Ids allowed next, or null when the current state is a vocabulary mask.
    private long[]? Allowed()
    {
        var own = _cursor.AllowedIds;
        if (own is null || !_cursor.MayEnd || Following() is not { } next)
            return own;
        return next.AllowedIds is { } more ? [.. own.Union(more)] : throw new InvalidOperationException("A segment that may end must be followed by a listed state.");
    }

    private SegmentCursor? Following()
    {
        if (_following is null && _segment + 1 < _grammar.Segments.Count)
            _following = _grammar.Segments[_segment + 1].Start();
        return _following;
    }

    private void NextSegment()
    {
        var next = Following();
        _segment++;
        _following = null;
        if (next is not null)
            _cursor = next;
    }
}
