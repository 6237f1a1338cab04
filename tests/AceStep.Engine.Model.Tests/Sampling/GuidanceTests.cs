using AceStep.Engine.Model.Sampling;
using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Tests.Sampling;

public class GuidanceTests
{
    private static double[] Data(Tensor t)
    {
        using var f = t.to_type(ScalarType.Float64).contiguous();
        return f.data<double>().ToArray();
    }

    private static Tensor Btc(double[] values, long b, long t, long c) =>
        tensor(values.Select(v => (float)v).ToArray()).view(b, t, c);

    private static void AssertClose(double[] expected, double[] actual, double tol)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tol, $"[{i}] expected {expected[i]}, got {actual[i]}");
        }
    }

    [Fact]
    public void Apg_matches_a_hand_computed_two_step_case_with_momentum_clip_and_projection()
    {
        using var scope = NewDisposeScope();
        using var apg = Guidance.Apg(3.0);

        // Step 1: v_c = [1, 2, 2], v_u = [-1, 0, 1] over time (B = 1, C = 1).
        // d = [2, 2, 1]; m = d (fresh buffer); ‖d‖ = 3 > 2.5 → d = (2.5/3)·d = [5/3, 5/3, 5/6].
        // û = [1, 2, 2]/3; d·û = (5/3 + 10/3 + 10/6)/3 = 20/9; d_par = (20/9)·û = [20/27, 40/27, 40/27].
        // d_orth = [25/27, 5/27, -17.5/27]; v = v_c + (3 - 1)·d_orth.
        var v1 = apg.Apply(Btc([1, 2, 2], 1, 3, 1), Btc([-1, 0, 1], 1, 3, 1), 0.9);
        AssertClose([1 + 50.0 / 27, 2 + 10.0 / 27, 2 - 35.0 / 27], Data(v1), 1e-6);
        AssertClose([2, 2, 1], Data(apg.MomentumBuffer!), 1e-6); // the buffer keeps the unclipped running value

        // Step 2: v_c = [1, 0, 0], v_u = [0, 1, 0] → d = [1, -1, 0];
        // m = d + (-0.75)·[2, 2, 1] = [-0.5, -2.5, -0.75]; ‖m‖ = √7.0625 > 2.5 → clip by c = 2.5/√7.0625.
        // û = [1, 0, 0] → d_orth = c·[0, -2.5, -0.75]; v = v_c + 2·d_orth.
        var c = 2.5 / Math.Sqrt(0.25 + 6.25 + 0.5625);
        var v2 = apg.Apply(Btc([1, 0, 0], 1, 3, 1), Btc([0, 1, 0], 1, 3, 1), 0.8);
        AssertClose([1, 2 * c * -2.5, 2 * c * -0.75], Data(v2), 1e-6);
        AssertClose([-0.5, -2.5, -0.75], Data(apg.MomentumBuffer!), 1e-6);

        // Reset gives a fresh buffer: step 2's inputs alone now have ‖d‖ = √2 < 2.5, so no clip and d_orth = [0, -1, 0].
        apg.Reset();
        Assert.Null(apg.MomentumBuffer);
        var fresh = apg.Apply(Btc([1, 0, 0], 1, 3, 1), Btc([0, 1, 0], 1, 3, 1), 0.8);
        AssertClose([1, -2, 0], Data(fresh), 1e-6);
    }

    /// <summary>Independent APG reference with plain doubles over [B, T, C], reducing over time per (b, c).</summary>
    private static double[] NaiveApg(double[] vc, double[] vu, double[] m, int b, int t, int ch, double g, double mu, double tau)
    {
        var result = new double[vc.Length];
        int Ix(int bi, int ti, int ci) => (bi * t + ti) * ch + ci;
        for (var bi = 0; bi < b; bi++)
        {
            for (var ci = 0; ci < ch; ci++)
            {
                var d = new double[t];
                for (var ti = 0; ti < t; ti++)
                {
                    var k = Ix(bi, ti, ci);
                    m[k] = vc[k] - vu[k] + mu * m[k];
                    d[ti] = m[k];
                }

                var n = Math.Sqrt(d.Sum(x => x * x));
                var f = Math.Min(1.0, tau / n);
                var cn = Math.Sqrt(Enumerable.Range(0, t).Sum(ti => vc[Ix(bi, ti, ci)] * vc[Ix(bi, ti, ci)]));
                var dot = Enumerable.Range(0, t).Sum(ti => d[ti] * f * vc[Ix(bi, ti, ci)] / cn);
                for (var ti = 0; ti < t; ti++)
                {
                    var k = Ix(bi, ti, ci);
                    var orth = d[ti] * f - dot * vc[k] / cn;
                    result[k] = vc[k] + (g - 1) * orth;
                }
            }
        }

        return result;
    }

    [Fact]
    public void Apg_reduces_over_time_per_batch_and_channel_across_three_steps()
    {
        using var scope = NewDisposeScope();
        const int B = 2, T = 5, C = 3;
        var rng = new Random(1234);
        var momentum = new double[B * T * C];
        using var apg = Guidance.Apg(5.0);
        for (var step = 0; step < 3; step++)
        {
            var vc = Enumerable.Range(0, B * T * C).Select(_ => (double)(float)(rng.NextDouble() * 4 - 2)).ToArray();
            var vu = Enumerable.Range(0, B * T * C).Select(_ => (double)(float)(rng.NextDouble() * 4 - 2)).ToArray();
            var expected = NaiveApg(vc, vu, momentum, B, T, C, 5.0, -0.75, 2.5);
            var actual = Data(apg.Apply(Btc(vc, B, T, C), Btc(vu, B, T, C), 0.5));
            AssertClose(expected, actual, 1e-5);
        }
    }

    [Fact]
    public void Plain_cfg_is_uncond_plus_scale_times_difference()
    {
        using var scope = NewDisposeScope();
        double[] vc = [1, -2, 3, 0.5, 4, -1];
        double[] vu = [0, 1, 1, 2, -3, -1];
        using var cfg = Guidance.PlainCfg(4.0);
        var v = Data(cfg.Apply(Btc(vc, 1, 3, 2), Btc(vu, 1, 3, 2), 0.3));
        AssertClose(vc.Zip(vu, (c, u) => u + 4.0 * (c - u)).ToArray(), v, 1e-6);
    }

    [Fact]
    public void Scale_one_or_below_means_no_guidance()
    {
        using var scope = NewDisposeScope();
        double[] vc = [1, -2, 3, 0.5];
        double[] vu = [0, 1, 1, 2];
        foreach (var g in new Guidance[] { Guidance.PlainCfg(1.0), Guidance.Apg(1.0), Guidance.PlainCfg(0.5), Guidance.None })
        {
            using (g)
            {
                Assert.False(g.IsActiveAt(0.5));
                AssertClose(vc, Data(g.Apply(Btc(vc, 1, 4, 1), Btc(vu, 1, 4, 1), 0.5)), 0);
                AssertClose(vc, Data(g.Apply(Btc(vc, 1, 4, 1), null, 0.5)), 0);
            }
        }
    }

    [Fact]
    public void Outside_the_cfg_interval_v_is_v_cond_and_apg_momentum_is_untouched()
    {
        using var scope = NewDisposeScope();
        using var apg = Guidance.Apg(3.0, intervalStart: 0.2, intervalEnd: 0.8);
        Assert.False(apg.IsActiveAt(0.9));
        Assert.True(apg.IsActiveAt(0.8));
        Assert.True(apg.IsActiveAt(0.2));
        Assert.False(apg.IsActiveAt(0.1));

        double[] vc = [1, 2, 2];
        double[] vu = [-1, 0, 1];
        AssertClose(vc, Data(apg.Apply(Btc(vc, 1, 3, 1), Btc(vu, 1, 3, 1), 0.9)), 0);
        Assert.Null(apg.MomentumBuffer);

        apg.Apply(Btc(vc, 1, 3, 1), Btc(vu, 1, 3, 1), 0.5);
        AssertClose([2, 2, 1], Data(apg.MomentumBuffer!), 1e-6);

        AssertClose([7, 7, 7], Data(apg.Apply(Btc([7, 7, 7], 1, 3, 1), Btc([0, 0, 0], 1, 3, 1), 0.1)), 0);
        AssertClose([2, 2, 1], Data(apg.MomentumBuffer!), 1e-6);

        using var cfg = Guidance.PlainCfg(3.0, 0.2, 0.8);
        AssertClose(vc, Data(cfg.Apply(Btc(vc, 1, 3, 1), Btc(vu, 1, 3, 1), 0.95)), 0);
    }

    [Fact]
    public void Active_guidance_without_uncond_throws()
    {
        using var scope = NewDisposeScope();
        using var cfg = Guidance.PlainCfg(2.0);
        Assert.Throws<ArgumentNullException>(() => cfg.Apply(Btc([1, 2], 1, 2, 1), null, 0.5));
    }
}
