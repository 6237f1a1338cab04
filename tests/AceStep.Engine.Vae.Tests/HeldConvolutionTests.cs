using AceStep.Engine.Vae;
using static TorchSharp.torch;

namespace AceStep.Engine.Vae.Tests;

/// <summary>
/// The compact memory mode holds the VAE's convolutions in bf16 and computes in fp32. Against an fp32 VAE whose
/// weights are the same bf16-rounded values, encode and decode must agree to fp32 rounding: only the storage changed.
/// </summary>
public class HeldConvolutionTests
{
    [Fact]
    public void A_vae_with_bf16_convolutions_computes_what_the_fp32_vae_with_the_rounded_weights_computes()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var held = TinyVae.Random(seed: 91);
        using var reference = new OobleckVae(held.Config);
        // The reference: the same parameters in fp32, its convolutions holding exactly the values bf16 can store. (Copied,
        // not seeded alike: tests running in parallel reseed the global generator.)
        var source = held.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, parameter) in reference.named_parameters())
        {
            parameter.copy_(name.Contains("conv", StringComparison.Ordinal)
                ? source[name].to_type(ScalarType.BFloat16).to_type(ScalarType.Float32)
                : source[name]);
        }

        held.HoldConvolutionsIn(ScalarType.BFloat16);

        var convs = held.named_parameters().Where(p => p.name.Contains("conv", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(convs);
        Assert.All(convs, p => Assert.Equal(ScalarType.BFloat16, p.parameter.dtype));
        Assert.All(held.named_parameters().Where(p => p.name.EndsWith(".alpha", StringComparison.Ordinal)),
            p => Assert.Equal(ScalarType.Float32, p.parameter.dtype));

        manual_seed(5);
        var latents = randn(1, held.Config.LatentChannels, 12);
        var audio = randn(1, held.Config.AudioChannels, 12 * held.Config.HopLength) * 0.3;
        var decoded = held.Decode(latents, OobleckTiling.None);
        Assert.Equal(ScalarType.Float32, decoded.dtype);
        AssertClose(reference.Decode(latents, OobleckTiling.None), decoded, "decode");
        AssertClose(reference.Encode(audio, OobleckTiling.None), held.Encode(audio, OobleckTiling.None), "encode");
    }

    [Fact]
    public void Holding_convolutions_in_an_integer_type_is_refused()
    {
        using var vae = TinyVae.Random(seed: 92);
        var error = Assert.Throws<ArgumentException>(() => vae.HoldConvolutionsIn(ScalarType.Int8));   // int8 storage
        Assert.Contains("floating-point", error.Message, StringComparison.Ordinal);
        Assert.All(vae.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));
    }

    private static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        var scale = Math.Max(1.0, expected.abs().max().item<float>());
        var error = (expected - actual).abs().max().item<float>() / scale;
        Assert.True(error <= 1e-5, $"{what}: max error {error:E2} of the output's scale");
    }
}
