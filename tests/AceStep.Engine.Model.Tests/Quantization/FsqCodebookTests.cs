using AceStep.Engine.Model.Quantization;
using AceStep.Engine.Model.Tests.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Tests.Quantization;

public class FsqCodebookTests
{
    private static readonly FsqCodebook Fsq = FsqCodebook.AceStep;

    private static long[] Longs(Tensor t)
    {
        using var l = t.to_type(ScalarType.Int64).contiguous();
        return l.data<long>().ToArray();
    }

    [Fact]
    public void AceStep_codebook_has_the_spec_levels_basis_and_size()
    {
        Assert.Equal(new[] { 8, 8, 8, 5, 5, 5 }, Fsq.Levels);
        Assert.Equal(new long[] { 1, 8, 64, 512, 2560, 12800 }, Fsq.Basis);
        Assert.Equal(64_000, Fsq.CodebookSize);
        Assert.Equal(6, Fsq.Dimensions);
    }

    [Fact]
    public void Soft_clamp_bounds_are_one_plus_one_over_levels_minus_one()
    {
        Assert.Equal(1.142857, Fsq.SoftClampBounds[0], 6);
        Assert.Equal(8.0 / 7.0, Fsq.SoftClampBounds[2], 12);
        Assert.Equal(1.25, Fsq.SoftClampBounds[3], 12);
        Assert.Equal(1.25, Fsq.SoftClampBounds[5], 12);
    }

    [Fact]
    public void Soft_clamp_is_tanh_of_z_over_c_times_c()
    {
        using var scope = NewDisposeScope();
        var rows = new[]
        {
            new[] { 0.0, 1.0, -1.0, 0.5, 2.0, -3.0 },
            new[] { 100.0, -100.0, 0.3, 1.0, -1.25, 1e-3 },
        };
        var z = tensor(rows.SelectMany(r => r).ToArray(), dtype: ScalarType.Float64).view(2, 6);
        var actual = Naive.Data(Fsq.SoftClamp(z));
        var c = new[] { 8.0 / 7, 8.0 / 7, 8.0 / 7, 1.25, 1.25, 1.25 };
        var expected = rows.SelectMany(r => r.Select((v, d) => Math.Tanh(v / c[d]) * c[d])).ToArray();
        Naive.AssertClose(expected, actual, 1e-12);

        // Hand values: tanh(7/8)·8/7 = 0.80446 and tanh(0.8)·1.25 = 0.83005; large inputs saturate at ±c.
        Assert.Equal(0.80446, actual[1], 5);
        Assert.Equal(0.83005, actual[9], 5);
        Assert.Equal(8.0 / 7, actual[6], 9);
        Assert.Equal(-8.0 / 7, actual[7], 9);
    }

    [Fact]
    public void Grid_points_quantize_to_themselves_with_hand_computed_index()
    {
        using var scope = NewDisposeScope();
        // b = [1, 2, 3, 4, 0, 2] → code = b·2/(L−1) − 1; index = 1 + 2·8 + 3·64 + 4·512 + 0·2560 + 2·12800 = 27857.
        var z = tensor(new[] { -5.0 / 7, -3.0 / 7, -1.0 / 7, 1.0, -1.0, 0.0 }, dtype: ScalarType.Float32).view(1, 6);
        var (codes, indices) = Fsq.Quantize(z);
        Naive.AssertClose([-5.0 / 7, -3.0 / 7, -1.0 / 7, 1.0, -1.0, 0.0], Naive.Data(codes), 1e-7);
        Assert.Equal(new long[] { 1 }, indices.shape);
        Assert.Equal(ScalarType.Int64, indices.dtype);
        Assert.Equal(27857L, Longs(indices)[0]);
    }

    [Fact]
    public void Values_beyond_plus_minus_one_clamp_to_the_end_codes()
    {
        using var scope = NewDisposeScope();
        var z = tensor(new[]
        {
            1.3f, -1.2f, 5f, -8f / 7f, 1.25f, -100f,
            -1.3f, 1.2f, -5f, 8f / 7f, -1.25f, 100f,
        }).view(2, 6);
        var (codes, indices) = Fsq.Quantize(z);
        Naive.AssertClose([1, -1, 1, -1, 1, -1, -1, 1, -1, 1, -1, 1], Naive.Data(codes), 0);
        // Top b is L−1: 7·1 + 0 + 7·64 + 0 + 4·2560 + 0 and the mirror image.
        Assert.Equal(new long[] { 7 + 7 * 64 + 4 * 2560, 7 * 8 + 4 * 512 + 4 * 12800 }, Longs(indices));
    }

