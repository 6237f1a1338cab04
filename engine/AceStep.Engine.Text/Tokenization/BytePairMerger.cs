namespace AceStep.Engine.Text.Tokenization;

/// <summary>
/// Byte-pair merging of one pre-tokenized piece: start from one token per byte and repeatedly merge the adjacent
/// pair with the lowest merge rank (the leftmost one on ties) until no adjacent pair has a merge.
/// </summary>
/// <remarks>
/// A priority queue of candidate pairs over a linked list of symbols keeps long pieces (a run of thousands of spaces
/// or symbols) at O(n log n) instead of the quadratic rescan-after-every-merge.
/// </remarks>
internal sealed class BytePairMerger
{
    private readonly Dictionary<long, (int Rank, int Merged)> _merges;
    private readonly int[] _byteTokenIds;

    /// <summary>Creates the merger.</summary>
    /// <param name="merges">(left id, right id) packed by <see cref="PairKey"/> → merge rank and the merged token's id.</param>
    /// <param name="byteTokenIds">The token id of each of the 256 single-byte tokens.</param>
    public BytePairMerger(Dictionary<long, (int Rank, int Merged)> merges, int[] byteTokenIds)
    {
        _merges = merges;
        _byteTokenIds = byteTokenIds;
    }

    /// <summary>Packs a pair of token ids into a merge-table key.</summary>
    public static long PairKey(int left, int right) => ((long)left << 32) | (uint)right;

    /// <summary>Appends the token ids of <paramref name="bytes"/> (one pre-tokenized piece) to <paramref name="output"/>.</summary>
    public void Merge(ReadOnlySpan<byte> bytes, List<int> output)
    {
        var count = bytes.Length;
        if (count == 1)
        {
            output.Add(_byteTokenIds[bytes[0]]);
            return;
        }

        var ids = new int[count];
        var next = new int[count];
        var prev = new int[count];
        for (var i = 0; i < count; i++)
        {
            ids[i] = _byteTokenIds[bytes[i]];
            next[i] = i + 1 < count ? i + 1 : -1;
            prev[i] = i - 1;
        }

        // Queue entries are (left symbol index, merged id), ordered by (rank, left index); stale entries (a side
        // already merged away, or the pair no longer the one queued) are skipped when popped.
        var queue = new PriorityQueue<(int Left, int Merged), (int Rank, int Left)>();
        for (var i = 0; i + 1 < count; i++)
        {
            Enqueue(queue, ids, i, i + 1);
        }

        while (queue.TryDequeue(out var candidate, out var priority))
        {
            var left = candidate.Left;
            var right = next[left];
            if (ids[left] < 0 || right < 0
                || !_merges.TryGetValue(PairKey(ids[left], ids[right]), out var merge)
                || merge.Merged != candidate.Merged || merge.Rank != priority.Rank)
            {
                continue;
            }

            ids[left] = merge.Merged;
            ids[right] = -1;
            next[left] = next[right];
            if (next[right] >= 0)
            {
                prev[next[right]] = left;
            }

            if (prev[left] >= 0)
            {
                Enqueue(queue, ids, prev[left], left);
            }

            if (next[left] >= 0)
            {
                Enqueue(queue, ids, left, next[left]);
            }
        }

        for (var i = 0; i >= 0; i = next[i])
        {
            output.Add(ids[i]);
        }
    }

    private void Enqueue(PriorityQueue<(int Left, int Merged), (int Rank, int Left)> queue, int[] ids, int left, int right)
    {
        if (_merges.TryGetValue(PairKey(ids[left], ids[right]), out var merge))
        {
            queue.Enqueue((left, merge.Merged), (merge.Rank, left));
        }
    }
}
