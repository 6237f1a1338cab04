namespace AceStep.Engine.Model.Lm;

/// <summary>
/// What the planner's constrained decoding needs from the LM's tokenizer (the Qwen3 BPE with the audio-code tokens,
/// spec §7.1): encode text the way the model was trained on it, and tell what one token reads as. Kept as an interface
/// so the model layer stays free of the text layer; the pipelines adapt <c>QwenTokenizer</c> to it.
/// </summary>
public interface ILmTokenizer
{
    /// <summary>Ids 0 .. VocabularySize − 1 the tokenizer knows.</summary>
    int VocabularySize { get; }

    /// <summary>The natural tokenization of <paramref name="text"/> (added tokens such as <c>&lt;think&gt;</c> matched).</summary>
    long[] Encode(string text);

    /// <summary>The text of a token sequence.</summary>
    string Decode(IReadOnlyList<long> ids);

    /// <summary>True for added tokens (ChatML markers, think tags, audio codes) and for ids the vocabulary leaves
    /// unassigned: never part of free text.</summary>
    bool IsAddedToken(long id);
}
