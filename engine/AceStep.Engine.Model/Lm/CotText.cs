using System.Globalization;
using System.Text;

namespace AceStep.Engine.Model.Lm;

/// <summary>
/// Writes the CoT block the code phase is prompted with (spec §7.4 step 1): <c>&lt;think&gt;\n{yaml}\n&lt;/think&gt;</c>
/// where the YAML is what upstream's <c>yaml.dump(sort_keys=True, allow_unicode=True)</c> gives for these fields: one
/// <c>name: value</c> per present field in <see cref="CotMetadata.FieldOrder"/>, numbers bare, a string single-quoted
/// when YAML would read it as something else or could not write it plain, and long strings folded at a space past
/// column 80 onto lines indented by two spaces (the layout the LM was trained on).
/// </summary>
public static class CotText
{
    /// <summary>The tag that opens the block (an added token of the LM vocabulary).</summary>
    public const string Open = "<think>";

    /// <summary>The tag that closes it.</summary>
    public const string Close = "</think>";

    /// <summary>PyYAML's default line width.</summary>
    private const int Width = 80;

    // Plain scalars YAML 1.1 would resolve to booleans or null.
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "y", "n", "yes", "no", "true", "false", "on", "off", "null", "~",
    };

    /// <summary>The block for <paramref name="metadata"/>; absent fields are left out.</summary>
    public static string Format(CotMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var lines = new List<string>();
        void Add(string name, string? value)
        {
            if (value is not null)
                lines.Add(Fold($"{name}: {value}"));
        }

        Add("bpm", Number(metadata.Bpm));
        Add("caption", Scalar(metadata.Caption));
        Add("duration", Number(metadata.Duration));
        Add("keyscale", Scalar(metadata.KeyScale));
        Add("language", Scalar(metadata.Language));
        Add("timesignature", Number(metadata.TimeSignature));
        return $"{Open}\n{string.Join('\n', lines)}\n{Close}";
    }

    private static string? Number(int? value) => value?.ToString(CultureInfo.InvariantCulture);

    // A string as a YAML scalar: plain when that reads back as the same string, else single-quoted.
    private static string? Scalar(string? value)
    {
        if (value is null)
            return null;
        var oneLine = value.ReplaceLineEndings(" ");
        return NeedsQuotes(oneLine) ? "'" + oneLine.Replace("'", "''", StringComparison.Ordinal) + "'" : oneLine;
    }

    private static bool NeedsQuotes(string s) =>
        s.Length == 0
        || Reserved.Contains(s)
        || double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
        || char.IsWhiteSpace(s[0]) || char.IsWhiteSpace(s[^1])
        || "-?:,[]{}#&*!|>'\"%@`".Contains(s[0], StringComparison.Ordinal)
        || s.Contains(": ", StringComparison.Ordinal) || s.Contains(" #", StringComparison.Ordinal) || s.EndsWith(':');

    // PyYAML breaks a scalar at a single space once the line is past the width, continuing with a two-space indent.
    private static string Fold(string line)
    {
        var builder = new StringBuilder(line.Length + 8);
        var column = 0;
        for (var i = 0; i < line.Length; i++)
        {
            var single = line[i] == ' ' && i > 0 && line[i - 1] != ' ' && i + 1 < line.Length && line[i + 1] != ' ';
            if (single && column > Width && i > line.IndexOf(": ", StringComparison.Ordinal) + 1)
            {
                builder.Append("\n  ");
                column = 2;
                continue;
            }

            builder.Append(line[i]);
            column++;
        }

        return builder.ToString();
    }
}
