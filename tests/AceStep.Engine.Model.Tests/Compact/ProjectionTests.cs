using AceStep.Engine.Kernels;
using AceStep.Engine.Model.Compact;
using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Tests.Compact;

/// <summary>
/// The linear layer every block of the model uses: nn.Linear's numbers by default (so seeded tiny models and parity
/// goldens are unchanged), and each way of holding the weight against the fp32 product.
/// </summary>
public class ProjectionTests
{
    [Fact]
    public void Default_projection_initialises_and_computes_like_nn_Linear()
    {
        manual_seed(11);
        using var linear = nn.Linear(40, 24, hasBias: false);
        manual_seed(11);
        using var projection = new Projection(40, 24);
        using var scope = NewDisposeScope();
        Assert.Equal(0, (linear.weight! - projection.weight).abs().max().item<float>());
        var x = randn(3, 5, 40);
        Assert.Equal(0, (linear.forward(x) - projection.forward(x)).abs().max().item<float>());
        Assert.Null(projection.Holding);
    }

    // Few rows (an LM decode step: 1 or 2) take the engine's kernel; many rows (a prefill: 20) libtorch's GEMM.
    [Theory]
    [InlineData(WeightFormat.Float32, 2, 1e-5)]
    [InlineData(WeightFormat.Float32, 20, 0)]
    [InlineData(WeightFormat.BFloat16, 1, 1e-2)]
    [InlineData(WeightFormat.BFloat16, 20, 1e-2)]
    [InlineData(WeightFormat.Int8, 2, 3e-2)]
    [InlineData(WeightFormat.Int8, 20, 3e-2)]
    public void Packed_projection_matches_the_fp32_product(WeightFormat format, int rows, double tolerance)
    {
        manual_seed(12);
        using var reference = new Projection(72, 40);
        manual_seed(12);
        using var held = new Projection(72, 40);
        held.Hold(new WeightHolding.Packed(format));
        using var scope = NewDisposeScope();
        var x = randn(rows, 72);
        var error = RelativeError(reference.forward(x), held.forward(x));
        Assert.True(error <= tolerance, $"{format} with {rows} rows: relative error {error:E2} (allowed {tolerance:E1})");
        Assert.Equal(format == WeightFormat.Float32 ? 72 * 40 : 0, held.weight.numel());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void BFloat16_tensor_projection_matches_the_fp32_product(bool matmul)
    {
        manual_seed(13);
        using var reference = new Projection(64, 48);
        manual_seed(13);
        using var held = new Projection(64, 48);
        held.Hold(new WeightHolding.BFloat16Tensor(matmul));
        using var scope = NewDisposeScope();
        Assert.Equal(ScalarType.BFloat16, held.weight.dtype);
        var x = randn(2, 30, 64);
        var y = held.forward(x);
        Assert.Equal(ScalarType.Float32, y.dtype);
        var error = RelativeError(reference.forward(x), y);
        // bf16 weights alone: ~2⁻⁹ per value; bf16 inputs as well (matmul): about twice that.
        Assert.True(error <= (matmul ? 2e-2 : 1e-2), $"bf16 (matmul {matmul}): relative error {error:E2}");
    }

    [Fact]
    public void Converting_the_module_moves_the_weight_it_computes_with()
    {
        // Module.to(dtype) swaps the registered parameter for a new tensor (as a move to a GPU does): forward must use
        // the new one, or a model loaded to fp16/bf16/CUDA would compute with a stale fp32 copy.
        manual_seed(16);
        using var projection = new Projection(32, 8);
        using var scope = NewDisposeScope();
        var x = randn(3, 32);
        var fp32 = projection.forward(x);
        projection.to(ScalarType.Float64);
        Assert.Equal(ScalarType.Float64, projection.weight.dtype);
        Assert.Equal(ScalarType.Float64, projection.forward(x.to_type(ScalarType.Float64)).dtype);
        var fp64 = projection.forward(x.to_type(ScalarType.Float64)).to_type(ScalarType.Float32);
        Assert.True(RelativeError(fp32, fp64) < 1e-6, "the converted layer computes with the converted weight");
    }

    [Fact]
    public void A_weight_is_held_once()
    {
        using var projection = new Projection(16, 16);
        projection.Hold(new WeightHolding.Packed(WeightFormat.Int8));
        var error = Assert.Throws<InvalidOperationException>(() => projection.Hold(new WeightHolding.Packed(WeightFormat.BFloat16)));
        Assert.Contains("already held", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_token_embedding_initialises_and_looks_up_like_nn_Embedding()
    {
        manual_seed(15);
        using var embedding = nn.Embedding(300, 24);
        manual_seed(15);
        using var table = new TokenEmbedding(300, 24);
        using var scope = NewDisposeScope();
        Assert.Equal(0, (embedding.weight! - table.weight).abs().max().item<float>());
        var ids = tensor(new long[] { 0, 299, 5, 5, 17, 1 }, [2, 3]);
        Assert.Equal(0, (embedding.forward(ids) - table.forward(ids)).abs().max().item<float>());
    }

    [Fact]
    public void Token_embedding_rows_and_head_survive_packing()
    {
        manual_seed(14);
        using var reference = new TokenEmbedding(500, 40);
        manual_seed(14);
        using var packed = new TokenEmbedding(500, 40);
        packed.Hold(new WeightHolding.Packed(WeightFormat.Int8));
        using var scope = NewDisposeScope();
        var ids = tensor(new long[] { 0, 499, 17, 17 }, [2, 2]);
        Assert.Equal([2, 2, 40], packed.forward(ids).shape);
        Assert.True(RelativeError(reference.forward(ids), packed.forward(ids)) <= 1e-2);

        // The output head over rows 100..163 only, for a CFG pair.
        var x = randn(2, 40);
        var expected = x.matmul(reference.weight.narrow(0, 100, 64).t());
        Assert.True(RelativeError(expected, packed.MultiplyRows(x, 100, 64)) <= 3e-2);
        Assert.Throws<ArgumentOutOfRangeException>(() => packed.forward(tensor(new long[] { 500 })));
    }

    internal static double RelativeError(Tensor expected, Tensor actual)
    {
        using var scope = NewDisposeScope();
        return (expected - actual).abs().max().item<float>() / expected.abs().max().item<float>();
    }
}
