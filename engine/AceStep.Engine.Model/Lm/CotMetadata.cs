using System.Globalization;

namespace AceStep.Engine.Model.Lm;

/// <summary>
/// The metadata of the LM's chain of thought (spec §7.3): the fields of the <c>&lt;think&gt;</c> block, each null when
/// absent. As a request's forced values, a non-null field is written verbatim instead of being generated.
/// </summary>
public sealed record CotMetadata
{
    /// <summary>Field names in the order the block writes them (upstream's YAML with sorted keys).</summary>
    public static IReadOnlyList<string> FieldOrder { get; } = ["bpm", "caption", "duration", "keyscale", "language", "timesignature"];

    /// <summary>Beats per minute.</summary>
    public int? Bpm { get; init; }

    /// <summary>The LM's caption (one line once parsed).</summary>
    public string? Caption { get; init; }

    /// <summary>Whole seconds.</summary>
    public int? Duration { get; init; }

    /// <summary>Key and scale as written, e.g. <c>F♯ minor</c>.</summary>
    public string? KeyScale { get; init; }

    /// <summary>Vocal language code.</summary>
    public string? Language { get; init; }

    /// <summary>Beats per bar: 2, 3, 4 or 6.</summary>
    public int? TimeSignature { get; init; }

    /// <summary>
    /// Reads a CoT block the way upstream's <c>parse_lm_output</c> does: the text between <c>&lt;think&gt;</c> and
    /// <c>&lt;/think&gt;</c> (the whole text when the tags are missing), one <c>name: value</c> per line, indented
    /// lines continuing the previous value (joined with a space). Unknown names and unreadable numbers are dropped;
    /// <c>4/4</c>-style time signatures keep their numerator; YAML single quotes are removed.
    /// </summary>
    public static CotMetadata Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var open = text.IndexOf(CotText.Open, StringComparison.Ordinal);
        var body = open < 0 ? text : text[(open + CotText.Open.Length)..];
        var close = body.IndexOf(CotText.Close, StringComparison.Ordinal);
        if (close >= 0)
            body = body[..close];

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        string? key = null;
        foreach (var line in body.Split('\n'))
        {
            if (line.Length == 0 || line.TrimStart().StartsWith('<'))
                continue;
            if (char.IsWhiteSpace(line[0]))
            {
                if (key is not null && line.Trim() is { Length: > 0 } more)
                    values[key] = values[key].Length == 0 ? more : values[key] + " " + more;
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
                continue;
            key = line[..colon].Trim().ToLowerInvariant();
            values[key] = line[(colon + 1)..].Trim();
        }

        string? Text(string name) => values.TryGetValue(name, out var v) && Unquote(v) is { Length: > 0 } s ? s : null;
        int? Number(string name) => Text(name) is { } s && int.TryParse(s.Split('/')[0].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;
        return new CotMetadata
        {
            Bpm = Number("bpm"),
            Caption = Text("caption"),
            Duration = Number("duration"),
            KeyScale = Text("keyscale"),
            Language = Text("language"),
            TimeSignature = Number("timesignature"),
        };
    }

    /// <summary>The block fed back to the LM for the code phase (spec §7.4 step 1), see <see cref="CotText.Format"/>.</summary>
    public string ToCotText() => CotText.Format(this);

    private static string Unquote(string value)
    {
        var v = value.Trim();
        if (v.Length >= 2 && v[0] == '\'' && v[^1] == '\'')
            return v[1..^1].Replace("''", "'", StringComparison.Ordinal);
        if (v.Length >= 2 && v[0] == '"' && v[^1] == '"')
            return v[1..^1].Replace("\\\"", "\"", StringComparison.Ordinal);
        return v;
    }
}
