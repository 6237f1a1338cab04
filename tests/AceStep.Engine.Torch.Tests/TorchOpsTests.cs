using AceStep.Engine.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Torch.Tests;

/// <summary>Real libtorch ops on the CPU, checked against values worked out by hand.</summary>
public class TorchOpsTests
{
    private static readonly TorchRuntime Runtime = TorchRuntime.Create(new TorchRuntimeOptions { Device = TorchDevicePreference.Cpu });

    [Fact]
    public void Matmul_of_small_matrices_matches_hand_computed_product()
    {
        // [[1,2,3],[4,5,6]] · [[7,8],[9,10],[11,12]]:
        //   row 0: 1*7+2*9+3*11 = 58,  1*8+2*10+3*12 = 64
        //   row 1: 4*7+5*9+6*11 = 139, 4*8+5*10+6*12 = 154
        using var a = tensor(new float[] { 1, 2, 3, 4, 5, 6 }, [2, 3], device: Runtime.Device);
        using var b = tensor(new float[] { 7, 8, 9, 10, 11, 12 }, [3, 2], device: Runtime.Device);
        using var c = a.matmul(b);

        Assert.Equal(new long[] { 2, 2 }, c.shape);
        Assert.Equal(new float[] { 58, 64, 139, 154 }, c.data<float>().ToArray());
    }

    [Fact]
    public void Softmax_matches_hand_computed_values()
    {
        // softmax([1,2,3]) = e^x / (e^1 + e^2 + e^3); e = 2.718281828..., sum = 2.718282 + 7.389056 + 20.085537 = 30.192875
        //   = [0.0900306, 0.2447285, 0.6652409]. Row 2 is [0,0,0] -> uniform 1/3.
        using var x = tensor(new float[] { 1, 2, 3, 0, 0, 0 }, [2, 3], device: Runtime.Device);
        using var y = x.softmax(dim: 1);
        var values = y.data<float>().ToArray();

        float[] expected = [0.0900306f, 0.2447285f, 0.6652409f, 1f / 3, 1f / 3, 1f / 3];
        for (var i = 0; i < expected.Length; i++)
            Assert.Equal(expected[i], values[i], 5);
    }

    [Fact]
    public void Ones_has_the_policy_dtype_and_sums_to_its_size()
    {
        // The original failure was torch.ones(3,3) on Debian 12: libLibTorchSharp.so refused to load.
        using var ones = torch.ones(3, 3, dtype: Runtime.ComputeDType, device: Runtime.Device);
        Assert.Equal(ScalarType.Float32, ones.dtype);
        Assert.Equal(9f, ones.sum().item<float>());
    }
}