    [Fact]
    public void Half_way_points_round_up_not_to_even()
    {
        using var scope = NewDisposeScope();
        // L = 5: (L−1)(u+1)/2 = 2(u+1), exact in fp32. u = −0.75 → 0.5 → b 1 (code −0.5); u = 0.25 → 2.5 → b 3 (code 0.5);
        // u = −0.25 → 1.5 → b 2 (code 0). Round-half-to-even would give b 0 and b 2 for the first two.
        // Just below a boundary rounds down. L = 8 dimensions sit at 0 → 3.5 → b 4 (code 1/7).
        var below = BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(-0.75f) + 1); // next float towards −1
        var z = tensor(new[]
        {
            0f, 0f, 0f, -0.75f, 0.25f, -0.25f,
            0f, 0f, 0f, below, 0.75f, 0.7499999f,
        }).view(2, 6);
        var (codes, indices) = Fsq.Quantize(z);
        Naive.AssertClose([1.0 / 7, 1.0 / 7, 1.0 / 7, -0.5, 0.5, 0.0, 1.0 / 7, 1.0 / 7, 1.0 / 7, -1.0, 1.0, 0.5], Naive.Data(codes), 1e-7);
        const long Mid8 = 4 + 4 * 8 + 4 * 64;
        Assert.Equal(new long[] { Mid8 + 1 * 512 + 3 * 2560 + 2 * 12800, Mid8 + 0 * 512 + 4 * 2560 + 3 * 12800 }, Longs(indices));
    }

    [Fact]
    public void All_64000_indices_round_trip_through_codes_on_the_symmetric_grids()
    {
        using var scope = NewDisposeScope();
        var all = arange(64_000L, dtype: ScalarType.Int64);
        var codes = Fsq.CodesFromIndices(all);
        Assert.Equal(new long[] { 64_000, 6 }, codes.shape);
        Assert.Equal(ScalarType.Float32, codes.dtype);

        var (requantized, indices) = Fsq.Quantize(codes);
        Assert.Equal(Longs(all), Longs(indices));
        Assert.True(requantized.eq(codes).all().item<bool>());

        // Codes written out digit by digit, independently of the tensor code.
        var levels = new[] { 8, 8, 8, 5, 5, 5 };
        var expected = new double[64_000 * 6];
        for (var index = 0; index < 64_000; index++)
        {
            var rest = index;
            for (var d = 0; d < 6; d++)
            {
                var b = rest % levels[d];
                rest /= levels[d];
                expected[index * 6 + d] = b * 2.0 / (levels[d] - 1) - 1;
            }
        }

        var actual = Naive.Data(codes);
        Naive.AssertClose(expected, actual, 1e-7);

        var grid8 = new[] { -1, -5.0 / 7, -3.0 / 7, -1.0 / 7, 1.0 / 7, 3.0 / 7, 5.0 / 7, 1 };
        var grid5 = new[] { -1, -0.5, 0, 0.5, 1 };
        for (var d = 0; d < 6; d++)
        {
            var grid = levels[d] == 8 ? grid8 : grid5;
            var distinct = Enumerable.Range(0, 64_000).Select(i => actual[i * 6 + d]).Distinct().Order().ToArray();
            Naive.AssertClose(grid, distinct, 1e-7);
        }
    }

    [Fact]
    public void Codes_from_indices_keep_leading_dimensions_and_dtype()
    {
        using var scope = NewDisposeScope();
        var indices = tensor(new long[] { 0, 63_999, 27_857, 12_800 }).view(2, 2);
        var codes = Fsq.CodesFromIndices(indices, ScalarType.Float64);
        Assert.Equal(new long[] { 2, 2, 6 }, codes.shape);
        Assert.Equal(ScalarType.Float64, codes.dtype);
        Naive.AssertClose(
        [
            -1, -1, -1, -1, -1, -1,
            1, 1, 1, 1, 1, 1,
            -5.0 / 7, -3.0 / 7, -1.0 / 7, 1, -1, 0,
            -1, -1, -1, -1, -1, -0.5,
        ], Naive.Data(codes), 1e-12);
    }

    [Fact]
    public void Wrong_shapes_and_dtypes_are_rejected()
    {
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentException>(() => Fsq.Quantize(zeros(2, 5)));
        Assert.Throws<ArgumentException>(() => Fsq.SoftClamp(zeros(3)));
        Assert.Throws<ArgumentException>(() => Fsq.CodesFromIndices(zeros(3)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FsqCodebook([8, 1]));
        Assert.Throws<ArgumentException>(() => new FsqCodebook([]));
    }
}
