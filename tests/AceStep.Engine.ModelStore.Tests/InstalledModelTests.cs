namespace AceStep.Engine.ModelStore.Tests;

/// <summary>What happens after a pull: verify, list, remove, locate, adopt.</summary>
public class InstalledModelTests
{
    [Fact]
    public async Task Verify_passes_a_fresh_install()
    {
        await using var store = await StoreFixture.StartAsync();
        await store.Installer.PullAsync("vae", null, CancellationToken.None);

        var result = await store.Verifier.VerifyAsync("vae", null, CancellationToken.None);

        Assert.True(result.IsValid);
        Assert.Empty(result.Problems);
    }

    [Fact]
    public async Task Verify_reports_each_file_changed_resized_or_deleted_after_install()
    {
        await using var store = await StoreFixture.StartAsync();
        await store.Installer.PullAsync("acestep-v15-base", null, CancellationToken.None);
        var weights = store.FileOf("acestep-v15-base", "model.safetensors");
        var bytes = await File.ReadAllBytesAsync(weights);
        bytes[12345] ^= 0x01;   // same size, one bit different
        await File.WriteAllBytesAsync(weights, bytes);
        await File.AppendAllTextAsync(store.FileOf("acestep-v15-base", "config.json"), " ");
        File.Delete(store.FileOf("acestep-v15-base", "silence_latent.pt"));

        var result = await store.Verifier.VerifyAsync("acestep-v15-base", null, CancellationToken.None);

        Assert.False(result.IsValid);
        Assert.Equal(3, result.Problems.Count);
        Assert.Contains(result.Problems, p => p is { Path: "model.safetensors", Kind: FileProblemKind.WrongHash });
        Assert.Contains(result.Problems, p => p is { Path: "config.json", Kind: FileProblemKind.WrongSize });
        Assert.Contains(result.Problems, p => p is { Path: "silence_latent.pt", Kind: FileProblemKind.Missing });
    }

    [Fact]
    public async Task Verify_of_a_model_that_is_not_installed_says_so()
    {
        await using var store = await StoreFixture.StartAsync();

        var result = await store.Verifier.VerifyAsync("vae", null, CancellationToken.None);

        Assert.Null(result.Manifest);
        Assert.False(result.IsValid);
    }

    [Fact]
    public async Task List_shows_installed_partial_and_missing_models_with_sizes()
    {
        await using var store = await StoreFixture.StartAsync();
        await store.Installer.PullAsync("vae", null, CancellationToken.None);
        Directory.CreateDirectory(store.ModelDirectory("acestep-v15-base"));
        await File.WriteAllBytesAsync(store.FileOf("acestep-v15-base", "model.safetensors.partial"), new byte[1000]);

        var list = store.Inventory.List();

        Assert.Equal(ModelCatalogue.Official.Entries.Select(e => e.Id), list.Select(s => s.Model.Id));
        var vae = Assert.Single(list, s => s.Model.Id == "vae");
        Assert.Equal(InstallState.Installed, vae.State);
        Assert.Equal(ModelManifest.TryRead(store.ModelDirectory("vae"))!.TotalBytes, vae.SizeBytes);
        Assert.Equal(FakeHub.Revision, vae.Revision);
        var partial = Assert.Single(list, s => s.Model.Id == "acestep-v15-base");
        Assert.Equal(InstallState.Partial, partial.State);
        Assert.Equal(1000, partial.BytesOnDisk);
        Assert.NotNull(partial.Problem);
        var missing = Assert.Single(list, s => s.Model.Id == "acestep-v15-turbo");
        Assert.Equal(InstallState.Missing, missing.State);
        Assert.Equal(0, missing.BytesOnDisk);
        Assert.True(missing.SizeBytes > 4_700_000_000, "the catalogue's estimate for a 2B DiT");
    }

