namespace AceStep.Engine.Model.Sampling;

/// <summary>
/// The decreasing list of flow-matching times t₀ = start … t_N = 0 the sampler walks (spec §8.3). Step i goes from
/// <c>Values[i]</c> to <c>Values[i + 1]</c>, so a schedule of N steps holds N + 1 values and always ends with 0.
/// Instances are immutable.
/// </summary>
public sealed class TimestepSchedule
{
    /// <summary>The shifts the turbo model ships fixed tables for; any other shift is rounded to the nearest of them.</summary>
    public static IReadOnlyList<double> TurboShifts { get; } = [1.0, 2.0, 3.0];

    /// <summary>Number of steps in the turbo tables.</summary>
    public const int TurboSteps = 8;

    private readonly double[] _values;

    private TimestepSchedule(double[] values) => _values = values;

    /// <summary>All schedule values, start first, ending with 0; <see cref="Steps"/> + 1 entries.</summary>
    public IReadOnlyList<double> Values => _values;

    /// <summary>Number of integration steps (values minus one).</summary>
    public int Steps => _values.Length - 1;

    /// <summary>The first (largest) time, where sampling starts: 1 unless the schedule was trimmed for an SDEdit start.</summary>
    public double Start => _values[0];

    /// <summary>
    /// The base / SFT schedule: t = linspace(1, 0, N + 1), then with shift s ≠ 1 each value becomes s·t / (1 + (s − 1)·t).
    /// </summary>
    /// <param name="steps">Number of inference steps N (at least 1).</param>
    /// <param name="shift">Time shift s (&gt; 0); 1 leaves the linear schedule as it is.</param>
    /// <param name="roundToBf16">Round every value to bfloat16 like upstream does on CUDA (the §8.3 dtype caveat).</param>
    public static TimestepSchedule Base(int steps, double shift = 1.0, bool roundToBf16 = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(steps);
        ValidateShift(shift);
        var values = new double[steps + 1];
        for (var i = 0; i <= steps; i++)
        {
            values[i] = Shift(1.0 - (double)i / steps, shift);
        }

        values[steps] = 0.0;
        return Finish(values, roundToBf16);
    }

    /// <summary>
    /// The turbo model's fixed 8-step schedule for the shift nearest to <paramref name="shift"/> among 1, 2, 3 (ties go to
    /// the smaller shift); the values equal the shift formula applied to 1 − i/8, followed by the final 0.
    /// </summary>
    /// <param name="shift">Requested shift (&gt; 0); rounded with <see cref="NearestTurboShift"/>.</param>
    /// <param name="roundToBf16">Round every value to bfloat16 (the §8.3 dtype caveat).</param>
    public static TimestepSchedule Turbo(double shift = 3.0, bool roundToBf16 = false)
    {
        var s = NearestTurboShift(shift);
        var values = new double[TurboSteps + 1];
        for (var i = 0; i < TurboSteps; i++)
        {
            values[i] = Shift(1.0 - (double)i / TurboSteps, s);
        }

        return Finish(values, roundToBf16);
    }

    /// <summary>The turbo table shift used for a requested shift: the nearest of 1, 2 and 3, ties to the smaller.</summary>
    /// <param name="shift">Requested shift (&gt; 0).</param>
    public static double NearestTurboShift(double shift)
    {
        ValidateShift(shift);
        var best = TurboShifts[0];
        foreach (var candidate in TurboShifts)
        {
            if (Math.Abs(candidate - shift) < Math.Abs(best - shift))
            {
                best = candidate;
            }
        }

        return best;
    }

    /// <summary>
    /// A caller-given schedule (overrides steps and shift). Values must lie in [0, 1], be strictly decreasing and end
    /// with 0; at least two values (one step).
    /// </summary>
    /// <param name="timesteps">The times, start first, ending with 0.</param>
    /// <param name="roundToBf16">Round every value to bfloat16 (the §8.3 dtype caveat).</param>
    public static TimestepSchedule Custom(IReadOnlyList<double> timesteps, bool roundToBf16 = false)
    {
        ArgumentNullException.ThrowIfNull(timesteps);
        if (timesteps.Count < 2)
        {
            throw new ArgumentException("A custom schedule needs at least two values (one step).", nameof(timesteps));
        }

        if (timesteps[^1] != 0.0)
        {
            throw new ArgumentException("A custom schedule must end with 0.", nameof(timesteps));
        }

        for (var i = 0; i < timesteps.Count; i++)
        {
            var t = timesteps[i];
            if (!double.IsFinite(t) || t < 0.0 || t > 1.0)
            {
                throw new ArgumentException($"Timestep {i} = {t} is outside [0, 1].", nameof(timesteps));
            }

            if (i > 0 && t >= timesteps[i - 1])
            {
                throw new ArgumentException("Custom timesteps must be strictly decreasing.", nameof(timesteps));
            }
        }

        return Finish([.. timesteps], roundToBf16);
    }

    /// <summary>
    /// The SDEdit-style start (spec §8.7): with strength c &gt; 0 the target level is 1 − c; the schedule value t* nearest
    /// to it (the final 0 excluded; ties to the earlier, larger value) becomes the start and the entries before it are
    /// dropped. Strength ≤ 0 returns this schedule unchanged.
    /// </summary>
    /// <param name="strength">cover_noise_strength c in [0, 1]; 1 starts closest to the source.</param>
    /// <returns>The trimmed schedule; its <see cref="Start"/> is t*.</returns>
    public TimestepSchedule StartingAtStrength(double strength)
    {
        if (!double.IsFinite(strength) || strength > 1.0)
        {
            throw new ArgumentOutOfRangeException(nameof(strength), strength, "Strength must be a finite value ≤ 1.");
        }

        if (strength <= 0.0)
        {
            return this;
        }

        var target = 1.0 - strength;
        var best = 0;
        for (var i = 1; i < _values.Length - 1; i++)
        {
            if (Math.Abs(_values[i] - target) < Math.Abs(_values[best] - target))
            {
                best = i;
            }
        }

        return best == 0 ? this : new TimestepSchedule(_values[best..]);
    }

    /// <summary>
    /// Rounds a value to the nearest bfloat16 (round to nearest, ties to even, via float32), e.g. 0.95455 → 0.953125.
    /// </summary>
    /// <param name="value">The value to round.</param>
    public static double RoundToBf16(double value)
    {
        var f = (float)value;
        if (float.IsNaN(f))
        {
            return double.NaN;
        }

        var bits = BitConverter.SingleToUInt32Bits(f);
        var lsb = (bits >> 16) & 1u;
        bits = (bits + 0x7FFFu + lsb) & 0xFFFF0000u;
        return BitConverter.UInt32BitsToSingle(bits);
    }

    /// <summary>The time shift s·t / (1 + (s − 1)·t); identity for s = 1.</summary>
    /// <param name="t">Time in [0, 1].</param>
    /// <param name="shift">Shift s (&gt; 0).</param>
    public static double Shift(double t, double shift) => shift == 1.0 ? t : shift * t / (1.0 + (shift - 1.0) * t);

    private static TimestepSchedule Finish(double[] values, bool roundToBf16)
    {
        if (roundToBf16)
        {
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = RoundToBf16(values[i]);
            }
        }

        return new TimestepSchedule(values);
    }

    private static void ValidateShift(double shift)
    {
        if (!double.IsFinite(shift) || shift <= 0.0)
        {
            throw new ArgumentOutOfRangeException(nameof(shift), shift, "Shift must be a finite positive number.");
        }
    }
}
