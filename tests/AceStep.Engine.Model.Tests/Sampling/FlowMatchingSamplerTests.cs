using AceStep.Engine.Model.Sampling;
using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Tests.Sampling;

public class FlowMatchingSamplerTests
{
    private static double[] Data(Tensor t)
    {
        using var f = t.to_type(ScalarType.Float64).contiguous();
        return f.data<double>().ToArray();
    }

    [Fact]
    public void Same_seeds_give_identical_noise_and_items_are_seeded_independently()
    {
        using var scope = NewDisposeScope();
        var a = NoiseSource.Create([7, 8], 16);
        var b = NoiseSource.Create([7, 8], 16);
        Assert.Equal(new long[] { 2, 16, 64 }, a.shape);
        Assert.Equal(Data(a), Data(b));

        var onlyEight = NoiseSource.Create([8], 16);
        Assert.Equal(Data(onlyEight), Data(a[1].unsqueeze(0)));
        Assert.NotEqual(Data(a[0]), Data(a[1]));

        var shared = NoiseSource.CreateShared(7, 2, 16);
        Assert.Equal(Data(a[0]), Data(shared[0]));
    }

    [Fact]
    public void Euler_with_the_true_velocity_field_lands_on_x0()
    {
        using var scope = NewDisposeScope();
        var x0 = NoiseSource.Create([1], 6, 4, ScalarType.Float64);
        var eps = NoiseSource.Create([2], 6, 4, ScalarType.Float64);

        // Constant field v = ε − x0: x_t = t·ε + (1 − t)·x0 is linear in t.
        var constant = FlowMatchingSampler.Sample(
            eps,
            (_, _, _, _) => new VelocityPrediction(eps - x0, null),
            new SamplerOptions { Dcw = WaveletCorrection.Off, Schedule = TimestepSchedule.Base(17, 3.0) });
        Assert.All(Data(constant).Zip(Data(x0)), p => Assert.Equal(p.Second, p.First, 12));

        // The same field written through x: v = (x − x0)/t, exact only if every step receives the right x and t.
        var throughX = FlowMatchingSampler.Sample(
            eps,
            (x, t, _, _) => new VelocityPrediction((x - x0) / t, null),
            new SamplerOptions { Dcw = WaveletCorrection.Off, Schedule = TimestepSchedule.Turbo(2.0) });
        Assert.All(Data(throughX).Zip(Data(x0)), p => Assert.Equal(p.Second, p.First, 12));
        Assert.Equal(Data(NoiseSource.Create([2], 6, 4, ScalarType.Float64)), Data(eps)); // noise left untouched
    }

    private static Tensor RunGuided(long[] seeds)
    {
        var noise = NoiseSource.Create(seeds, 12);
        using var apg = Guidance.Apg(4.0, intervalStart: 0.1, intervalEnd: 0.9);
        return FlowMatchingSampler.Sample(
            noise,
            (x, t, needsUncond, _) => new VelocityPrediction(sin(x) * t + 0.3 * x, needsUncond ? 0.5 * x : null),
            new SamplerOptions { Dcw = WaveletCorrection.Off, Schedule = TimestepSchedule.Base(12, 3.0), Guidance = apg });
    }

    [Fact]
    public void Same_seed_gives_identical_sampler_output()
    {
        using var scope = NewDisposeScope();
        var a = RunGuided([42, 43]);
        var b = RunGuided([42, 43]);
        Assert.Equal(Data(a), Data(b));
        Assert.NotEqual(Data(a), Data(RunGuided([44, 43])));
    }

    [Fact]
    public void Apg_momentum_is_fresh_per_generation()
    {
        using var scope = NewDisposeScope();
        var noise = NoiseSource.Create([5], 8);
        using var apg = Guidance.Apg(6.0);
        var options = new SamplerOptions { Dcw = WaveletCorrection.Off, Schedule = TimestepSchedule.Base(6), Guidance = apg };
        VelocityFunction f = (x, t, u, _) => new VelocityPrediction(x * t + 1.0, u ? x * 0.2 : null);
        var first = Data(FlowMatchingSampler.Sample(noise, f, options));
        var second = Data(FlowMatchingSampler.Sample(noise, f, options));
        Assert.Equal(first, second);
    }

