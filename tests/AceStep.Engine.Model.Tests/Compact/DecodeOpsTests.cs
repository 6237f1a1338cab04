using AceStep.Engine.Kernels;
using AceStep.Engine.Model.Modules;
using AceStep.Engine.Model.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Tests.Compact;

/// <summary>
/// The kernel library's decode-step operations against the libtorch operations the model's tensor path uses for the
/// same step (RmsNorm, RotaryEmbedding.RotateHalf, SiLU, scaled_dot_product_attention with the cache's mask), on random
/// inputs: a wrong index, head grouping or mask shows as an error far above fp32 rounding.
/// </summary>
public unsafe class DecodeOpsTests
{
    [Fact]
    public void RmsNorm_equals_the_modules_norm()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var norm = new RmsNorm(40, 1e-6);
        using (no_grad())
            norm.Weight.copy_(randn(40));
        var x = randn(6, 40) * 3;                             // six vectors of 40 (rows, or heads within rows)
        var expected = norm.forward(x);
        var actual = empty(6, 40);
        DecodeOps.RmsNorm(Pointer(x), Pointer(norm.Weight), Pointer(actual), 6, 40, 1e-6f);
        TensorClose.Assert(expected, actual, 1e-6, "kernel vs libtorch");
    }

    [Fact]
    public void Rope_equals_the_tensor_rotation()
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        using var rope = new RotaryEmbedding(16, 10_000);
        var (cosTable, sinTable) = rope.Tables(64, CPU);
        var x = randn(3, 16);                                 // three heads of one row at position 37
        var cos = cosTable[37];
        var sin = sinTable[37];
        var expected = (x * cos) + (RotaryEmbedding.RotateHalf(x) * sin);
        var actual = x.clone();
        DecodeOps.Rope(Pointer(actual), 3, 16, Pointer(cosTable) + (37 * 16), Pointer(sinTable) + (37 * 16));
        TensorClose.Assert(expected, actual, 1e-6, "kernel vs libtorch");
    }

    [Fact]
    public void SiluMultiply_and_Add_equal_the_tensor_ops()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        var gate = randn(2, 37) * 4;
        var up = randn(2, 37);
        var expected = nn.functional.silu(gate) * up;
        var actual = gate.clone();
        DecodeOps.SiluMultiply(Pointer(actual), Pointer(up), actual.numel());
        TensorClose.Assert(expected, actual, 1e-6, "kernel vs libtorch");

        var sum = actual.clone();
        DecodeOps.Add(Pointer(sum), Pointer(up), sum.numel());
        TensorClose.Assert(actual + up, sum, 1e-6, "Add");
    }

    // Two rows, 4 query heads sharing 2 kv heads, a cache of 12 positions of which 9 are filled; row 1 is left-padded
    // (its first 3 positions are not real tokens and must get no weight).
    [Fact]
    public void Attention_over_the_cache_equals_sdpa_with_the_padding_mask()
    {
        using var scope = NewDisposeScope();
        manual_seed(6);
        const int rows = 2, heads = 4, kvHeads = 2, dim = 8, capacity = 12, filled = 9;
        var q = randn(rows, heads, dim);
        var keys = randn(rows, kvHeads, capacity, dim);
        var values = randn(rows, kvHeads, capacity, dim);
        var valid = ones(rows, capacity, ScalarType.Bool);
        valid[1, ..3] = false;

        // The tensor path's computation: each kv head repeated for the query heads it serves, an additive mask.
        var k = keys.narrow(2, 0, filled).repeat_interleave(heads / kvHeads, dim: 1);            // [B, H, T, D]
        var v = values.narrow(2, 0, filled).repeat_interleave(heads / kvHeads, dim: 1);
        var mask = zeros(rows, 1, 1, filled).masked_fill(valid.narrow(1, 0, filled).logical_not().view(rows, 1, 1, filled), float.MinValue);
        var expected = nn.functional.scaled_dot_product_attention(q.unsqueeze(2), k, v, mask).squeeze(2);   // [B, H, D]

        var actual = empty(rows, heads, dim);
        var scratch = empty(CachedAttention.ScratchLength(rows, heads, filled));
        CachedAttention.Attend(Pointer(q), Pointer(keys), Pointer(values), TensorMemory.DataPointer(valid), Pointer(actual), Pointer(scratch),
            rows, heads, kvHeads, dim, capacity, filled);
        TensorClose.Assert(expected, actual, 1e-5, "attention vs sdpa");
    }

    [Fact]
    public void Attention_refuses_more_positions_than_the_cache_holds()
    {
        var memory = new float[64];
        var valid = new byte[8];
        fixed (float* p = memory)
        fixed (byte* m = valid)
        {
            var p1 = p;
            var m1 = m;
            // positions 9 of a cache of 8
            var error = Assert.Throws<ArgumentOutOfRangeException>(() => CachedAttention.Attend(p1, p1, p1, m1, p1, p1, 1, 1, 1, 8, 8, 9));
            Assert.Contains("8 positions", error.Message, StringComparison.Ordinal);
        }
    }

    private static float* Pointer(Tensor t)
    {
        Assert.True(t.is_contiguous() && t.dtype == ScalarType.Float32);
        return (float*)TensorMemory.DataPointer(t);
    }
}
