using static TorchSharp.torch;

namespace AceStep.Engine.Model.Sampling;

/// <summary>
/// The decreasing list of flow-matching times t₀ = start … t_N = 0 the sampler walks (spec §8.3). Step i goes from
/// <c>Values[i]</c> to <c>Values[i + 1]</c>, so a schedule of N steps holds N + 1 values and always ends with 0.
/// Instances are immutable.
/// </summary>
/// <remarks>
/// Upstream builds the schedule as a tensor in the model's dtype and uses its values for both t and dt (spec §8.3
/// dtype caveat). A schedule made with a <see cref="Precision"/> other than Float64 reproduces that arithmetic: every
/// value is one that dtype holds, computed the way libtorch computes it (each operation in float32, rounded to the
/// dtype — <c>linspace</c> and the shift formula for the base model, one rounding of the Python-computed list for
/// turbo and custom schedules), and <see cref="StepSize"/> is t − t′ rounded to the dtype, as the
/// <c>dt * ones(dtype)</c> upstream multiplies by. Float64 keeps exact doubles (tests, references).
/// </remarks>
public sealed class TimestepSchedule
{
    /// <summary>The shifts the turbo model ships fixed tables for; any other shift is rounded to the nearest of them.</summary>
    public static IReadOnlyList<double> TurboShifts { get; } = [1.0, 2.0, 3.0];

    /// <summary>Number of steps in the turbo tables.</summary>
    public const int TurboSteps = 8;

    /// <summary>The most steps a turbo model takes: upstream's service layer clamps <c>infer_steps</c> to 8.</summary>
    public const int MaxTurboSteps = TurboSteps;

    private readonly double[] _values;

    // Turbo: the values as upstream's Python list holds them before it becomes a tensor of the model's dtype; its SDEdit
    // start picks t* from and renoises with these (base picks from the dtype's values). Null for base schedules.
    private readonly double[]? _listed;

    private TimestepSchedule(double[] values, ScalarType precision, double[]? listed = null)
    {
        _values = values;
        Precision = precision;
        _listed = listed;
    }

    /// <summary>All schedule values, start first, ending with 0; <see cref="Steps"/> + 1 entries.</summary>
    public IReadOnlyList<double> Values => _values;

    /// <summary>The dtype the schedule was computed in (Float64: exact doubles).</summary>
    public ScalarType Precision { get; }