    [Fact]
    public void Progress_is_called_once_per_step_with_the_step_time()
    {
        using var scope = NewDisposeScope();
        var schedule = TimestepSchedule.Base(5, 3.0);
        var calls = new List<(int Step, int Total, double T)>();
        FlowMatchingSampler.Sample(
            zeros(1, 4, 2),
            (x, _, _, _) => new VelocityPrediction(x + 1, null),
            new SamplerOptions { Dcw = WaveletCorrection.Off, Schedule = schedule, Progress = (s, n, t) => calls.Add((s, n, t)) });
        Assert.Equal(Enumerable.Range(0, 5).Select(i => (i + 1, 5, schedule.Values[i])), calls);
    }

    [Fact]
    public void Cancellation_is_checked_between_steps()
    {
        using var scope = NewDisposeScope();
        using var cts = new CancellationTokenSource();
        var modelCalls = 0;
        Assert.ThrowsAny<OperationCanceledException>(() => FlowMatchingSampler.Sample(
            zeros(1, 4, 2),
            (x, _, _, _) =>
            {
                modelCalls++;
                return new VelocityPrediction(x + 1, null);
            },
            new SamplerOptions
            {
                Dcw = WaveletCorrection.Off,
                Schedule = TimestepSchedule.Base(10),
                Progress = (s, _, _) =>
                {
                    if (s == 3)
                    {
                        cts.Cancel();
                    }
                },
            },
            cts.Token));
        Assert.Equal(3, modelCalls);
    }

    [Theory]
    [InlineData(0.3, 10, 3)]
    [InlineData(0.55, 8, 4)]
    [InlineData(0.0, 10, 0)]
    public void Condition_switch_fires_once_before_step_cover_steps(double strength, int steps, int expectedIndex)
    {
        using var scope = NewDisposeScope();
        Assert.Equal(expectedIndex, FlowMatchingSampler.CoverSteps(steps, strength));
        var events = new List<string>();
        FlowMatchingSampler.Sample(
            zeros(1, 2, 2),
            (x, _, _, _) =>
            {
                events.Add("step");
                return new VelocityPrediction(x + 1, null);
            },
            new SamplerOptions
            {
                Dcw = WaveletCorrection.Off,
                Schedule = TimestepSchedule.Base(steps),
                CoverConditioningScale = strength,
                OnConditionSwitch = i => events.Add($"switch {i}"),
            });
        Assert.Equal(steps + 1, events.Count);
        Assert.Equal($"switch {expectedIndex}", events[expectedIndex]);
        Assert.Single(events, e => e.StartsWith("switch", StringComparison.Ordinal));
    }

    [Fact]
    public void No_condition_switch_at_full_cover_strength()
    {
        using var scope = NewDisposeScope();
        var switched = false;
        FlowMatchingSampler.Sample(
            zeros(1, 2, 2),
            (x, _, _, _) => new VelocityPrediction(x + 1, null),
            new SamplerOptions { Dcw = WaveletCorrection.Off, Schedule = TimestepSchedule.Base(8), OnConditionSwitch = _ => switched = true });
        Assert.False(switched);
    }

    [Fact]
    public void Sdedit_start_uses_t_star_and_mixes_noise_with_the_source()
    {
        using var scope = NewDisposeScope();
        var noise = NoiseSource.Create([3], 5, 4);
        var source = NoiseSource.Create([4], 5, 4) * 0.1 + 2.0;
        var seen = new List<(double T, double[] X)>();
        var switches = new List<int>();
        FlowMatchingSampler.Sample(
            noise,
            (x, t, _, _) =>
            {
                seen.Add((t, Data(x)));
                return new VelocityPrediction(zeros_like(x), null);
            },
            new SamplerOptions
            {
                Dcw = WaveletCorrection.Off,
                Schedule = TimestepSchedule.Base(10),
                SdEditStrength = 0.33,
                SdEditSource = source,
                CoverConditioningScale = 0.5,
                OnConditionSwitch = switches.Add,
            });

        Assert.Equal(7, seen.Count); // t* = 0.7 → 7 remaining steps
        Assert.Equal(0.7, seen[0].T, 12);
        var expected = Data(noise).Zip(Data(source), (e, s) => 0.7 * e + 0.3 * s).ToArray();
        Assert.All(expected.Zip(seen[0].X), p => Assert.Equal(p.First, p.Second, 5));
        Assert.Equal([3], switches); // cover_steps recomputed on the 7 remaining steps
    }
}
