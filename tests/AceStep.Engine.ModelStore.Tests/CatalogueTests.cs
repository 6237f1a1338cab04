namespace AceStep.Engine.ModelStore.Tests;

/// <summary>The official catalogue and the paths everything agrees on.</summary>
public class CatalogueTests
{
    [Theory]
    [InlineData("acestep-v15-turbo", "ACE-Step/Ace-Step1.5", "acestep-v15-turbo")]
    [InlineData("acestep-5Hz-lm-1.7B", "ACE-Step/Ace-Step1.5", "acestep-5Hz-lm-1.7B")]
    [InlineData("vae", "ACE-Step/Ace-Step1.5", "vae")]
    [InlineData("Qwen3-Embedding-0.6B", "ACE-Step/Ace-Step1.5", "Qwen3-Embedding-0.6B")]
    [InlineData("acestep-v15-base", "ACE-Step/acestep-v15-base", "")]
    [InlineData("acestep-v15-sft", "ACE-Step/acestep-v15-sft", "")]
    [InlineData("acestep-5Hz-lm-0.6B", "ACE-Step/acestep-5Hz-lm-0.6B", "")]
    [InlineData("acestep-5Hz-lm-4B", "ACE-Step/acestep-5Hz-lm-4B", "")]
    public void Each_official_model_comes_from_its_repository_and_lands_in_checkpoints(string id, string repository, string folder)
    {
        var entry = ModelCatalogue.Official.Get(id);

        Assert.Equal(repository, entry.Repository);
        Assert.Equal(folder, entry.RepositoryFolder);
        Assert.Equal("checkpoints/" + id, entry.RelativeDirectory);
        Assert.Contains(entry.RequiredFiles, r => r.AnyOf.Contains("config.json"));
        Assert.True(entry.ApproximateBytes > 300_000_000);
    }

    [Fact]
    public void The_dits_need_their_weights_and_silence_latent()
    {
        var turbo = ModelCatalogue.Official.Get("acestep-v15-turbo");

        Assert.True(turbo.RequiredFiles.All(r => r.IsSatisfiedBy(["config.json", "model.safetensors", "silence_latent.pt"])));
        Assert.False(turbo.RequiredFiles.All(r => r.IsSatisfiedBy(["config.json", "model.safetensors"])));
    }

    [Fact]
    public void Paths_from_a_listing_or_manifest_cannot_leave_the_models_folder()
    {
        var directory = Path.Combine(Path.GetTempPath(), "m");

        Assert.Throws<ModelStoreException>(() => ModelLayout.FileIn(directory, "../escape.bin"));
        Assert.Throws<ModelStoreException>(() => ModelLayout.FileIn(directory, "/etc/passwd"));
        Assert.Equal(Path.Combine(directory, "sub", "a.bin"), ModelLayout.FileIn(directory, "sub/a.bin"));
    }

    [Fact]
    public void The_models_directory_sits_in_the_engine_home_by_default()
    {
        var home = Path.Combine(Path.GetTempPath(), "home");
        if (Environment.GetEnvironmentVariable(ModelsDirectory.Variable) is { Length: > 0 })
        {
            return;   // the machine running the tests moved it on purpose
        }

        Assert.Equal(Path.Combine(home, "models"), ModelsDirectory.ForHome(home));
        Assert.EndsWith("acestep", EngineHome.DefaultDirectory(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Retry_delays_double_up_to_the_cap()
    {
        var options = new DownloadOptions { FirstRetryDelay = TimeSpan.FromSeconds(1), MaxRetryDelay = TimeSpan.FromSeconds(5) };

        Assert.Equal([1, 2, 4, 5, 5], Enumerable.Range(1, 5).Select(i => options.RetryDelay(i).TotalSeconds));
    }

    [Fact]
    public void A_hub_address_must_be_http_and_gains_a_trailing_slash()
    {
        Assert.Equal("https://mirror.example/hf/", HubOptions.ParseEndpoint("https://mirror.example/hf", "x").AbsoluteUri);
        Assert.Throws<ModelStoreException>(() => HubOptions.ParseEndpoint("ftp://x", "HF_ENDPOINT"));
    }
}
