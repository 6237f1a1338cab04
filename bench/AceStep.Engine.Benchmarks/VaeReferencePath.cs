using AceStep.Engine.Vae;
using AceStep.Engine.Vae.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Benchmarks;

/// <summary>
/// The VAE's forward as it was before the issue-#20 speed work, composed from an <see cref="OobleckVae"/>'s own
/// parameters with plain libtorch ops: Snake as multiply, sine, square and add-multiply (two fresh full-size tensors
/// each), every convolution through <c>conv1d</c>/<c>conv_transpose1d</c> with a fresh output, the residual sum as
/// its own pass. <see cref="VaeBenchmarks"/> runs it beside the engine's path on the same weights, so the speed-up
/// and the agreement of the two are measured in one run.
/// </summary>
internal sealed class VaeReferencePath(OobleckVae vae)
{
    private readonly Dictionary<string, Tensor> _p = vae.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
    private readonly OobleckVaeConfig _config = vae.Config;

    /// <summary>Latents [B, latent, T] → audio [B, A, hop·T], untiled.</summary>
    public Tensor Decode(Tensor latents)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var h = Conv("decoder.conv1", latents, padding: 3);
        for (var i = 0; i < _config.UpsamplingRatios.Count; i++)
        {
            var s = _config.UpsamplingRatios[i];
            var block = $"decoder.block.{i}";
            h = nn.functional.conv_transpose1d(Snake($"{block}.snake1", h), _p[$"{block}.conv_t1.weight"], _p[$"{block}.conv_t1.bias"],
                stride: s, padding: (s + 1) / 2);
            for (var u = 0; u < OobleckResidualUnit.Dilations.Count; u++)
                h = Unit($"{block}.res_unit{u + 1}", h, OobleckResidualUnit.Dilations[u]);
        }

        return Conv("decoder.conv2", Snake("decoder.snake1", h), padding: 3).MoveToOuterDisposeScope();
    }

    /// <summary>Audio [B, A, S] → the posterior [B, 2·latent, S / hop] (mean and scale halves), untiled.</summary>
    public Tensor EncodePosterior(Tensor audio)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var h = Conv("encoder.conv1", audio, padding: 3);
        for (var i = 0; i < _config.DownsamplingRatios.Count; i++)
        {
            var s = _config.DownsamplingRatios[i];
            var block = $"encoder.block.{i}";
            for (var u = 0; u < OobleckResidualUnit.Dilations.Count; u++)
                h = Unit($"{block}.res_unit{u + 1}", h, OobleckResidualUnit.Dilations[u]);
            h = Conv($"{block}.conv1", Snake($"{block}.snake1", h), stride: s, padding: (s + 1) / 2);
        }

        return Conv("encoder.conv2", Snake("encoder.snake1", h), padding: 1).MoveToOuterDisposeScope();
    }

    private Tensor Unit(string name, Tensor x, int dilation)
    {
        var h = Conv($"{name}.conv1", Snake($"{name}.snake1", x), padding: 3 * dilation, dilation: dilation);
        h = Conv($"{name}.conv2", Snake($"{name}.snake2", h));
        return h.add_(x);
    }

    private Tensor Conv(string name, Tensor x, long stride = 1, long padding = 0, long dilation = 1) =>
        nn.functional.conv1d(x, _p[$"{name}.weight"], _p.GetValueOrDefault($"{name}.bias"), stride, padding, dilation);

    private Tensor Snake(string name, Tensor x)
    {
        var frequency = _p[$"{name}.alpha"].exp();
        var magnitude = (_p[$"{name}.beta"].exp() + 1e-9).reciprocal();
        var wave = (x * frequency).sin_().pow_(2);
        return addcmul(x, wave, magnitude, 1);
    }
}
