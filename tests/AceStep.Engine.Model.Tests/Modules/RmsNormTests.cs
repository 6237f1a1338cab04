using AceStep.Engine.Model.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Tests.Modules;

public class RmsNormTests
{
    [Fact]
    public void Matches_naive_loop_on_random_input_with_random_weight()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        using var norm = new RmsNorm(16);
        using (no_grad())
        {
            norm.Weight.copy_(randn(16));
        }

        var x = randn(3, 5, 16) * 4;
        var y = norm.forward(x);

        Assert.Equal(new long[] { 3, 5, 16 }, y.shape);
        Naive.AssertClose(Naive.RmsNorm(Naive.Data(x), 16, Naive.Data(norm.Weight)), Naive.Data(y), 1e-5);
    }

    [Theory]
    [InlineData(ScalarType.Float16, 1e-3)]
    [InlineData(ScalarType.BFloat16, 8e-3)]
    public void Half_precision_input_is_normalised_in_fp32_and_returned_in_its_dtype(ScalarType dtype, double tolerance)
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        using var norm = new RmsNorm(8);
        // Values near 300: x² ≈ 9e4 overflows fp16 (max 65504), so an fp16 computation would give inf → zeros/NaN.
        var x = (randn(4, 8) * 50 + 300).to_type(dtype);
        var y = norm.forward(x);

        Assert.Equal(dtype, y.dtype);
        var actual = Naive.Data(y);
        Assert.All(actual, v => Assert.True(double.IsFinite(v) && v > 0.1));
        // Reference from the same (rounded) input values in double, with weight ones.
        Naive.AssertClose(Naive.RmsNorm(Naive.Data(x), 8, Enumerable.Repeat(1.0, 8).ToArray()), actual, tolerance);
    }

    [Fact]
    public void Weight_is_the_only_parameter_and_named_like_the_checkpoint()
    {
        using var norm = new RmsNorm(32);
        var parameters = norm.named_parameters().ToList();
        Assert.Equal(["weight"], parameters.Select(p => p.name));
        Assert.Equal(new long[] { 32 }, parameters[0].parameter.shape);
    }
}
