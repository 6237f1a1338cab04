namespace AceStep.Engine.Text.Prompts;

/// <summary>
/// The two texts the DiT is conditioned on (spec §5): the caption prompt, run through the whole Qwen3-Embedding
/// model, and the lyrics prompt, of which only the token embeddings are used. Both end in the literal
/// <c>&lt;|endoftext|&gt;</c>, which the tokenizer turns into its special id.
/// </summary>
public static class ConditioningPrompts
{
    /// <summary>Token limit of the caption prompt (right truncation).</summary>
    public const int CaptionMaxTokens = 256;

    /// <summary>Token limit of the lyrics prompt (right truncation).</summary>
    public const int LyricsMaxTokens = 2048;

    /// <summary>The lyrics of an instrumental (no lyrics given), as the model was trained on them.</summary>
    public const string InstrumentalLyrics = "[Instrumental]";

    /// <summary>The end-of-text marker both prompts end with.</summary>
    public const string EndOfText = "<|endoftext|>";

    /// <summary>
    /// The caption prompt: <c># Instruction</c> (forced to end with ':'), <c># Caption</c>, <c># Metas</c>, then
    /// <c>&lt;|endoftext|&gt;</c> and a newline.
    /// </summary>
    /// <param name="instruction">The task instruction, usually one of <see cref="TaskInstruction"/>.</param>
    /// <param name="caption">The user's caption, or the LM's rewritten one.</param>
    /// <param name="metas">bpm, time signature, key and duration; unknown ones become N/A.</param>
    public static string Caption(string instruction, string caption, MusicMetas metas)
    {
        ArgumentNullException.ThrowIfNull(caption);
        ArgumentNullException.ThrowIfNull(metas);
        return $"# Instruction\n{TaskInstruction.Format(instruction)}\n\n# Caption\n{caption}\n\n# Metas\n{metas.ToMetaString()}{EndOfText}\n";
    }

    /// <summary>
    /// The caption prompt a cover switches to once <c>audio_cover_strength</c> of the steps have run (spec §5.3):
    /// the same caption and metas under the text2music instruction.
    /// </summary>
    public static string NonCoverCaption(string caption, MusicMetas metas) => Caption(TaskInstruction.Text2Music, caption, metas);

    /// <summary>
    /// The lyrics prompt: <c># Languages</c> with the vocal language code, <c># Lyric</c> with the lyrics (or
    /// <c>[Instrumental]</c> when there are none), then <c>&lt;|endoftext|&gt;</c> (no newline after it).
    /// </summary>
    /// <param name="languageCode">A vocal language code (spec §11.1), e.g. <c>en</c>, <c>zh</c>, <c>unknown</c>.</param>
    /// <param name="lyrics">The lyrics; null, empty or whitespace = instrumental.</param>
    public static string Lyrics(string languageCode, string? lyrics)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(languageCode);
        return $"# Languages\n{languageCode}\n\n# Lyric\n{LyricsOrInstrumental(lyrics)}{EndOfText}";
    }

    /// <summary>The lyrics as the model receives them: <c>[Instrumental]</c> when absent or blank.</summary>
    public static string LyricsOrInstrumental(string? lyrics) => string.IsNullOrWhiteSpace(lyrics) ? InstrumentalLyrics : lyrics;
}
