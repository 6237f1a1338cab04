using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Vae.Tests;

public class PosteriorTests
{
    [Fact]
    public void Encode_returns_the_mean_and_is_deterministic()
    {
        using var scope = NewDisposeScope();
        using var vae = TinyVae.Random(21);
        manual_seed(22);
        var audio = randn(2, 2, 1920 * 6) * 0.3;
        var first = vae.Encode(audio);
        manual_seed(999);   // the global RNG must not matter
        var second = vae.Encode(audio);
        Assert.True(first.eq(second).all().item<bool>());

        using var posterior = vae.EncodePosterior(audio);
        Assert.True(first.eq(posterior.Mean).all().item<bool>());
        Assert.Equal([2L, 8, 6], posterior.Parameters.shape);
    }

    [Fact]
    public void Std_is_softplus_of_the_scale_half_plus_1e4()
    {
        using var scope = NewDisposeScope();
        var parameters = linspace(-5, 5, 2 * 4 * 3).reshape(1, 8, 3);
        using var posterior = new OobleckPosterior(parameters.clone());
        var scale = Naive.Data(parameters).Skip(12).ToArray();
        var expected = scale.Select(s => Math.Log(1 + Math.Exp(s)) + 1e-4).ToArray();
        Naive.Close(expected, posterior.Std(), 1e-6);
        Naive.Close(Naive.Data(parameters).Take(12).ToArray(), posterior.Mean, 0);
    }

    [Fact]
    public void Sample_with_a_seeded_generator_is_reproducible_and_centred_on_the_mean()
    {
        using var scope = NewDisposeScope();
        var parameters = cat([full(1, 4, 2000, 3.0), full(1, 4, 2000, -2.0)], 1);   // std = softplus(-2) + 1e-4
        using var posterior = new OobleckPosterior(parameters);
        var a = posterior.Sample(new Generator(7));
        var b = posterior.Sample(new Generator(7));
        Assert.True(a.eq(b).all().item<bool>());
        Assert.InRange(a.mean().item<float>(), 2.99, 3.01);
        Assert.InRange(a.std().item<float>(), 0.126 * 0.97, 0.126 * 1.03);
    }
}