    /// <summary>dt of step <paramref name="index"/>: t − t′ rounded to <see cref="Precision"/>.</summary>
    public double StepSize(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Steps);
        return RoundTo(_values[index] - _values[index + 1], Precision);
    }

    /// <summary>Number of integration steps (values minus one).</summary>
    public int Steps => _values.Length - 1;

    /// <summary>The first (largest) time, where sampling starts: 1 unless the schedule was trimmed for an SDEdit start.</summary>
    public double Start => _values[0];

    /// <summary>
    /// The t* an SDEdit start noises the source to: <see cref="Start"/>, except on a turbo schedule in a reduced dtype,
    /// where upstream renoises with the Python float its list holds (e.g. 0.9545… rather than bf16's 0.953125).
    /// </summary>
    public double NoisingStart => (_listed ?? _values)[0];

    /// <summary>
    /// The base / SFT schedule: t = linspace(1, 0, N + 1), then with shift s ≠ 1 each value becomes s·t / (1 + (s − 1)·t).
    /// In a reduced <paramref name="precision"/> both the linspace and the formula run in that dtype, operation by
    /// operation, as upstream's <c>torch.linspace(1, 0, N + 1, dtype=dtype)</c> and tensor arithmetic do.
    /// </summary>
    /// <param name="steps">Number of inference steps N (at least 1).</param>
    /// <param name="shift">Time shift s (&gt; 0); 1 leaves the linear schedule as it is.</param>
    /// <param name="precision">Float64 (exact), Float32, BFloat16 or Float16.</param>
    public static TimestepSchedule Base(int steps, double shift = 1.0, ScalarType precision = ScalarType.Float64)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(steps);
        ValidateShift(shift);
        ValidatePrecision(precision);
        var values = new double[steps + 1];
        if (precision == ScalarType.Float64)
        {
            for (var i = 0; i <= steps; i++)
            {
                values[i] = Shift(1.0 - (double)i / steps, shift);
            }

            values[steps] = 0.0;
            return new TimestepSchedule(values, precision);
        }

        var linear = Linspace(1.0, 0.0, steps + 1, precision);
        for (var i = 0; i <= steps; i++)
        {
            var t = linear[i];
            if (shift != 1.0)
            {
                // shift * t / (1 + (shift - 1) * t), each tensor operation rounded to the dtype.
                var numerator = RoundTo((float)shift * (float)t, precision);
                var scaled = RoundTo((float)(shift - 1.0) * (float)t, precision);
                var denominator = RoundTo((float)scaled + 1f, precision);
                t = RoundTo((float)numerator / (float)denominator, precision);
            }

            values[i] = t;
        }

        return new TimestepSchedule(values, precision);
    }

    /// <summary>
    /// A turbo model's schedule as latest upstream builds it (spec §8.3, [R-latest]): the service clamps the steps to
    /// <see cref="MaxTurboSteps"/>, the model takes t = 1 − i/n (i &lt; n) shifted by s, computed in double and made a
    /// tensor of the model's dtype, then the final 0. With 8 steps and s ∈ {1, 2, 3} this is exactly the fixed table of
    /// <see cref="Turbo"/>, which the February release used whatever the steps.
    /// </summary>
    /// <param name="steps">Requested steps (at least 1); more than 8 run 8.</param>
    /// <param name="shift">Time shift s (&gt; 0).</param>
    /// <param name="precision">Float64 (exact), Float32, BFloat16 or Float16.</param>
    public static TimestepSchedule TurboAtSteps(int steps, double shift = 3.0, ScalarType precision = ScalarType.Float64)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(steps);
        ValidateShift(shift);
        ValidatePrecision(precision);
        var n = Math.Min(steps, MaxTurboSteps);
        var listed = new double[n + 1];
        for (var i = 0; i < n; i++)
        {
            listed[i] = Shift(1.0 - (double)i / n, shift);
        }

        return new TimestepSchedule([.. listed.Select(t => RoundTo(t, precision))], precision, listed);
    }

    /// <summary>
    /// The turbo model's fixed 8-step schedule for the shift nearest to <paramref name="shift"/> among 1, 2, 3 (ties go to
    /// the smaller shift); the values equal the shift formula applied to 1 − i/8, followed by the final 0.
    /// </summary>
    /// <param name="shift">Requested shift (&gt; 0); rounded with <see cref="NearestTurboShift"/>.</param>
    /// <param name="precision">Float64 (exact), Float32, BFloat16 or Float16: each value rounded once, as
    /// <c>torch.tensor(table, dtype=dtype)</c> does.</param>
    public static TimestepSchedule Turbo(double shift = 3.0, ScalarType precision = ScalarType.Float64)
    {
        ValidatePrecision(precision);
        var s = NearestTurboShift(shift);
        var listed = new double[TurboSteps + 1];
        for (var i = 0; i < TurboSteps; i++)
        {
            listed[i] = Shift(1.0 - (double)i / TurboSteps, s);
        }

        return new TimestepSchedule([.. listed.Select(t => RoundTo(t, precision))], precision, listed);
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
    /// <param name="precision">Float64 (exact), Float32, BFloat16 or Float16: each value rounded once.</param>
    public static TimestepSchedule Custom(IReadOnlyList<double> timesteps, ScalarType precision = ScalarType.Float64)
    {
        ValidatePrecision(precision);
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

        return new TimestepSchedule([.. timesteps.Select(t => RoundTo(t, precision))], precision);
    }

    /// <summary>
    /// The SDEdit-style start (spec §8.7): with strength c &gt; 0 the target level is 1 − c; the schedule value t* nearest
    /// to it (the final 0 excluded; ties to the earlier, larger value; on turbo measured on the listed values, as
    /// upstream) becomes the start and the entries before it are dropped. Strength ≤ 0 returns this schedule unchanged.
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
        var candidates = _listed ?? _values;
        var best = 0;
        for (var i = 1; i < candidates.Length - 1; i++)
        {
            if (Math.Abs(candidates[i] - target) < Math.Abs(candidates[best] - target))
            {
                best = i;
            }
        }

        return best == 0 ? this : new TimestepSchedule(_values[best..], Precision, _listed?[best..]);
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

    /// <summary>
    /// <paramref name="value"/> as <paramref name="precision"/> holds it: Float64 unchanged; otherwise through float32
    /// (as libtorch stores a Python float), then to bfloat16 or float16 with round to nearest, ties to even.
    /// </summary>
    public static double RoundTo(double value, ScalarType precision) => precision switch
    {
        ScalarType.Float64 => value,
        ScalarType.Float32 => (float)value,
        ScalarType.BFloat16 => RoundToBf16(value),
        ScalarType.Float16 => (double)(Half)(float)value,
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, "A schedule is Float64, Float32, BFloat16 or Float16."),
    };

    /// <summary>The time shift s·t / (1 + (s − 1)·t); identity for s = 1.</summary>
    /// <param name="t">Time in [0, 1].</param>
    /// <param name="shift">Shift s (&gt; 0).</param>
    public static double Shift(double t, double shift) => shift == 1.0 ? t : shift * t / (1.0 + (shift - 1.0) * t);

    private static double RoundTo(float value, ScalarType precision) => RoundTo((double)value, precision);

    // torch.linspace(start, end, count, dtype) as libtorch's kernel computes it for a floating dtype: the step in the
    // dtype, the first half counted up from start and the rest down from end, each operation rounded to the dtype.
    private static double[] Linspace(double start, double end, int count, ScalarType precision)
    {
        var values = new double[count];
        var first = RoundTo(start, precision);
        var last = RoundTo(end, precision);
        var step = RoundTo((float)RoundTo((float)last - (float)first, precision) / (float)RoundTo(count - 1, precision), precision);
        var halfway = count / 2;
        for (var i = 0; i < count; i++)
        {
            values[i] = i < halfway
                ? RoundTo((float)first + (float)RoundTo((float)step * (float)RoundTo(i, precision), precision), precision)
                : RoundTo((float)last - (float)RoundTo((float)step * (float)RoundTo(count - i - 1, precision), precision), precision);
        }

        return values;
    }

    private static void ValidatePrecision(ScalarType precision)
    {
        if (precision is not (ScalarType.Float64 or ScalarType.Float32 or ScalarType.BFloat16 or ScalarType.Float16))
        {
            throw new ArgumentOutOfRangeException(nameof(precision), precision, "A schedule is Float64, Float32, BFloat16 or Float16.");
        }
    }

    private static void ValidateShift(double shift)
    {
        if (!double.IsFinite(shift) || shift <= 0.0)
        {
            throw new ArgumentOutOfRangeException(nameof(shift), shift, "Shift must be a finite positive number.");
        }
    }
}
