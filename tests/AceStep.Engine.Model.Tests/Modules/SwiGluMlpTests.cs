using AceStep.Engine.Model.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Tests.Modules;

public class SwiGluMlpTests
{
    [Fact]
    public void Matches_naive_gate_up_down_loop()
    {
        using var scope = NewDisposeScope();
        manual_seed(20);
        const int Hidden = 6, Inner = 10, Rows = 4;
        using var mlp = new SwiGluMlp(Hidden, Inner);
        var x = randn(2, 2, Hidden);
        var p = Naive.Parameters(mlp);

        var data = Naive.Data(x);
        var gate = Naive.Linear(data, Rows, Hidden, p["gate_proj.weight"], Inner);
        var up = Naive.Linear(data, Rows, Hidden, p["up_proj.weight"], Inner);
        var inner = gate.Select((g, i) => Naive.Silu(g) * up[i]).ToArray();
        var expected = Naive.Linear(inner, Rows, Inner, p["down_proj.weight"], Hidden);

        var y = mlp.forward(x);
        Assert.Equal(new long[] { 2, 2, Hidden }, y.shape);
        Naive.AssertClose(expected, Naive.Data(y), 1e-5);
    }

    [Fact]
    public void Has_three_bias_free_projections_named_like_the_checkpoint()
    {
        using var mlp = new SwiGluMlp(64, 128);
        var shapes = mlp.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);
        Assert.Equal(new Dictionary<string, long[]>
        {
            ["gate_proj.weight"] = [128, 64],
            ["up_proj.weight"] = [128, 64],
            ["down_proj.weight"] = [64, 128],
        }, shapes);
    }
}
