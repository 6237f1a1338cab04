using AceStep.Engine.Model.Weights;
using AceStep.Engine.Vae.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Vae.Tests;

public class LoadingTests
{
    [Theory]
    [InlineData(WeightNormLayout.WeightGV)]
    [InlineData(WeightNormLayout.Parametrizations)]
    public void Tiny_checkpoint_in_the_official_layout_loads_with_weight_norm_folded(WeightNormLayout layout)
    {
        using var dir = new TempDir();
        using var scope = NewDisposeScope();
        var written = TinyVae.WriteDirectory(dir.Path, seed: 5, layout);

        using var vae = OobleckVae.FromDirectory(dir.Path);
        var parameters = vae.named_parameters().ToDictionary(p => p.name, p => p.parameter);

        var (g, v) = WeightNorm.CheckpointNames("decoder.block.0.conv_t1.weight", layout);
        Naive.Close(Naive.WeightNorm(Naive.Data(written[g]), Naive.Data(written[v])), parameters["decoder.block.0.conv_t1.weight"], 1e-6);
        (g, v) = WeightNorm.CheckpointNames("encoder.block.2.res_unit3.conv1.weight", layout);
        Naive.Close(Naive.WeightNorm(Naive.Data(written[g]), Naive.Data(written[v])), parameters["encoder.block.2.res_unit3.conv1.weight"], 1e-6);
        Naive.Close(Naive.Data(written["decoder.block.4.res_unit2.snake1.alpha"]), parameters["decoder.block.4.res_unit2.snake1.alpha"], 0);
        Naive.Close(Naive.Data(written["encoder.conv2.bias"]), parameters["encoder.conv2.bias"], 0);

        // Round trip of shapes through the loaded model.
        var audio = randn(1, 2, 1920 * 5) * 0.3;
        var latents = vae.Encode(audio);
        Assert.Equal([1L, 4, 5], latents.shape);
        Assert.Equal([1L, 2, 1920 * 5], vae.Decode(latents).shape);
    }

    [Fact]
    public void Runtime_policy_loads_fp32_on_the_cpu()
    {
        using var dir = new TempDir();
        TinyVae.WriteDirectory(dir.Path, seed: 6);
        var runtime = AceStep.Engine.Torch.TorchRuntime.Create(new AceStep.Engine.Torch.TorchRuntimeOptions
        {
            Device = AceStep.Engine.Torch.TorchDevicePreference.Cpu,
        });
        using var vae = OobleckVae.FromDirectory(dir.Path, WeightLoadOptions.ForRuntime(runtime));
        Assert.All(vae.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));
        Assert.All(vae.parameters(), p => Assert.Equal(DeviceType.CPU, p.device_type));
    }

    [Fact]
    public void Missing_tensor_fails_naming_it_and_the_file()
    {
        using var dir = new TempDir();
        TinyVae.WriteDirectory(dir.Path, seed: 7, edit: t =>
        {
            t.Remove("decoder.block.3.res_unit1.conv2.weight_v", out var removed);
            removed!.Dispose();
            return t;
        });

        var error = Assert.Throws<CheckpointMismatchException>(() => OobleckVae.FromDirectory(dir.Path));
        var missing = Assert.Single(error.Missing);
        Assert.Equal("decoder.block.3.res_unit1.conv2.weight_v", missing.Name);
        Assert.Contains("decoder.block.3.res_unit1.conv2.weight_v", error.Message, StringComparison.Ordinal);
        Assert.Contains(OobleckVae.WeightsFileName, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mis_shaped_tensor_fails_naming_it_the_shapes_and_the_file()
    {
        using var dir = new TempDir();
        TinyVae.WriteDirectory(dir.Path, seed: 8, edit: t =>
        {
            t["encoder.block.1.conv1.weight_g"].Dispose();
            t["encoder.block.1.conv1.weight_g"] = ones(3, 1, 1);       // expected [16, 1, 1]
            return t;
        });

        var error = Assert.Throws<CheckpointMismatchException>(() => OobleckVae.FromDirectory(dir.Path));
        var mismatch = Assert.Single(error.Mismatched);
        Assert.Equal("encoder.block.1.conv1.weight_g", mismatch.Name);
        Assert.Equal([16L, 1, 1], mismatch.ExpectedShape);
        Assert.Equal([3L, 1, 1], mismatch.FoundShape);
        Assert.EndsWith(OobleckVae.WeightsFileName, mismatch.FilePath, StringComparison.Ordinal);
        Assert.Contains("encoder.block.1.conv1.weight_g: expected [16, 1, 1], found [3, 1, 1]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_checkpoint_without_weight_norm_factors_lists_every_conv_as_missing()
    {
        // E.g. a file saved after remove_weight_norm: plain .weight tensors are not the official layout.
        using var dir = new TempDir();
        TinyVae.WriteDirectory(dir.Path, seed: 9, edit: t =>
        {
            foreach (var name in t.Keys.Where(n => n.EndsWith("weight_g", StringComparison.Ordinal)).ToList())
            {
                t[name].Dispose();
                t.Remove(name);
            }

            return t;
        });

        var error = Assert.Throws<CheckpointMismatchException>(() => OobleckVae.FromDirectory(dir.Path));
        var convs = TinyVae.Config.CheckpointTensors().Count(t => t.Name.EndsWith("weight_g", StringComparison.Ordinal));
        Assert.Equal(convs, error.Missing.Count);
        Assert.All(error.Missing, m => Assert.EndsWith("weight_g", m.Name, StringComparison.Ordinal));
    }
}
