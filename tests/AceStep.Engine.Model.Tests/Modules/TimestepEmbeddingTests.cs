using AceStep.Engine.Model.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Tests.Modules;

public class TimestepEmbeddingTests
{
    [Fact]
    public void Sinusoid_is_cos_then_sin_of_scaled_time()
    {
        using var scope = NewDisposeScope();
        using var embedding = new TimestepEmbedding(inChannels: 8, hidden: 4);
        var t = tensor(new float[] { 0f, 0.25f, 1f });
        var f = Naive.Data(embedding.Sinusoid(t));

        var expected = new List<double>();
        foreach (var ti in new[] { 0.0, 0.25, 1.0 })
        {
            var args = Enumerable.Range(0, 4).Select(k => ti * 1000 * Math.Exp(-Math.Log(10000) * k / 4)).ToArray();
            expected.AddRange(args.Select(Math.Cos));
            expected.AddRange(args.Select(Math.Sin));
        }

        Naive.AssertClose([.. expected], f, 2e-4);
    }

    [Fact]
    public void In_bf16_the_time_is_scaled_by_1000_in_bf16_before_the_sinusoid_as_upstream()
    {
        // t = 0.953125 (bf16 of the turbo table's 0.95455): t·1000 = 953.125 is not a bf16 value; upstream's
        // `t * self.scale` rounds it to 952 before `.float()`.
        using var scope = NewDisposeScope();
        using var embedding = new TimestepEmbedding(inChannels: 8, hidden: 4);
        var t = tensor(new float[] { 0.953125f }).to_type(ScalarType.BFloat16);
        var f = Naive.Data(embedding.Sinusoid(t));
        var args = Enumerable.Range(0, 4).Select(k => 952.0 * Math.Exp(-Math.Log(10000) * k / 4)).ToArray();
        Naive.AssertClose([.. args.Select(Math.Cos), .. args.Select(Math.Sin)], f, 2e-4);
        var fp32 = Naive.Data(embedding.Sinusoid(t.to_type(ScalarType.Float32)));
        Assert.NotEqual(fp32[1], f[1]);
    }

    [Fact]
    public void Forward_matches_naive_linear_silu_chain_and_reshapes_to_six_vectors()
    {
        using var scope = NewDisposeScope();
        manual_seed(40);
        const int In = 16, Hidden = 8;
        using var embedding = new TimestepEmbedding(In, Hidden);
        var t = tensor(new float[] { 0.1f, 0.9f });
        var (temb, proj) = embedding.Forward(t);
        Assert.Equal(new long[] { 2, Hidden }, temb.shape);
        Assert.Equal(new long[] { 2, 6, Hidden }, proj.shape);

        var p = Naive.Parameters(embedding);
        double[] Dense(double[] x, int rows, int inDim, string name, int outDim) =>
            Naive.Linear(x, rows, inDim, p[name + ".weight"], outDim).Select((v, i) => v + p[name + ".bias"][i % outDim]).ToArray();

        var f = Naive.Data(embedding.Sinusoid(t));
        var h = Dense(f, 2, In, "linear_1", Hidden).Select(Naive.Silu).ToArray();
        var expectedTemb = Dense(h, 2, Hidden, "linear_2", Hidden);
        var expectedProj = Dense(expectedTemb.Select(Naive.Silu).ToArray(), 2, Hidden, "time_proj", 6 * Hidden);
        Naive.AssertClose(expectedTemb, Naive.Data(temb), 1e-5);
        Naive.AssertClose(expectedProj, Naive.Data(proj), 1e-5);
    }

    [Fact]
    public void Parameter_names_and_shapes_follow_the_checkpoint()
    {
        using var embedding = new TimestepEmbedding(256, 64);
        var shapes = embedding.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);
        Assert.Equal(new Dictionary<string, long[]>
        {
            ["linear_1.weight"] = [64, 256],
            ["linear_1.bias"] = [64],
            ["linear_2.weight"] = [64, 64],
            ["linear_2.bias"] = [64],
            ["time_proj.weight"] = [384, 64],
            ["time_proj.bias"] = [384],
        }, shapes);
    }
}
