using System.Globalization;
using AceStep.Plugin.Timeline;

namespace AceStep.Plugin.Session;

/// <summary>
/// Names take files by where they sit in the project, so they sort by position in a file browser and say where they
/// belong: <c>AceStep 0012.1.1 take 3.wav</c> (bar.beat.sixteenth of the range start, 1-based, when the host gave a
/// tempo and metre) or <c>AceStep 83.500s take 3.wav</c> (seconds otherwise).
/// </summary>
internal static class TakeNaming
{
    /// <summary>The position part: bar.beat.sixteenth from quarter notes, or seconds when <paramref name="ppq"/> is null.</summary>
    public static string Position(double? ppq, int numerator, int denominator, double seconds)
    {
        if (ppq is { } quarters && BarBeat(quarters, numerator, denominator) is { } position)
            return string.Create(CultureInfo.InvariantCulture, $"{position.Bar:0000}.{position.Beat}.{position.Sixteenth}");

        return string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, seconds):0.000}s");
    }

    /// <summary>bar.beat.sixteenth as a producer reads it on the host's ruler ("3.1.1"), or null without a metre.</summary>
    public static string? Display(double ppq, int numerator, int denominator) =>
        BarBeat(ppq, numerator, denominator) is { } p ? string.Create(CultureInfo.InvariantCulture, $"{p.Bar}.{p.Beat}.{p.Sixteenth}") : null;

    /// <summary>1-based bar, beat and sixteenth of a quarter-note position (a constant metre since bar 1, as bar numbers assume).</summary>
    private static (int Bar, int Beat, int Sixteenth)? BarBeat(double quarters, int numerator, int denominator)
    {
        if (numerator <= 0 || denominator <= 0)
            return null;
        double perBar = TransportSnapshot.QuarterNotesPerBar(numerator, denominator);
        double perBeat = 4.0 / denominator;
        // The 10⁻⁶ absorbs hosts' rounding, as bar numbers do: 15.9999999 quarter notes is bar 5 in 4/4.
        double q = Math.Max(0, quarters) + 1e-6;
        int bar = (int)Math.Floor(q / perBar);
        double inBar = q - (bar * perBar);
        int beat = (int)Math.Floor(inBar / perBeat);
        int sixteenth = (int)Math.Floor((inBar - (beat * perBeat)) / 0.25);
        return (bar + 1, beat + 1, sixteenth + 1);
    }

    /// <summary>A path in <paramref name="folder"/> for the next take at <paramref name="position"/> that no file uses yet.</summary>
    public static string NextFreePath(string folder, string position, int takeNumber)
    {
        for (int n = Math.Max(1, takeNumber); ; n++)
        {
            var path = Path.Combine(folder, $"AceStep {position} take {n.ToString(CultureInfo.InvariantCulture)}.wav");
            if (!File.Exists(path))
                return path;
        }
    }
}
