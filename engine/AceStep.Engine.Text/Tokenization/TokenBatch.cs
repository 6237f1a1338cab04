namespace AceStep.Engine.Text.Tokenization;

/// <summary>
/// Token sequences right-padded to one length, laid out row-major as the text encoder's <c>input_ids</c> and
/// <c>attention_mask</c> tensors take them ([<see cref="BatchSize"/>, <see cref="Length"/>], int64).
/// </summary>
public sealed class TokenBatch
{
    private readonly long[] _inputIds;
    private readonly long[] _attentionMask;
    private readonly int[] _lengths;

    internal TokenBatch(int batchSize, int length, long[] inputIds, long[] attentionMask, int[] lengths)
    {
        BatchSize = batchSize;
        Length = length;
        _inputIds = inputIds;
        _attentionMask = attentionMask;
        _lengths = lengths;
    }

    /// <summary>Number of sequences (rows).</summary>
    public int BatchSize { get; }

    /// <summary>Padded length: the longest sequence's token count.</summary>
    public int Length { get; }

    /// <summary>Token ids, row-major; positions past a row's own length hold the pad id.</summary>
    public ReadOnlySpan<long> InputIds => _inputIds;

    /// <summary>1 for a real token, 0 for padding, row-major.</summary>
    public ReadOnlySpan<long> AttentionMask => _attentionMask;

    /// <summary>Each row's unpadded token count.</summary>
    public IReadOnlyList<int> Lengths => _lengths;

    /// <summary>One row's ids (padding included).</summary>
    public ReadOnlySpan<long> Row(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, BatchSize);
        return _inputIds.AsSpan(index * Length, Length);
    }

    /// <summary>Right-pads <paramref name="sequences"/> with <paramref name="padTokenId"/> and mask 0.</summary>
    public static TokenBatch RightPad(IReadOnlyList<IReadOnlyList<int>> sequences, int padTokenId)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        var length = sequences.Count == 0 ? 0 : sequences.Max(s => s.Count);
        var ids = new long[sequences.Count * length];
        var mask = new long[ids.Length];
        var lengths = new int[sequences.Count];
        Array.Fill(ids, padTokenId);
        for (var row = 0; row < sequences.Count; row++)
        {
            var sequence = sequences[row];
            lengths[row] = sequence.Count;
            for (var i = 0; i < sequence.Count; i++)
            {
                ids[(row * length) + i] = sequence[i];
                mask[(row * length) + i] = 1;
            }
        }

        return new TokenBatch(sequences.Count, length, ids, mask, lengths);
    }
}
