using System.Globalization;
using AceStep.Vst3;

namespace AceStep.Plugin.Parameters;

/// <summary>
/// One parameter as the host sees it: identity, <c>ParameterInfo</c> fields, and the mapping between the normalized
/// value (0–1, what hosts automate and send) and the plain value (what the user reads and the engine gets).
/// </summary>
internal abstract class ParameterDefinition
{
    protected ParameterDefinition(ParameterId id, string title, string shortTitle, string units, double defaultPlain, ParameterFlags flags)
    {
        Id = id;
        Title = title;
        ShortTitle = shortTitle;
        Units = units;
        DefaultPlain = defaultPlain;
        Flags = flags;
    }

    /// <summary>The ID stored in projects and automation; never renumber.</summary>
    public ParameterId Id { get; }

    public string Title { get; }

    public string ShortTitle { get; }

    /// <summary>The unit label hosts print after the value ("bars", "steps"), or empty.</summary>
    public string Units { get; }

    public double DefaultPlain { get; }

    public ParameterFlags Flags { get; }

    /// <summary><c>ParameterInfo::stepCount</c>: 0 for a continuous parameter, else the number of steps (values − 1).</summary>
    public abstract int StepCount { get; }

    public double DefaultNormalized => ToNormalized(DefaultPlain);

    /// <summary>The plain value of a normalized one (clamped to 0–1 first; discrete parameters snap to a step).</summary>
    public abstract double ToPlain(double normalized);

    /// <summary>The normalized value of a plain one (clamped to the parameter's range).</summary>
    public abstract double ToNormalized(double plain);

    /// <summary>Whether <paramref name="plain"/> is a value this parameter can take (used to reject corrupt state).</summary>
    public abstract bool IsValidPlain(double plain);

    /// <summary>The display text of a plain value.</summary>
    public abstract string Format(double plain);

    /// <summary>Reads display text (what <see cref="Format"/> writes, plus lenient variants) as a plain value.</summary>
    public abstract bool TryParse(string text, out double plain);

    protected static double Clamp01(double normalized) =>
        double.IsNaN(normalized) ? 0 : Math.Clamp(normalized, 0, 1);
}

/// <summary>A numeric parameter between a minimum and a maximum, continuous or in whole numbers.</summary>
internal sealed class RangeParameter : ParameterDefinition
{
    private readonly string? _zeroLabel;

    /// <summary>
    /// Creates the parameter. <c>decimals</c> is the digits shown after the point, and 0 makes the parameter integral
    /// (one step per whole number); <c>zeroLabel</c> is the text shown for the plain value 0 ("Random" for the seed).
    /// </summary>
    public RangeParameter(
        ParameterId id,
        string title,
        string shortTitle,
        string units,
        double min,
        double max,
        double defaultPlain,
        int decimals,
        ParameterFlags flags = ParameterFlags.CanAutomate,
        string? zeroLabel = null)
        : base(id, title, shortTitle, units, defaultPlain, flags)
    {
        Min = min;
        Max = max;
        Decimals = decimals;
        _zeroLabel = zeroLabel;
    }

    public double Min { get; }

    public double Max { get; }

    public int Decimals { get; }

    private bool IsIntegral => Decimals == 0;

    public override int StepCount => IsIntegral ? (int)(Max - Min) : 0;

    public override double ToPlain(double normalized)
    {
        double plain = Min + (Clamp01(normalized) * (Max - Min));
        return IsIntegral ? Math.Round(plain, MidpointRounding.AwayFromZero) : plain;
    }

    public override double ToNormalized(double plain)
    {
        if (double.IsNaN(plain))
        {
            return DefaultNormalized;
        }

        return (Math.Clamp(plain, Min, Max) - Min) / (Max - Min);
    }

    public override bool IsValidPlain(double plain) =>
        double.IsFinite(plain) && plain >= Min && plain <= Max && (!IsIntegral || plain == Math.Floor(plain));

    public override string Format(double plain)
    {
        if (_zeroLabel is not null && plain == 0)
        {
            return _zeroLabel;
        }

        return plain.ToString(IsIntegral ? "0" : "F" + Decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    public override bool TryParse(string text, out double plain)
    {
        plain = 0;
        var trimmed = text.AsSpan().Trim();
        if (_zeroLabel is not null && trimmed.Equals(_zeroLabel, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        // Hosts may hand back the text with the unit still attached ("8 bars").
        if (Units.Length > 0 && trimmed.EndsWith(Units, StringComparison.OrdinalIgnoreCase))
        {
            trimmed = trimmed[..^Units.Length].TrimEnd();
        }

        if (!double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
        {
            return false;
        }

        plain = ToPlain(ToNormalized(value));
        return true;
    }
}

/// <summary>A choice among named items; the plain value is the item's index.</summary>
internal sealed class ListParameter : ParameterDefinition
{
    private readonly string[] _items;
    private readonly Func<string, string?>? _canonicalize;

    /// <summary>
    /// Creates the parameter from its items (plain-value order, at least two). <c>canonicalize</c> maps other
    /// spellings onto an item's text before matching (for example "f♯ MINOR" → "F# minor"), or is null.
    /// </summary>
    public ListParameter(
        ParameterId id,
        string title,
        string shortTitle,
        IReadOnlyList<string> items,
        int defaultIndex,
        ParameterFlags flags,
        Func<string, string?>? canonicalize = null)
        : base(id, title, shortTitle, "", defaultIndex, flags)
    {
        _items = [.. items];
        _canonicalize = canonicalize;
    }

    public IReadOnlyList<string> Items => _items;

    public override int StepCount => _items.Length - 1;

    public override double ToPlain(double normalized) => Math.Round(Clamp01(normalized) * StepCount, MidpointRounding.AwayFromZero);

    public override double ToNormalized(double plain) =>
        double.IsNaN(plain) ? DefaultNormalized : Math.Clamp(Math.Round(plain, MidpointRounding.AwayFromZero), 0, StepCount) / StepCount;

    public override bool IsValidPlain(double plain) =>
        double.IsFinite(plain) && plain >= 0 && plain <= StepCount && plain == Math.Floor(plain);

    public override string Format(double plain) => _items[(int)ToPlain(ToNormalized(plain))];

    public override bool TryParse(string text, out double plain)
    {
        string trimmed = text.Trim();
        string candidate = _canonicalize?.Invoke(trimmed) ?? trimmed;
        for (int i = 0; i < _items.Length; i++)
        {
            if (string.Equals(_items[i], candidate, StringComparison.OrdinalIgnoreCase))
            {
                plain = i;
                return true;
            }
        }

        plain = 0;
        return false;
    }
}
