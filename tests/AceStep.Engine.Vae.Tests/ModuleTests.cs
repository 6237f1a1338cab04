using AceStep.Engine.Vae.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Vae.Tests;

public class ModuleTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(9)]
    public void Residual_unit_equals_a_naive_double_computation(int dilation)
    {
        using var scope = NewDisposeScope();
        manual_seed(10 + dilation);
        const int C = 3, L = 41;
        using var unit = new OobleckResidualUnit(C, dilation);
        RandomiseSnakes(unit);
        var p = unit.named_parameters().ToDictionary(n => n.name, n => Naive.Data(n.parameter));
        var x = randn(1, C, L);

        var h = Naive.Snake(Naive.Data(x), C, p["snake1.alpha"], p["snake1.beta"]);
        h = Naive.Conv1d(h, C, p["conv1.weight"], C, 7, p["conv1.bias"], padding: 3 * dilation, dilation: dilation);
        h = Naive.Snake(h, C, p["snake2.alpha"], p["snake2.beta"]);
        h = Naive.Conv1d(h, C, p["conv2.weight"], C, 1, p["conv2.bias"]);
        var expected = Naive.Add(Naive.Data(x), h);

        using (no_grad())
            Naive.Close(expected, unit.forward(x), 1e-5);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(6)]
    [InlineData(10)]
    public void Decoder_block_upsamples_exactly_s_times_and_its_transposed_conv_matches_naive(int stride)
    {
        using var scope = NewDisposeScope();
        manual_seed(20 + stride);
        const int In = 3, Out = 2, L = 5;
        using var block = new OobleckDecoderBlock(In, Out, stride);
        RandomiseSnakes(block);
        var x = randn(1, In, L);
        using (no_grad())
            Assert.Equal([1L, Out, stride * L], block.forward(x).shape);

        // The block's first two layers, alone: snake1 then conv_t1 ([in, out, 2s], padding ⌈s/2⌉).
        var p = block.named_parameters().ToDictionary(n => n.name, n => Naive.Data(n.parameter));
        var h = Naive.Snake(Naive.Data(x), In, p["snake1.alpha"], p["snake1.beta"]);
        var expected = Naive.ConvTranspose1d(h, In, p["conv_t1.weight"], Out, 2 * stride, p["conv_t1.bias"], stride, (stride + 1) / 2);
        Assert.Equal(Out * stride * L, expected.Length);
        var convT = (TorchSharp.Modules.ConvTranspose1d)block.named_children().Single(c => c.name == "conv_t1").module;
        var snake = (Snake1d)block.named_children().Single(c => c.name == "snake1").module;
        using (no_grad())
            Naive.Close(expected, convT.forward(snake.forward(x)), 1e-5);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(10)]
    public void Encoder_block_downsampling_conv_matches_naive(int stride)
    {
        using var scope = NewDisposeScope();
        manual_seed(30 + stride);
        const int In = 2, Out = 3, L = 40;
        using var block = new OobleckEncoderBlock(In, Out, stride);
        var x = randn(1, In, L);
        using (no_grad())
            Assert.Equal([1L, Out, L / stride], block.forward(x).shape);

        var p = block.named_parameters().ToDictionary(n => n.name, n => Naive.Data(n.parameter));
        var conv = (TorchSharp.Modules.Conv1d)block.named_children().Single(c => c.name == "conv1").module;
        var expected = Naive.Conv1d(Naive.Data(x), In, p["conv1.weight"], Out, 2 * stride, p["conv1.bias"], stride, (stride + 1) / 2);
        using (no_grad())
            Naive.Close(expected, conv.forward(x), 1e-5);
    }

    [Fact]
    public void Tiny_vae_maps_audio_to_latents_at_hop_1920_and_back()
    {
        using var scope = NewDisposeScope();
        using var vae = TinyVae.Random(3);
        var audio = randn(2, 2, 1920 * 7 + 500) * 0.3;                 // a tail shorter than one hop is dropped
        var latents = vae.Encode(audio, OobleckTiling.None);
        Assert.Equal([2L, 4, 7], latents.shape);
        var decoded = vae.Decode(latents, OobleckTiling.None);
        Assert.Equal([2L, 2, 1920 * 7], decoded.shape);
        Assert.Equal(ScalarType.Float32, decoded.dtype);
        Assert.False(decoded.isnan().any().item<bool>());
    }

    [Fact]
    public void Wrong_input_shapes_are_rejected()
    {
        using var scope = NewDisposeScope();
        using var vae = TinyVae.Random(4);
        Assert.Throws<ArgumentException>(() => vae.Encode(zeros(1, 1, 4000)));
        Assert.Throws<ArgumentException>(() => vae.Encode(zeros(1, 2, 1000)));
        Assert.Throws<ArgumentException>(() => vae.Decode(zeros(1, 8, 3)));
    }

    internal static void RandomiseSnakes(nn.Module module)
    {
        using var noGrad = no_grad();
        foreach (var (name, parameter) in module.named_parameters())
        {
            if (name.EndsWith("alpha", StringComparison.Ordinal) || name.EndsWith("beta", StringComparison.Ordinal))
            {
                using var value = randn(parameter.shape) * 0.5;
                parameter.copy_(value);
            }
        }
    }
}
