using AceStep.Engine.Vae.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Vae.Tests;

/// <summary>
/// The CPU fast path (Snake in one pass, residual sums accumulated in place, buffers shared within a block) against
/// the naive double maths, on shapes that reach its branches: batches, lengths with a vector tail, enough elements to
/// split across threads, strided views that must take the libtorch path, and callers' inputs that must stay intact.
/// </summary>
public class FastPathTests
{
    [Fact]
    public void Snake_kernel_matches_the_formula_in_and_out_of_place_on_a_batch_with_a_vector_tail()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        manual_seed(40);
        using var snake = new Snake1d(3);
        ModuleTests.RandomiseSnakes(snake);
        // 2 × 3 × 12 347 = 74 082 elements: split across threads, and 12 347 leaves a tail after any vector width.
        var x = randn(2, 3, 12_347) * 3;
        var before = x.clone();

        var y = snake.forward(x);

        Assert.True(x.equal(before).all().item<bool>(), "forward changed its input");
        var alpha = Naive.Data(snake.Alpha);
        var beta = Naive.Data(snake.Beta);
        for (var b = 0; b < 2; b++)
            Naive.Close(Naive.Snake(Naive.Data(x[b]), 3, alpha, beta), y[b], 1e-5);
        var inPlace = x.clone();
        snake.Apply(inPlace, inPlace);
        Assert.True(inPlace.equal(y).all().item<bool>(), "in place differs from out of place");
    }

    [Fact]
    public void Snake_on_a_strided_view_agrees_with_the_formula()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        manual_seed(41);
        using var snake = new Snake1d(3);
        ModuleTests.RandomiseSnakes(snake);
        var x = randn(2, 40, 3).transpose(1, 2);                       // [2, 3, 40], not contiguous
        Assert.False(x.is_contiguous());

        var y = snake.forward(x);

        for (var b = 0; b < 2; b++)
            Naive.Close(Naive.Snake(Naive.Data(x[b]), 3, Naive.Data(snake.Alpha), Naive.Data(snake.Beta)), y[b], 1e-5);
    }

    [Fact]
    public void Snake_on_a_contiguous_view_that_starts_inside_its_storage_reads_and_writes_only_the_view()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        manual_seed(44);
        using var snake = new Snake1d(3);
        ModuleTests.RandomiseSnakes(snake);
        var storage = randn(3, 3, 40);
        var x = storage.narrow(0, 1, 2);                               // items 1 and 2: contiguous, offset 120 elements
        Assert.True(x.is_contiguous());
        var first = storage[0].clone();
        var before = x.clone();

        snake.Apply(x, x);

        Assert.True(storage[0].equal(first).all().item<bool>(), "the item before the view was written");
        for (var b = 0; b < 2; b++)
            Naive.Close(Naive.Snake(Naive.Data(before[b]), 3, Naive.Data(snake.Alpha), Naive.Data(snake.Beta)), x[b], 1e-5);
    }

    [Fact]
    public void Snake_rejects_an_input_with_another_channel_count()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var snake = new Snake1d(3);
        var error = Assert.Throws<ArgumentException>(() => snake.forward(zeros(1, 4, 20)));   // 4 channels into a 3-channel Snake
        Assert.Contains("3 channels", error.Message, StringComparison.Ordinal);
    }

    // The branch after snake1 runs in slices of time, whole at these sizes unless sliceSamples says otherwise: slices of
    // 1 sample, of 7 (shorter than conv1's reach of 9 on each side), and of 16 over 50 (a short last slice) check the
    // reach read across slice edges and the zero padding at both ends.
    [Theory]
    [InlineData(null)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(16)]
    public void Residual_unit_on_a_batch_of_two_equals_naive_per_item_and_leaves_its_input_alone(int? sliceSamples)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        manual_seed(42);
        const int C = 4, L = 50, Dilation = 3;
        using var unit = new OobleckResidualUnit(C, Dilation) { SliceSamples = sliceSamples };
        ModuleTests.RandomiseSnakes(unit);
        var p = unit.named_parameters().ToDictionary(n => n.name, n => Naive.Data(n.parameter));
        var x = randn(2, C, L);
        var before = x.clone();

        var y = unit.forward(x);

        Assert.True(x.equal(before).all().item<bool>(), "forward changed its input");
        for (var b = 0; b < 2; b++)
        {
            var h = Naive.Snake(Naive.Data(x[b]), C, p["snake1.alpha"], p["snake1.beta"]);
            h = Naive.Conv1d(h, C, p["conv1.weight"], C, 7, p["conv1.bias"], padding: 3 * Dilation, dilation: Dilation);
            h = Naive.Snake(h, C, p["snake2.alpha"], p["snake2.beta"]);
            h = Naive.Conv1d(h, C, p["conv2.weight"], C, 1, p["conv2.bias"]);
            Naive.Close(Naive.Add(Naive.Data(x[b]), h), y[b], 1e-5);
        }
    }

    [Fact]
    public void Blocks_leave_their_input_alone()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        manual_seed(43);
        using var decoderBlock = new OobleckDecoderBlock(3, 2, 2);
        using var encoderBlock = new OobleckEncoderBlock(2, 3, 2);
        var x = randn(2, 3, 30);
        var audio = randn(2, 2, 60);
        var (xBefore, audioBefore) = (x.clone(), audio.clone());

        var up = decoderBlock.forward(x);
        var down = encoderBlock.forward(audio);

        Assert.Equal([2L, 2, 60], up.shape);
        Assert.Equal([2L, 3, 30], down.shape);
        Assert.True(x.equal(xBefore).all().item<bool>(), "the decoder block changed its input");
        Assert.True(audio.equal(audioBefore).all().item<bool>(), "the encoder block changed its input");
    }

    // The upsampling's tap products are computed in slices of input frames (whole at these sizes unless sliceFrames
    // says otherwise): slices of 1, of 2 over an odd count and of 3 over 7 frames check the neighbour sums at slice edges.
    [Theory]
    [InlineData(2, 5, null)]
    [InlineData(6, 1, null)]  // one input frame: the neighbour-frame sums are empty
    [InlineData(10, 4, null)]
    [InlineData(2, 5, 2)]
    [InlineData(10, 4, 1)]
    [InlineData(4, 7, 3)]
    public void Decoder_block_equals_naive_snake_transposed_conv_and_residual_units_on_a_batch_of_two(int stride, int frames, int? sliceFrames)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        manual_seed(50 + stride);
        const int In = 3, Out = 2;
        using var block = new OobleckDecoderBlock(In, Out, stride) { SliceFrames = sliceFrames };
        ModuleTests.RandomiseSnakes(block);
        var p = block.named_parameters().ToDictionary(n => n.name, n => Naive.Data(n.parameter));
        var x = randn(2, In, frames);

        var y = block.forward(x);

        Assert.Equal([2L, Out, stride * frames], y.shape);
        for (var b = 0; b < 2; b++)
        {
            var h = Naive.Snake(Naive.Data(x[b]), In, p["snake1.alpha"], p["snake1.beta"]);
            h = Naive.ConvTranspose1d(h, In, p["conv_t1.weight"], Out, 2 * stride, p["conv_t1.bias"], stride, (stride + 1) / 2);
            for (var u = 0; u < OobleckResidualUnit.Dilations.Count; u++)
                h = NaiveUnit(h, Out, OobleckResidualUnit.Dilations[u], p, $"res_unit{u + 1}.");
            Naive.Close(h, y[b], 1e-5);
        }
    }

    private static double[] NaiveUnit(double[] x, int channels, int dilation, Dictionary<string, double[]> p, string prefix)
    {
        var h = Naive.Snake(x, channels, p[prefix + "snake1.alpha"], p[prefix + "snake1.beta"]);
        h = Naive.Conv1d(h, channels, p[prefix + "conv1.weight"], channels, 7, p[prefix + "conv1.bias"], padding: 3 * dilation, dilation: dilation);
        h = Naive.Snake(h, channels, p[prefix + "snake2.alpha"], p[prefix + "snake2.beta"]);
        h = Naive.Conv1d(h, channels, p[prefix + "conv2.weight"], channels, 1, p[prefix + "conv2.bias"]);
        return Naive.Add(x, h);
    }
}
