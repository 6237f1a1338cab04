using AceStep.Engine.Model.Sampling;
using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Tests.Sampling;

/// <summary>
/// The schedule in the model's dtype (issue 18 item 4): upstream builds it as a tensor of that dtype and drives t and
/// dt with its values. The emulation is checked against libtorch itself doing upstream's arithmetic.
/// </summary>
public class SchedulePrecisionTests
{
    // libtorch computing what upstream's base model computes: linspace in the dtype, then the shift formula as tensor
    // operations in the dtype.
    private static double[] Libtorch(int steps, double shift, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var t = linspace(1.0, 0.0, steps + 1, dtype: dtype);
        if (shift != 1.0)
            t = shift * t / (1 + (shift - 1) * t);
        return t.to_type(ScalarType.Float64).data<double>().ToArray();
    }

    [Theory]
    [InlineData(8, 3.0)]
    [InlineData(10, 3.0)]
    [InlineData(8, 2.0)]
    [InlineData(12, 1.0)]
    [InlineData(15, 3.0)]
    public void The_base_schedule_in_bf16_and_fp16_equals_libtorchs_arithmetic(int steps, double shift)
    {
        foreach (var dtype in new[] { ScalarType.BFloat16, ScalarType.Float16 })
        {
            var expected = Libtorch(steps, shift, dtype);
            Assert.Equal(expected, TimestepSchedule.Base(steps, shift, dtype).Values);
        }
    }

    [Theory]
    [InlineData(50, 3.0)]
    [InlineData(100, 3.0)]
    [InlineData(60, 1.0)]
    public void Long_base_schedules_in_bf16_stay_within_one_bf16_step_of_libtorch_on_cpu(int steps, double shift)
    {
        // libtorch's CPU linspace takes a vectorised path for long outputs whose rounding can differ from the scalar
        // kernel CUDA runs (the one emulated); the two stay within one bf16 ulp.
        var expected = Libtorch(steps, shift, ScalarType.BFloat16);
        var actual = TimestepSchedule.Base(steps, shift, ScalarType.BFloat16).Values;
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1.0 / 128 * Math.Max(expected[i], 1.0 / 128), $"t[{i}]: {actual[i]} vs {expected[i]}");
    }

    [Fact]
    public void The_bf16_schedule_differs_from_the_exact_one_by_up_to_the_issues_7_8e_3()
    {
        var exact = TimestepSchedule.Base(8, 3.0).Values;
        var bf16 = TimestepSchedule.Base(8, 3.0, ScalarType.BFloat16).Values;
        var worst = exact.Zip(bf16, (a, b) => Math.Abs(a - b)).Max();
        Assert.InRange(worst, 1e-3, 8e-3);
        Assert.All(bf16, t => Assert.Equal(t, TimestepSchedule.RoundToBf16(t)));
    }

    [Fact]
    public void Step_sizes_are_rounded_to_the_dtype_as_upstreams_dt_tensor()
    {
        var schedule = TimestepSchedule.Turbo(3.0, ScalarType.BFloat16);
        for (var i = 0; i < schedule.Steps; i++)
        {
            var dt = schedule.StepSize(i);
            Assert.Equal(TimestepSchedule.RoundToBf16(schedule.Values[i] - schedule.Values[i + 1]), dt);
            using var upstream = full([1], schedule.Values[i] - schedule.Values[i + 1], ScalarType.BFloat16);
            Assert.Equal(upstream.to_type(ScalarType.Float64).item<double>(), dt);
        }

        // The last turbo step: dt = t, the x0 = x − v·t of upstream's get_x0_from_noise.
        Assert.Equal(schedule.Values[^2], schedule.StepSize(schedule.Steps - 1));
        var exact = TimestepSchedule.Base(4);
        Assert.Equal(0.25, exact.StepSize(0));
    }

    [Fact]
    public void A_turbo_model_takes_at_most_8_steps_and_8_steps_is_the_fixed_table()
    {
        foreach (var shift in new[] { 1.0, 2.0, 3.0 })
        {
            Assert.Equal(TimestepSchedule.Turbo(shift).Values, TimestepSchedule.TurboAtSteps(8, shift).Values);
            Assert.Equal(TimestepSchedule.Turbo(shift).Values, TimestepSchedule.TurboAtSteps(50, shift).Values);
            Assert.Equal(TimestepSchedule.Turbo(shift, ScalarType.BFloat16).Values, TimestepSchedule.TurboAtSteps(300, shift, ScalarType.BFloat16).Values);
        }

        // Fewer steps run as asked (latest upstream honours infer_steps ≤ 8): 1 − i/n shifted, then 0.
        var four = TimestepSchedule.TurboAtSteps(4, 3.0);
        Assert.Equal([1.0, 0.9, 0.75, 0.5, 0.0], four.Values.Select(v => Math.Round(v, 12)));
        Assert.Equal(TimestepSchedule.MaxTurboSteps, 8);
    }

    [Fact]
    public void Turbo_values_are_rounded_once_from_the_double_formula_in_each_dtype()
    {
        using var scope = NewDisposeScope();
        foreach (var dtype in new[] { ScalarType.Float32, ScalarType.BFloat16, ScalarType.Float16 })
        {
            var table = TimestepSchedule.Turbo(3.0).Values.SkipLast(1).ToArray();
            var expected = tensor(table, dtype: ScalarType.Float64).to_type(dtype).to_type(ScalarType.Float64).data<double>().ToArray();
            Assert.Equal(expected, TimestepSchedule.TurboAtSteps(8, 3.0, dtype).Values.SkipLast(1));
        }
    }

    [Fact]
    public void A_turbo_sdedit_start_noises_with_the_listed_value_and_walks_the_dtype_values()
    {
        // Upstream's turbo picks t* from its Python list and renoises with it; the schedule tensor holds its bf16 value.
        var trimmed = TimestepSchedule.TurboAtSteps(8, 3.0, ScalarType.BFloat16).StartingAtStrength(0.05);
        Assert.Equal(0.953125, trimmed.Start);
        Assert.Equal(3 * 0.875 / (1 + 2 * 0.875), trimmed.NoisingStart, 15);
        var baseTrimmed = TimestepSchedule.Base(8, 3.0, ScalarType.BFloat16).StartingAtStrength(0.05);
        Assert.Equal(baseTrimmed.Start, baseTrimmed.NoisingStart);                  // base renoises with the bf16 value
    }

    [Fact]
    public void Sdedit_trimming_keeps_the_precision()
    {
        var schedule = TimestepSchedule.Base(10, 3.0, ScalarType.BFloat16);
        var trimmed = schedule.StartingAtStrength(0.5);
        Assert.Equal(ScalarType.BFloat16, trimmed.Precision);
        Assert.Equal(schedule.Values.Skip(schedule.Steps - trimmed.Steps), trimmed.Values);
    }
}
