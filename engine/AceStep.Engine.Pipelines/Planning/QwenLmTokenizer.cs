using AceStep.Engine.Model.Lm;
using AceStep.Engine.Text.Tokenization;

namespace AceStep.Engine.Pipelines.Planning;

/// <summary>The LM checkpoint's <see cref="QwenTokenizer"/> as the planner's <see cref="ILmTokenizer"/>.</summary>
/// <param name="tokenizer">The tokenizer loaded from the LM's directory (it holds the audio-code tokens).</param>
public sealed class QwenLmTokenizer(QwenTokenizer tokenizer) : ILmTokenizer
{
    /// <summary>The wrapped tokenizer.</summary>
    public QwenTokenizer Tokenizer { get; } = tokenizer ?? throw new ArgumentNullException(nameof(tokenizer));

    /// <inheritdoc />
    public int VocabularySize => Tokenizer.VocabularySize;

    /// <inheritdoc />
    public long[] Encode(string text) => [.. Tokenizer.Encode(text).Select(id => (long)id)];

    /// <summary>A whole prompt as upstream's <c>llm_tokenizer(prompt)</c> tokenizes it: special tokens added as the
    /// LM's <c>tokenizer.json</c> post-processor says (the official LM files add none).</summary>
    public long[] EncodePrompt(string text) => [.. Tokenizer.Encode(text, addSpecialTokens: true).Select(id => (long)id)];

    /// <inheritdoc />
    public string Decode(IReadOnlyList<long> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return Tokenizer.Decode(ids.Select(id => checked((int)id)));
    }

    /// <inheritdoc />
    public bool IsAddedToken(long id) => id is < 0 or > int.MaxValue || Tokenizer.IsAddedToken((int)id) || Tokenizer.IdToToken((int)id) is null;
}
