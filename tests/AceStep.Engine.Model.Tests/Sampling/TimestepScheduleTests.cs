using AceStep.Engine.Model.Sampling;

namespace AceStep.Engine.Model.Tests.Sampling;

public class TimestepScheduleTests
{
    public static TheoryData<double, double[]> TurboTables => new()
    {
        { 1.0, [1.0, 0.875, 0.75, 0.625, 0.5, 0.375, 0.25, 0.125] },
        { 2.0, [1.0, 0.93333, 0.85714, 0.76923, 0.66667, 0.54545, 0.4, 0.22222] },
        { 3.0, [1.0, 0.95455, 0.9, 0.83333, 0.75, 0.64286, 0.5, 0.3] },
    };

    [Theory]
    [MemberData(nameof(TurboTables))]
    public void Turbo_tables_match_the_spec_to_five_decimals_and_the_shift_formula(double shift, double[] expected)
    {
        var schedule = TimestepSchedule.Turbo(shift);
        Assert.Equal(8, schedule.Steps);
        Assert.Equal(9, schedule.Values.Count);
        Assert.Equal(0.0, schedule.Values[8]);
        for (var i = 0; i < 8; i++)
        {
            Assert.Equal(expected[i], schedule.Values[i], 5);
            var t = 1.0 - i / 8.0;
            var formula = shift * t / (1.0 + (shift - 1.0) * t);
            Assert.Equal(formula, schedule.Values[i], 15);
        }
    }

    [Theory]
    [InlineData(0.1, 1.0)]
    [InlineData(1.4, 1.0)]
    [InlineData(1.5, 1.0)]
    [InlineData(1.6, 2.0)]
    [InlineData(2.5, 2.0)]
    [InlineData(2.7, 3.0)]
    [InlineData(7.0, 3.0)]
    public void Turbo_shift_rounds_to_the_nearest_table(double requested, double expected)
    {
        Assert.Equal(expected, TimestepSchedule.NearestTurboShift(requested));
        Assert.Equal(TimestepSchedule.Turbo(expected).Values, TimestepSchedule.Turbo(requested).Values);
    }

    [Fact]
    public void Base_schedule_with_shift_3_runs_from_1_to_0_strictly_decreasing_above_linear()
    {
        var schedule = TimestepSchedule.Base(50, 3.0);
        Assert.Equal(50, schedule.Steps);
        Assert.Equal(1.0, schedule.Values[0]);
        Assert.Equal(0.0, schedule.Values[50]);
        for (var i = 1; i <= 50; i++)
        {
            Assert.True(schedule.Values[i] < schedule.Values[i - 1], $"not decreasing at {i}");
        }

        for (var i = 1; i < 50; i++)
        {
            var linear = 1.0 - i / 50.0;
            Assert.True(schedule.Values[i] > linear);
            Assert.Equal(3 * linear / (1 + 2 * linear), schedule.Values[i], 15);
        }
    }

    [Fact]
    public void Base_schedule_without_shift_is_linspace()
    {
        var schedule = TimestepSchedule.Base(4);
        Assert.Equal([1.0, 0.75, 0.5, 0.25, 0.0], schedule.Values);
    }

    [Fact]
    public void Bf16_rounding_reproduces_the_spec_caveat()
    {
        Assert.Equal(0.953125, TimestepSchedule.RoundToBf16(0.95455));
        var rounded = TimestepSchedule.Turbo(3.0, TorchSharp.torch.ScalarType.BFloat16);
        Assert.Equal(0.953125, rounded.Values[1]);
        Assert.Equal(1.0, rounded.Values[0]);
        Assert.Equal(0.5, rounded.Values[6]);
        Assert.Equal(0.0, rounded.Values[8]);
        foreach (var t in rounded.Values)
        {
            Assert.Equal(t, TimestepSchedule.RoundToBf16(t));
        }
    }

    [Fact]
    public void Custom_schedule_must_end_with_zero_and_decrease()
    {
        var custom = TimestepSchedule.Custom([1.0, 0.6, 0.2, 0.0]);
        Assert.Equal(3, custom.Steps);
        Assert.Throws<ArgumentException>(() => TimestepSchedule.Custom([1.0, 0.5]));
        Assert.Throws<ArgumentException>(() => TimestepSchedule.Custom([1.0, 0.5, 0.6, 0.0]));
        Assert.Throws<ArgumentException>(() => TimestepSchedule.Custom([0.0]));
    }

    [Theory]
    [InlineData(0.33, 0.7, 7)] // target 0.67 → 0.7
    [InlineData(0.5, 0.5, 5)]
    [InlineData(0.96, 0.1, 1)] // target 0.04 → nearest non-final value 0.1
    [InlineData(1.0, 0.1, 1)] // target 0 → the final 0 is excluded
    [InlineData(0.04, 1.0, 10)] // target 0.96 → 1, unchanged
    public void Sdedit_start_picks_the_nearest_value_and_drops_earlier_entries(double strength, double tStar, int steps)
    {
        var schedule = TimestepSchedule.Base(10);
        var trimmed = schedule.StartingAtStrength(strength);
        Assert.Equal(tStar, trimmed.Start, 12);
        Assert.Equal(steps, trimmed.Steps);
        Assert.Equal(schedule.Values.Skip(10 - steps), trimmed.Values);
    }

    [Fact]
    public void Sdedit_strength_zero_keeps_the_schedule()
    {
        var schedule = TimestepSchedule.Turbo(3.0);
        Assert.Same(schedule, schedule.StartingAtStrength(0.0));
    }
}
