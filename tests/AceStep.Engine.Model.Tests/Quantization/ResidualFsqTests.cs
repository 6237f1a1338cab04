using AceStep.Engine.Model.Quantization;
using AceStep.Engine.Model.Tests.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Tests.Quantization;

public class ResidualFsqTests
{
    private const int Dim = 32;

    private static long[] Longs(Tensor t)
    {
        using var l = t.to_type(ScalarType.Int64).contiguous();
        return l.data<long>().ToArray();
    }

    [Fact]
    public void Parameter_names_and_shapes_follow_the_checkpoint()
    {
        using var quantizer = new ResidualFsq(Dim);
        var shapes = quantizer.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);
        Assert.Equal(new Dictionary<string, long[]>
        {
            ["project_in.weight"] = [6, Dim],
            ["project_in.bias"] = [6],
            ["project_out.weight"] = [Dim, 6],
            ["project_out.bias"] = [Dim],
        }, shapes);
        Assert.Empty(quantizer.named_buffers());
        Assert.Same(FsqCodebook.AceStep, quantizer.Codebook);
        Assert.Equal(Dim, quantizer.Dim);
    }

    [Fact]
    public void Forward_matches_naive_projection_soft_clamp_rounding_and_projection()
    {
        using var scope = NewDisposeScope();
        manual_seed(71);
        using var quantizer = new ResidualFsq(Dim);
        const int B = 2, T = 7, Rows = B * T;
        var h = randn(B, T, Dim) * 3.0;
        var (quantized, indices) = quantizer.Forward(h);
        Assert.Equal(new long[] { B, T, Dim }, quantized.shape);
        Assert.Equal(new long[] { B, T, 1 }, indices.shape);
        Assert.Equal(ScalarType.Int64, indices.dtype);

        var p = Naive.Parameters(quantizer);
        var levels = new[] { 8, 8, 8, 5, 5, 5 };
        var basis = new long[] { 1, 8, 64, 512, 2560, 12800 };
        var z = Naive.Linear(Naive.Data(h), Rows, Dim, p["project_in.weight"], 6);
        var codes = new double[Rows * 6];
        var expectedIndices = new long[Rows];
        for (var r = 0; r < Rows; r++)
        {
            for (var d = 0; d < 6; d++)
            {
                var c = 1.0 + 1.0 / (levels[d] - 1);
                var v = z[r * 6 + d] + p["project_in.bias"][d];
                v = Math.Tanh(v / c) * c;
                var u = Math.Clamp(v, -1.0, 1.0);
                var b = (long)Math.Floor((levels[d] - 1) * (u + 1) / 2 + 0.5);
                codes[r * 6 + d] = b * 2.0 / (levels[d] - 1) - 1;
                expectedIndices[r] += b * basis[d];
            }
        }

        var expected = Naive.Linear(codes, Rows, 6, p["project_out.weight"], Dim)
            .Select((v, i) => v + p["project_out.bias"][i % Dim]).ToArray();
        Assert.Equal(expectedIndices, Longs(indices));
        Naive.AssertClose(expected, Naive.Data(quantized), 1e-5);
        Assert.True(expectedIndices.Distinct().Count() > 1);
    }

    [Fact]
    public void From_indices_reproduces_forward_output()
    {
        using var scope = NewDisposeScope();
        manual_seed(72);
        using var quantizer = new ResidualFsq(Dim);
        var h = randn(3, 5, Dim) * 4.0;
        var (quantized, indices) = quantizer.Forward(h);
        var decoded = quantizer.FromIndices(indices);
        Assert.Equal(quantized.shape, decoded.shape);
        Naive.AssertClose(Naive.Data(quantized), Naive.Data(decoded), 1e-6);
    }

    [Fact]
    public void From_indices_decodes_every_code_through_project_out()
    {
        using var scope = NewDisposeScope();
        manual_seed(73);
        using var quantizer = new ResidualFsq(8);
        var all = arange(64_000L, dtype: ScalarType.Int64).view(1, 64_000, 1);
        var decoded = quantizer.FromIndices(all);
        Assert.Equal(new long[] { 1, 64_000, 8 }, decoded.shape);

        var codes = FsqCodebook.AceStep.CodesFromIndices(all.view(1, 64_000));
        var p = Naive.Parameters(quantizer);
        var expected = Naive.Linear(Naive.Data(codes), 64_000, 6, p["project_out.weight"], 8)
            .Select((v, i) => v + p["project_out.bias"][i % 8]).ToArray();
        Naive.AssertClose(expected, Naive.Data(decoded), 1e-5);
    }

    [Fact]
    public void From_indices_requires_one_quantizer_column()
    {
        using var scope = NewDisposeScope();
        using var quantizer = new ResidualFsq(Dim);
        Assert.Throws<ArgumentException>(() => quantizer.FromIndices(zeros(new long[] { 2, 3 }, dtype: ScalarType.Int64)));
        Assert.Throws<ArgumentException>(() => quantizer.FromIndices(zeros(new long[] { 2, 1 }, dtype: ScalarType.Float32)));
    }
}
