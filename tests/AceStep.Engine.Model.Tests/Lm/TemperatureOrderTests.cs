using AceStep.Engine.Model.Lm;
using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Tests.Lm;

/// <summary>
/// Where the temperature goes (issue 18 item 3): upstream's PyTorch backend (CPU) filters top-p on the raw logits and
/// divides by the temperature when sampling; its nano-vLLM backend (CUDA) divides first and filters the scaled logits.
/// </summary>
public class TemperatureOrderTests
{
    // softmax([2, 1, 0, −1]) = [.644, .237, .087, .032]: top-p 0.8 keeps tokens 0 and 1. At temperature 2 the
    // probabilities are [.455, .276, .167, .102]: top-p 0.8 keeps tokens 0, 1 and 2.
    private static HashSet<long> Drawn(TemperatureOrder order)
    {
        var seen = new HashSet<long>();
        var options = new LmSamplingOptions { Temperature = 2.0, TopP = 0.8, TemperatureOrder = order };
        for (var seed = 0; seed < 200; seed++)
        {
            using var scope = NewDisposeScope();
            using var sampler = new TokenSampler([seed], options);
            seen.Add(sampler.Sample(tensor(new float[] { 2, 1, 0, -1 }).view(1, 4)).item<long>());
        }

        return seen;
    }

    [Fact]
    public void Filters_first_never_draws_what_the_raw_nucleus_drops()
    {
        Assert.Equal([0L, 1L], Drawn(TemperatureOrder.AfterFilters).Order());
        Assert.Equal([0L, 1L], Drawn(TemperatureOrder.ByDevice).Order()); // CPU: the PyTorch backend's order
    }

    [Fact]
    public void Temperature_first_measures_the_nucleus_on_the_flattened_distribution()
    {
        Assert.Equal([0L, 1L, 2L], Drawn(TemperatureOrder.BeforeFilters).Order());
    }
}
