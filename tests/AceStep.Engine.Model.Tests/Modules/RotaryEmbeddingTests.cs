using AceStep.Engine.Model.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Tests.Modules;

public class RotaryEmbeddingTests
{
    [Fact]
    public void Rotate_half_maps_a_b_to_minus_b_a()
    {
        using var scope = NewDisposeScope();
        var r = RotaryEmbedding.RotateHalf(tensor(new float[] { 1, 2, 3, 4 }));
        Assert.Equal(new double[] { -3, -4, 1, 2 }, Naive.Data(r));
    }

    [Fact]
    public void Hand_computed_four_dim_case()
    {
        // d = 4, θ = 100 → inv_freq = [1, 100^(−1/2)] = [1, 0.1]. At position p, x = [a, b, c, d] becomes
        // [a·cos p − c·sin p, b·cos 0.1p − d·sin 0.1p, c·cos p + a·sin p, d·cos 0.1p + b·sin 0.1p].
        using var scope = NewDisposeScope();
        using var rope = new RotaryEmbedding(headDim: 4, theta: 100);
        var x = tensor(new float[] { 1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4 }).view(1, 1, 3, 4);   // positions 0, 1, 2
        var y = Naive.Data(rope.Rotate(x));

        double[] Expected(double p) =>
        [
            1 * Math.Cos(p) - 3 * Math.Sin(p),
            2 * Math.Cos(0.1 * p) - 4 * Math.Sin(0.1 * p),
            3 * Math.Cos(p) + 1 * Math.Sin(p),
            4 * Math.Cos(0.1 * p) + 2 * Math.Sin(0.1 * p),
        ];

        Naive.AssertClose([.. Expected(0), .. Expected(1), .. Expected(2)], y, 1e-6);
        Assert.Equal(new double[] { 1, 2, 3, 4 }, y.Take(4).ToArray());   // position 0 is the identity
    }

    [Fact]
    public void Random_queries_and_keys_match_the_pairwise_rotation_at_theta_1e6()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        const int D = 16, L = 7;
        using var rope = new RotaryEmbedding(D, 1_000_000);
        var q = randn(2, 3, L, D);
        var k = randn(2, 1, L, D);
        var (qr, kr) = rope.Apply(q, k);
        Assert.Equal(q.shape, qr.shape);
        Assert.Equal(k.shape, kr.shape);

        foreach (var (input, output) in new[] { (q, qr), (k, kr) })
        {
            var data = Naive.Data(input);
            var expected = new List<double>();
            for (var row = 0; row < data.Length / D; row++)
            {
                expected.AddRange(Naive.Rope(data.AsSpan(row * D, D).ToArray(), row % L, 1_000_000));
            }

            Naive.AssertClose([.. expected], Naive.Data(output), 1e-5);
        }
    }

    [Fact]
    public void Tables_are_cached_per_length_and_keep_the_input_dtype()
    {
        using var scope = NewDisposeScope();
        using var rope = new RotaryEmbedding(8);
        var first = rope.Tables(5, CPU);
        Assert.Same(first.Cos, rope.Tables(5, CPU).Cos);
        Assert.NotSame(first.Cos, rope.Tables(6, CPU).Cos);
        Assert.Equal(new long[] { 5, 8 }, first.Cos.shape);
        Assert.Equal(ScalarType.BFloat16, rope.Rotate(ones(1, 1, 5, 8, dtype: ScalarType.BFloat16)).dtype);
    }
}
