namespace AceStep.Engine.Model.Lm;

/// <summary>
/// A prefix tree over token-id sequences: the allowed tokenizations of one line of the CoT block (e.g. every
/// <c>bpm: N\n</c> for N in 30..300). Walking it token by token gives, at each point, the tokens that keep the output
/// on an allowed sequence. The sequences must be prefix-free, so reaching the end of one is unambiguous.
/// </summary>
public sealed class TokenTrie
{
    /// <summary>Builds the trie.</summary>
    /// <param name="sequences">The allowed sequences; duplicates are merged.</param>
    /// <exception cref="ArgumentException">No sequence, an empty one, or one that is a proper prefix of another.</exception>
    public TokenTrie(IEnumerable<IReadOnlyList<long>> sequences)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        Root = new Node();
        var count = 0;
        foreach (var sequence in sequences)
        {
            if (sequence.Count == 0)
                throw new ArgumentException("An allowed sequence needs at least one token.", nameof(sequences));
            var node = Root;
            for (var i = 0; i < sequence.Count; i++)
            {
                if (node.IsEnd)
                    throw new ArgumentException("The allowed sequences must be prefix-free.", nameof(sequences));
                node = node.Child(sequence[i]);
            }

            if (node.Next.Count > 0)
                throw new ArgumentException("The allowed sequences must be prefix-free.", nameof(sequences));
            node.IsEnd = true;
            MaxDepth = Math.Max(MaxDepth, sequence.Count);
            count++;
        }

        if (count == 0)
            throw new ArgumentException("At least one allowed sequence is required.", nameof(sequences));
    }

    /// <summary>The empty prefix.</summary>
    public Node Root { get; }

    /// <summary>Length of the longest sequence.</summary>
    public int MaxDepth { get; }

    /// <summary>One prefix: the tokens that may follow it and whether it is a whole sequence.</summary>
    public sealed class Node
    {
        private readonly Dictionary<long, Node> _next = [];
        private long[]? _allowed;

        /// <summary>Continuations by token id.</summary>
        public IReadOnlyDictionary<long, Node> Next => _next;

        /// <summary>The ids of <see cref="Next"/>, sorted.</summary>
        public long[] Allowed => _allowed ??= [.. _next.Keys.Order()];

        /// <summary>True when this prefix is one of the sequences (then it has no continuations).</summary>
        public bool IsEnd { get; internal set; }

        internal Node Child(long token)
        {
            if (!_next.TryGetValue(token, out var child))
            {
                child = new Node();
                _next[token] = child;
            }

            return child;
        }
    }
}
