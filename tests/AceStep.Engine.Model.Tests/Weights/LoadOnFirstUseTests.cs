using AceStep.Engine.Model.Modules;
using AceStep.Engine.Model.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Tests.Weights;

public class LoadOnFirstUseTests
{
    [Fact]
    public void A_model_first_used_inside_a_dispose_scope_outlives_that_scope()
    {
        // The pipelines touch models for the first time inside their own dispose scopes; the weights must survive.
        using var holder = new LoadOnFirstUse<RmsNorm>(() => new RmsNorm(8));
        using (NewDisposeScope())
        {
            _ = holder.Value;
        }

        using var scope = NewDisposeScope();
        var y = holder.Value.forward(ones(2, 8));
        Assert.Equal([2L, 8], y.shape);
    }

    [Fact]
    public void A_failed_load_rethrows_its_own_exception_and_loads_nothing()
    {
        // Input tried: a loader that throws CheckpointFormatException.
        using var holder = new LoadOnFirstUse<RmsNorm>(() => throw new CheckpointFormatException("broken file"));
        Assert.Equal("broken file", Assert.Throws<CheckpointFormatException>(() => holder.Value).Message);
        Assert.False(holder.IsLoaded);
    }
}

public class SilenceLatentSaveTests
{
    [Fact]
    public void Saved_silence_latents_load_back_unchanged()
    {
        using var dir = new TempDir();
        using var scope = NewDisposeScope();
        manual_seed(61);
        var latents = randn(1, 37, 64);
        SilenceLatent.Save(dir.File("silence_latent.pt"), latents);
        var loaded = SilenceLatent.Load(dir.File("silence_latent.pt"));
        Assert.Equal([1L, 37, 64], loaded.shape);
        Assert.True(loaded.eq(latents).all().item<bool>());
    }
}
