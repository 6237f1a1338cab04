using System.Globalization;
using System.Text;

namespace AceStep.Engine.Text.Prompts;

/// <summary>
/// The musical metadata written into the caption prompt's <c># Metas</c> block (spec §5.1). Unknown values are
/// written as <c>N/A</c> and left for the model to decide.
/// </summary>
/// <param name="Bpm">Tempo in beats per minute; null (or 0) = N/A.</param>
/// <param name="TimeSignature">Beats per bar as the model knows it: 2, 3, 4 or 6 (2/4, 3/4, 4/4, 6/8); null (or 0) = N/A.</param>
/// <param name="KeyScale">Key and scale, e.g. <c>C major</c>, <c>F# minor</c>; null or empty = N/A.</param>
/// <param name="DurationSeconds">Target duration: the generated length, or for cover/repaint the source's length; null = 30 s.</param>
public sealed record MusicMetas(int? Bpm = null, int? TimeSignature = null, string? KeyScale = null, double? DurationSeconds = null)
{
    /// <summary>The duration written when none is known.</summary>
    public const double DefaultDurationSeconds = 30;

    /// <summary>What an unknown value is written as.</summary>
    public const string NotAvailable = "N/A";

    /// <summary>
    /// The metas block, one <c>- name: value</c> line each for bpm, timesignature, keyscale and duration (whole
    /// seconds, truncated), ending with a newline.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The duration is negative, NaN or infinite.</exception>
    public string ToMetaString()
    {
        var seconds = DurationSeconds ?? DefaultDurationSeconds;
        if (!double.IsFinite(seconds) || seconds < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(DurationSeconds), seconds, "The duration must be a finite, non-negative number of seconds.");
        }

        // The reference writes these with Python's "value or 'N/A'", so 0 and "" count as unknown too.
        var builder = new StringBuilder();
        builder.Append("- bpm: ").Append(Bpm is null or 0 ? NotAvailable : Bpm.Value.ToString(CultureInfo.InvariantCulture)).Append('\n');
        builder.Append("- timesignature: ").Append(TimeSignature is null or 0 ? NotAvailable : TimeSignature.Value.ToString(CultureInfo.InvariantCulture)).Append('\n');
        builder.Append("- keyscale: ").Append(string.IsNullOrEmpty(KeyScale) ? NotAvailable : KeyScale).Append('\n');
        builder.Append("- duration: ").Append(((long)Math.Truncate(seconds)).ToString(CultureInfo.InvariantCulture)).Append(" seconds\n");
        return builder.ToString();
    }
}
