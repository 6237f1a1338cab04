namespace AceStep.Contracts.Tasks;

/// <summary><c>settings.vocalLanguage</c>: the 51 codes of the seed document (<c>unknown</c> = instrumental or auto).</summary>
public static class VocalLanguages
{
    /// <summary>The default, <c>en</c>.</summary>
    public const string Default = "en";

    /// <summary>Instrumental or automatic detection.</summary>
    public const string Unknown = "unknown";

    /// <summary>All 51 codes, in the seed document's order.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        "ar", "az", "bg", "bn", "ca", "cs", "da", "de", "el", "en", "es", "fa", "fi", "fr", "he", "hi", "hr", "ht",
        "hu", "id", "is", "it", "ja", "ko", "la", "lt", "ms", "ne", "nl", "no", "pa", "pl", "pt", "ro", "ru", "sa",
        "sk", "sr", "sv", "sw", "ta", "te", "th", "tl", "tr", "uk", "ur", "vi", "yue", "zh", "unknown",
    ];

    /// <summary>The code in lower case when <paramref name="text"/> is one of <see cref="All"/> (letter case ignored).</summary>
    public static string? Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var code in All)
        {
            if (string.Equals(code, text, StringComparison.OrdinalIgnoreCase))
            {
                return code;
            }
        }
        return null;
    }
}
