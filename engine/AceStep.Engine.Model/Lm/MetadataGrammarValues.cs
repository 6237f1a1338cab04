namespace AceStep.Engine.Model.Lm;

/// <summary>
/// What each CoT field may hold (spec §7.3, §10.2, §11.1): bpm 30–300, duration 10–600 s, the 70 key spellings, the
/// vocal languages, time signatures 2/3/4/6, and a caption of at most <see cref="MaxCaptionTokens"/> tokens.
/// </summary>
public sealed record MetadataGrammarValues
{
    /// <summary>Smallest generated bpm.</summary>
    public int BpmMin { get; init; } = 30;

    /// <summary>Largest generated bpm.</summary>
    public int BpmMax { get; init; } = 300;

    /// <summary>Shortest generated duration, seconds.</summary>
    public int DurationMin { get; init; } = 10;

    /// <summary>Longest generated duration, seconds (the model's 600 s).</summary>
    public int DurationMax { get; init; } = 600;

    /// <summary>Key spellings the LM may write.</summary>
    public IReadOnlyList<string> KeyScales { get; init; } = AllKeyScales;

    /// <summary>Vocal language codes the LM may write (the task API's list).</summary>
    public required IReadOnlyList<string> Languages { get; init; }

    /// <summary>Beats per bar the LM may write.</summary>
    public IReadOnlyList<int> TimeSignatures { get; init; } = [2, 3, 4, 6];

    /// <summary>Tokens the generated caption may take after <c>caption:</c>, line breaks and indents included
    /// (bounds the phase; captions are under 512 characters).</summary>
    public int MaxCaptionTokens { get; init; } = 256;

    /// <summary>
    /// The 70 spellings <c>{A-G}{'' | # | b | ♯ | ♭} {major | minor}</c> the upstream decoder allows.
    /// </summary>
    public static IReadOnlyList<string> AllKeyScales { get; } =
    [
        .. from note in "ABCDEFG"
           from accidental in new[] { "", "#", "b", "♯", "♭" }
           from mode in new[] { "major", "minor" }
           select $"{note}{accidental} {mode}",
    ];

    /// <summary>Throws when a range is empty or a set is empty.</summary>
    public void Validate()
    {
        if (BpmMin <= 0 || BpmMax < BpmMin)
            throw new ArgumentOutOfRangeException(nameof(BpmMax), "The bpm range is empty.");
        if (DurationMin <= 0 || DurationMax < DurationMin)
            throw new ArgumentOutOfRangeException(nameof(DurationMax), "The duration range is empty.");
        if (KeyScales.Count == 0 || Languages.Count == 0 || TimeSignatures.Count == 0)
            throw new ArgumentException("Every field needs at least one allowed value.");
        if (MaxCaptionTokens < 2)
            throw new ArgumentOutOfRangeException(nameof(MaxCaptionTokens), MaxCaptionTokens, "A caption needs at least one token and its line break.");
    }
}
