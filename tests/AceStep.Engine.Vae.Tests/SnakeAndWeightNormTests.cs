using AceStep.Engine.Vae.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Vae.Tests;

public class SnakeAndWeightNormTests
{
    [Fact]
    public void Snake_equals_the_log_scale_formula_in_double()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        using var snake = new Snake1d(5);
        using (no_grad())
        {
            snake.Alpha.copy_(randn(1, 5, 1));
            snake.Beta.copy_(randn(1, 5, 1));
        }

        var x = randn(1, 5, 37) * 3;
        var y = snake.forward(x);
        var expected = Naive.Snake(Naive.Data(x), 5, Naive.Data(snake.Alpha), Naive.Data(snake.Beta));
        Naive.Close(expected, y, 1e-5);
    }

    [Fact]
    public void Snake_with_zero_parameters_is_x_plus_sin_squared()
    {
        using var scope = NewDisposeScope();
        using var snake = new Snake1d(3);
        var x = linspace(-4, 4, 24).reshape(1, 3, 8);
        var expected = Naive.Data(x).Select(v => v + Math.Sin(v) * Math.Sin(v) / (1 + 1e-9)).ToArray();
        Naive.Close(expected, snake.forward(x), 1e-6);
    }

    [Theory]
    [InlineData(6, 3, 7)]     // Conv1d [out, in, k]
    [InlineData(4, 8, 20)]    // ConvTranspose1d [in, out, k]: dim 0 is the input channel
    public void Fold_equals_g_times_v_over_its_norm_except_dim_0(int d0, int d1, int k)
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        var g = randn(d0, 1, 1).to_type(ScalarType.BFloat16);   // the checkpoint is 16-bit
        var v = randn(d0, d1, k).to_type(ScalarType.BFloat16);
        var w = WeightNorm.Fold(g, v);
        Assert.Equal(ScalarType.Float32, w.dtype);
        Assert.Equal(v.shape, w.shape);
        Naive.Close(Naive.WeightNorm(Naive.Data(g), Naive.Data(v)), w, 1e-6);
    }

    [Fact]
    public void Fold_rejects_a_g_that_does_not_fit_v()
    {
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentException>(() => WeightNorm.Fold(ones(3, 1, 1), ones(4, 2, 7)));
    }
}
