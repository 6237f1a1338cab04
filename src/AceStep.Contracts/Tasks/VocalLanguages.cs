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

    /// <summary>The English name of a code of <see cref="All"/> (the code itself for an unknown one), for lists a person reads.</summary>
    public static string DisplayName(string code) => s_names.TryGetValue(code, out var name) ? name : code;

    private static readonly Dictionary<string, string> s_names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ar"] = "Arabic", ["az"] = "Azerbaijani", ["bg"] = "Bulgarian", ["bn"] = "Bengali", ["ca"] = "Catalan",
        ["cs"] = "Czech", ["da"] = "Danish", ["de"] = "German", ["el"] = "Greek", ["en"] = "English", ["es"] = "Spanish",
        ["fa"] = "Persian", ["fi"] = "Finnish", ["fr"] = "French", ["he"] = "Hebrew", ["hi"] = "Hindi", ["hr"] = "Croatian",
        ["ht"] = "Haitian Creole", ["hu"] = "Hungarian", ["id"] = "Indonesian", ["is"] = "Icelandic", ["it"] = "Italian",
        ["ja"] = "Japanese", ["ko"] = "Korean", ["la"] = "Latin", ["lt"] = "Lithuanian", ["ms"] = "Malay", ["ne"] = "Nepali",
        ["nl"] = "Dutch", ["no"] = "Norwegian", ["pa"] = "Punjabi", ["pl"] = "Polish", ["pt"] = "Portuguese",
        ["ro"] = "Romanian", ["ru"] = "Russian", ["sa"] = "Sanskrit", ["sk"] = "Slovak", ["sr"] = "Serbian",
        ["sv"] = "Swedish", ["sw"] = "Swahili", ["ta"] = "Tamil", ["te"] = "Telugu", ["th"] = "Thai", ["tl"] = "Tagalog",
        ["tr"] = "Turkish", ["uk"] = "Ukrainian", ["ur"] = "Urdu", ["vi"] = "Vietnamese", ["yue"] = "Cantonese",
        ["zh"] = "Chinese", ["unknown"] = "Instrumental / detect",
    };

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
