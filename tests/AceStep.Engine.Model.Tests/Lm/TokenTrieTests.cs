using AceStep.Engine.Model.Lm;

namespace AceStep.Engine.Model.Tests.Lm;

public sealed class TokenTrieTests
{
    [Fact]
    public void Walking_the_trie_allows_exactly_the_continuations_of_the_sequences()
    {
        var trie = new TokenTrie([[1, 2, 9], [1, 3, 9], [4, 9], [1, 2, 9]]);
        Assert.Equal([1L, 4], trie.Root.Allowed);
        Assert.Equal([2L, 3], trie.Root.Next[1].Allowed);
        Assert.True(trie.Root.Next[4].Next[9].IsEnd);
        Assert.False(trie.Root.Next[1].IsEnd);
        Assert.Equal(3, trie.MaxDepth);
    }

    [Fact]
    public void Sequences_that_are_prefixes_of_others_or_empty_are_refused()
    {
        // Inputs tried: [1, 2] before and after [1, 2, 3]; an empty sequence; no sequence at all.
        Assert.Throws<ArgumentException>(() => new TokenTrie([[1, 2], [1, 2, 3]]));
        Assert.Throws<ArgumentException>(() => new TokenTrie([[1, 2, 3], [1, 2]]));
        Assert.Throws<ArgumentException>(() => new TokenTrie([[]]));
        Assert.Throws<ArgumentException>(() => new TokenTrie([]));
    }
}
