using AceStep.Engine.Model.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Tests.Modules;

public class AttentionMasksTests
{
    [Fact]
    public void Band_mask_is_exactly_zero_inside_and_minus_infinity_outside_for_300_tokens()
    {
        using var scope = NewDisposeScope();
        const int L = 300;
        var mask = AttentionMasks.SlidingWindow(L, 128);
        Assert.Equal(new long[] { 1, 1, L, L }, mask.shape);
        Assert.Equal(ScalarType.Float32, mask.dtype);

        var data = Naive.Data(mask);
        for (var i = 0; i < L; i++)
        {
            for (var j = 0; j < L; j++)
            {
                var expected = Math.Abs(i - j) <= 128 ? 0.0 : double.NegativeInfinity;
                Assert.Equal(expected, data[i * L + j]);
            }
        }

        int Visible(int row) => data.Skip(row * L).Take(L).Count(v => v == 0);
        Assert.Equal(129, Visible(0));
        Assert.Equal(257, Visible(150));
        Assert.Equal(129, Visible(L - 1));
    }

    [Fact]
    public void Even_layers_slide_and_odd_layers_attend_fully()
    {
        Assert.Equal(128, LayerTypes.SlidingWindow);
        Assert.Equal([true, false, true, false, true], Enumerable.Range(0, 5).Select(LayerTypes.IsSliding));
        using var scope = NewDisposeScope();
        Assert.NotNull(AttentionMasks.ForLayer(0, 10));
        Assert.Null(AttentionMasks.ForLayer(1, 10));
    }

    [Fact]
    public void Key_padding_masks_only_padded_keys_with_a_finite_value()
    {
        using var scope = NewDisposeScope();
        var valid = tensor(new[] { true, true, false, true, false, false }).view(2, 3);
        var mask = AttentionMasks.KeyPadding(valid);
        Assert.Equal(new long[] { 2, 1, 1, 3 }, mask.shape);
        Assert.Equal(new double[] { 0, 0, float.MinValue, 0, float.MinValue, float.MinValue }, Naive.Data(mask));
    }
}