    [Fact]
    public async Task Remove_deletes_the_models_folder_and_only_it()
    {
        await using var store = await StoreFixture.StartAsync();
        await store.Installer.PullAsync("vae", null, CancellationToken.None);
        await store.Installer.PullAsync("acestep-v15-base", null, CancellationToken.None);

        Assert.True(store.Inventory.Remove("vae"));

        Assert.False(Directory.Exists(store.ModelDirectory("vae")));
        Assert.Equal(InstallState.Missing, store.Inventory.Status("vae").State);
        Assert.Equal(InstallState.Installed, store.Inventory.Status("acestep-v15-base").State);
        Assert.False(store.Inventory.Remove("vae"));
    }

    [Fact]
    public async Task The_locator_returns_an_installed_models_folder()
    {
        await using var store = await StoreFixture.StartAsync();
        await store.Installer.PullAsync("vae", null, CancellationToken.None);

        Assert.Equal(store.ModelDirectory("vae"), store.Locator.Locate("vae"));
        Assert.Equal(store.ModelDirectory("vae"), new ModelLocator(store.Root).Locate("VAE"));
    }

    [Fact]
    public async Task The_locator_throws_with_the_pull_command_when_a_model_is_missing()
    {
        await using var store = await StoreFixture.StartAsync();

        var error = Assert.Throws<ModelNotInstalledException>(() => store.Locator.Locate("acestep-v15-base"));

        Assert.Equal("acestep models pull acestep-v15-base", error.PullCommand);
        Assert.Contains("acestep models pull acestep-v15-base", error.Message, StringComparison.Ordinal);
        Assert.Contains(store.ModelDirectory("acestep-v15-base"), error.Message, StringComparison.Ordinal);
        Assert.False(store.Locator.TryLocate("acestep-v15-base", out _));
        Assert.Throws<UnknownModelException>(() => store.Locator.Locate("no-such-model"));
    }

    [Fact]
    public async Task The_locator_refuses_an_install_with_a_missing_or_resized_file()
    {
        await using var store = await StoreFixture.StartAsync();
        await store.Installer.PullAsync("vae", null, CancellationToken.None);
        await File.WriteAllTextAsync(store.FileOf("vae", "config.json"), "{}");

        var error = Assert.Throws<ModelNotInstalledException>(() => store.Locator.Locate("vae"));

        Assert.Contains("config.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("acestep models pull vae", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Files_copied_in_by_hand_count_once_adopted()
    {
        await using var store = await StoreFixture.StartAsync();
        var directory = store.ModelDirectory("vae");
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "config.json"), "{}");

        // Without a manifest the locator says how to adopt, and adopting a folder missing a required file fails.
        Assert.Contains("acestep models adopt vae", Assert.Throws<ModelNotInstalledException>(() => store.Locator.Locate("vae")).Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ModelNotInstalledException>(() => store.Verifier.AdoptAsync("vae", null, CancellationToken.None));

        await File.WriteAllBytesAsync(Path.Combine(directory, "diffusion_pytorch_model.safetensors"), FakeHub.Random(5000, seed: 9));
        var manifest = await store.Verifier.AdoptAsync("vae", null, CancellationToken.None);

        Assert.Equal("adopted", manifest.Source);
        Assert.Equal(2, manifest.Files.Count);
        Assert.Equal(directory, store.Locator.Locate("vae"));
        Assert.True((await store.Verifier.VerifyAsync("vae", null, CancellationToken.None)).IsValid);
    }

    [Fact]
    public async Task A_model_being_pulled_elsewhere_cannot_be_removed()
    {
        await using var store = await StoreFixture.StartAsync();
        var model = ModelCatalogue.Official.Get("vae");
        using (ModelLock.Acquire(model, store.ModelDirectory("vae")))
        {
            Assert.Throws<ModelBusyException>(() => store.Inventory.Remove("vae"));
            await Assert.ThrowsAsync<ModelBusyException>(() => store.Installer.PullAsync("vae", null, CancellationToken.None));
        }
        Assert.False(store.Inventory.Remove("vae"));
    }
}
