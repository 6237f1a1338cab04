namespace AceStep.Engine.Model.Lm;

/// <summary>
/// A contiguous block of token ids, <see cref="First"/> .. First + Count − 1: the only rows of the output head a
/// constrained phase can pick from (phase 2's audio codes, spec §7.4). Computing logits for these rows alone reads only
/// that slice of the head's weight, and logits laid out over the block map back to token ids by adding
/// <see cref="First"/>.
/// </summary>
/// <param name="First">The first token id of the block.</param>
/// <param name="Count">How many consecutive ids it holds.</param>
public readonly record struct VocabularyRange(long First, long Count)
{
    /// <summary>One past the last id.</summary>
    public long End => First + Count;

    /// <summary>Throws when the block is empty or does not lie in a vocabulary of <paramref name="vocabSize"/> ids.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The block is empty, negative or past the vocabulary.</exception>
    public void ThrowIfOutside(long vocabSize)
    {
        if (First < 0 || Count <= 0 || End > vocabSize)
            throw new ArgumentOutOfRangeException(nameof(vocabSize), vocabSize, $"Token ids {First}..{End - 1} are not a non-empty block of a vocabulary of {vocabSize}.");
    }
}
