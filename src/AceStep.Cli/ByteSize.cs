using System.Globalization;

namespace AceStep.Cli;

/// <summary>Byte counts for people, in decimal units like the hub's own pages.</summary>
public static class ByteSize
{
    /// <summary>E.g. <c>4.79 GB</c>, <c>425 B</c>.</summary>
    public static string Format(long bytes)
    {
        string[] units = ["B", "kB", "MB", "GB", "TB"];
        double value = bytes;
        var unit = 0;
        while (Math.Abs(value) >= 1000 && unit < units.Length - 1)
        {
            value /= 1000;
            unit++;
        }
        return unit == 0
            ? bytes.ToString(CultureInfo.InvariantCulture) + " B"
            : value.ToString(value >= 100 ? "0" : value >= 10 ? "0.0" : "0.00", CultureInfo.InvariantCulture) + " " + units[unit];
    }
}
