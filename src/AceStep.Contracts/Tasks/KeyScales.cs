using System.Diagnostics.CodeAnalysis;

namespace AceStep.Contracts.Tasks;

/// <summary>
/// <c>settings.keyScale</c>: <c>{A-G}{'' | # | b | ♯ | ♭} {major | minor}</c>, 70 spellings. Parsing ignores letter
/// case of the note and the mode and extra spaces; the normal form is <c>"F# minor"</c>: upper-case note, ASCII
/// accidental (<c>♯</c> → <c>#</c>, <c>♭</c> → <c>b</c>; enharmonics are not merged, <c>Db</c> stays <c>Db</c>), one
/// space, lower-case mode.
/// </summary>
public static class KeyScales
{
    /// <summary>Every normal form: 7 notes × 3 accidentals × 2 modes = 42 (the 70 spellings map onto them).</summary>
    public static IReadOnlyList<string> NormalForms { get; } = BuildNormalForms();

    /// <summary>
    /// The normal forms a person picks from a list: all but B#, Cb, E# and Fb, which name a white key (C, B, F, E) and
    /// that no key signature uses. They stay valid in requests (the API document lists them).
    /// </summary>
    public static IReadOnlyList<string> Choices { get; } =
        [.. BuildNormalForms().Where(k => !(k.StartsWith("B#", StringComparison.Ordinal) || k.StartsWith("Cb", StringComparison.Ordinal)
            || k.StartsWith("E#", StringComparison.Ordinal) || k.StartsWith("Fb", StringComparison.Ordinal)))];

    /// <summary>Reads and normalises a key; false when the text is not one of the 70 spellings.</summary>
    public static bool TryNormalize(string text, [NotNullWhen(true)] out string? normalized)
    {
        ArgumentNullException.ThrowIfNull(text);
        normalized = null;
        var span = text.AsSpan().Trim();
        if (span.Length < 2)
        {
            return false;
        }
        var note = char.ToUpperInvariant(span[0]);
        if (note is < 'A' or > 'G')
        {
            return false;
        }
        var rest = span[1..];
        var accidental = "";
        if (rest.Length > 0 && rest[0] is '#' or '♯')
        {
            accidental = "#";
            rest = rest[1..];
        }
        else if (rest.Length > 0 && rest[0] is 'b' or '♭')
        {
            accidental = "b";
            rest = rest[1..];
        }
        if (rest.Length == 0 || !char.IsWhiteSpace(rest[0]))
        {
            return false;
        }
        var mode = rest.TrimStart();
        string modeName;
        if (mode.Equals("major", StringComparison.OrdinalIgnoreCase))
        {
            modeName = "major";
        }
        else if (mode.Equals("minor", StringComparison.OrdinalIgnoreCase))
        {
            modeName = "minor";
        }
        else
        {
            return false;
        }
        normalized = string.Concat(note.ToString(), accidental, " ", modeName);
        return true;
    }

    private static string[] BuildNormalForms()
    {
        var forms = new List<string>(42);
        foreach (var note in "ABCDEFG")
        {
            foreach (var accidental in new[] { "", "#", "b" })
            {
                forms.Add($"{note}{accidental} major");
                forms.Add($"{note}{accidental} minor");
            }
        }
        return [.. forms];
    }
}
