using AceStep.Engine.Model.Sampling;
using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Tests.Sampling;

/// <summary>
/// The negative prompt as its own guidance term (issue 18 item 2): the unconditional branch stays the learned null
/// condition and v = G(v_c, v_u) + w·(G′(v_c, v_n) − v_c).
/// </summary>
public class NegativeGuidanceTests
{
    private static double[] Data(Tensor t)
    {
        using var f = t.to_type(ScalarType.Float64).contiguous();
        return f.data<double>().ToArray();
    }

    private static void AssertClose(double[] expected, double[] actual, double tol)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tol, $"[{i}] expected {expected[i]}, got {actual[i]}");
    }

    [Fact]
    public void Cfg_adds_g_minus_1_times_the_distance_from_the_negative()
    {
        using var scope = NewDisposeScope();
        var (vc, vu, vn) = (randn(2, 5, 3), randn(2, 5, 3), randn(2, 5, 3));
        using var cfg = Guidance.PlainCfg(4.0);
        var v = cfg.Apply(vc, vu, vn, 0.5);
        var expected = vu + 4.0 * (vc - vu) + 3.0 * (vc - vn);
        AssertClose(Data(expected), Data(v), 1e-5);
    }

    [Fact]
    public void Without_a_negative_or_outside_the_interval_it_is_upstreams_guidance()
    {
        using var scope = NewDisposeScope();
        var (vc, vu, vn) = (randn(1, 6, 2), randn(1, 6, 2), randn(1, 6, 2));
        using var a = Guidance.Apg(5.0);
        using var b = Guidance.Apg(5.0);
        AssertClose(Data(a.Apply(vc, vu, 0.7)), Data(b.Apply(vc, vu, null, 0.7)), 0);

        using var interval = Guidance.PlainCfg(3.0, intervalStart: 0.0, intervalEnd: 0.5);
        AssertClose(Data(vc), Data(interval.Apply(vc, null, vn, 0.9)), 0);

        using var weightless = Guidance.PlainCfg(3.0, negativeWeight: 0.0);
        AssertClose(Data(vu + 3.0 * (vc - vu)), Data(weightless.Apply(vc, vu, vn, 0.3)), 1e-6);
    }

    [Fact]
    public void Apg_runs_the_negative_term_with_its_own_momentum()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var steps = Enumerable.Range(0, 3).Select(_ => (randn(1, 8, 2), randn(1, 8, 2), randn(1, 8, 2))).ToList();
        using var both = Guidance.Apg(3.0);
        using var main = Guidance.Apg(3.0);
        using var negativeAsBaseline = Guidance.Apg(3.0);
        foreach (var (vc, vu, vn) in steps)
        {
            // G(v_c, v_u) + (G′(v_c, v_n) − v_c), each APG with its own running average.
            var expected = main.Apply(vc, vu, 0.5) + (negativeAsBaseline.Apply(vc, vn, 0.5) - vc);
            AssertClose(Data(expected), Data(both.Apply(vc, vu, vn, 0.5)), 1e-5);
        }
    }

    [Fact]
    public void The_weight_scales_the_negative_term_and_must_be_finite_and_non_negative()
    {
        using var scope = NewDisposeScope();
        var (vc, vu, vn) = (randn(1, 4, 2), randn(1, 4, 2), randn(1, 4, 2));
        using var half = Guidance.PlainCfg(2.0, negativeWeight: 0.5);
        AssertClose(Data(vu + 2.0 * (vc - vu) + 0.5 * (vc - vn)), Data(half.Apply(vc, vu, vn, 0.2)), 1e-6);
        Assert.Throws<ArgumentOutOfRangeException>(() => Guidance.PlainCfg(2.0, negativeWeight: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Guidance.Apg(2.0, negativeWeight: double.NaN));
    }
}
