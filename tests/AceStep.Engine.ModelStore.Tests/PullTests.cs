namespace AceStep.Engine.ModelStore.Tests;

/// <summary>Pulling models from the fake hub: layout, hashes, manifest, resume, rejection of bad bytes.</summary>
public class PullTests
{
    [Fact]
    public async Task Pull_downloads_the_models_folder_into_the_official_layout_and_records_a_manifest()
    {
        await using var store = await StoreFixture.StartAsync();

        var result = await store.Installer.PullAsync("vae", null, CancellationToken.None);

        var directory = Path.Combine(store.Root, "checkpoints", "vae");
        Assert.Equal(directory, result.Directory);
        Assert.Equal(store.Hub.Content(StoreFixture.Main, StoreFixture.VaeWeights), await File.ReadAllBytesAsync(Path.Combine(directory, "diffusion_pytorch_model.safetensors")));
        Assert.Equal(store.Hub.Content(StoreFixture.Main, "vae/config.json"), await File.ReadAllBytesAsync(Path.Combine(directory, "config.json")));
        // Only the vae/ folder of the main repository: not its README, not the other models' folders.
        Assert.Equal([ModelManifest.FileName, "config.json", "diffusion_pytorch_model.safetensors"],
            Directory.GetFiles(directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(store.Hub.Requests, r => r.Path.Contains("README", StringComparison.Ordinal) || r.Path.Contains("turbo", StringComparison.Ordinal));

        var manifest = ModelManifest.TryRead(directory)!;
        Assert.Equal("vae", manifest.Model);
        Assert.Equal(StoreFixture.Main, manifest.Repository);
        Assert.Equal(FakeHub.Revision, manifest.Revision);
        var weights = Assert.Single(manifest.Files, f => f.Path == "diffusion_pytorch_model.safetensors");
        Assert.Equal(FakeHub.Sha256(store.Hub.Content(StoreFixture.Main, StoreFixture.VaeWeights)), weights.Sha256);
        Assert.Equal(3 * 1024 * 1024 + 17, weights.Size);
        Assert.Equal(manifest.TotalBytes, result.DownloadedBytes);
        // Downloads are pinned to the commit the listing came from.
        Assert.All(store.Hub.Requests.Where(r => r.Path.Contains("/resolve/", StringComparison.Ordinal)),
            r => Assert.Contains("/resolve/" + FakeHub.Revision + "/", r.Path, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_model_that_is_a_whole_repository_lands_in_its_checkpoints_folder_without_git_bookkeeping()
    {
        await using var store = await StoreFixture.StartAsync();

        await store.Installer.PullAsync("ACESTEP-V15-BASE", null, CancellationToken.None);   // names match without regard to case

        var directory = store.ModelDirectory("acestep-v15-base");
        Assert.EndsWith(Path.Combine("checkpoints", "acestep-v15-base"), directory, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(directory, "model.safetensors")));
        Assert.True(File.Exists(Path.Combine(directory, "silence_latent.pt")));
        Assert.True(File.Exists(Path.Combine(directory, "modeling_acestep_v15_base.py")));
        Assert.False(File.Exists(Path.Combine(directory, ".gitattributes")));
    }

    [Fact]
    public async Task Progress_reports_each_file_and_the_whole_model_up_to_its_size()
    {
        await using var store = await StoreFixture.StartAsync();
        var reports = new List<FileProgress>();

        await store.Installer.PullAsync("vae", new SyncProgress(reports.Add), CancellationToken.None);

        var total = 3 * 1024 * 1024 + 17 + store.Hub.Content(StoreFixture.Main, "vae/config.json").Length;
        Assert.All(reports, r => Assert.Equal(total, r.BytesTotal));
        Assert.Equal(total, reports[^1].BytesDone);
        var weights = reports.Where(r => r.Path == "diffusion_pytorch_model.safetensors" && r.Stage == ProgressStage.Downloading).ToList();
        Assert.True(weights.Count >= 2, "a 3 MB file reports more than once");
        Assert.Equal(weights.Select(r => r.FileBytesDone).Order(), weights.Select(r => r.FileBytesDone));
        Assert.Contains(reports, r => r.Path == "diffusion_pytorch_model.safetensors" && r.Stage == ProgressStage.Done);
    }

    [Fact]
    public async Task A_connection_dropped_mid_file_is_resumed_with_a_range_request_and_ends_with_the_right_bytes()
    {
        await using var store = await StoreFixture.StartAsync();
        store.Hub.DropAfter(StoreFixture.VaeWeights, 1024 * 1024);

        await store.Installer.PullAsync("vae", null, CancellationToken.None);

        var downloads = store.Hub.Downloads(StoreFixture.VaeWeights);
        Assert.Equal(2, downloads.Count);
        Assert.Null(downloads[0].Range);
        Assert.NotNull(downloads[1].Range);
        var resumeAt = long.Parse(downloads[1].Range!["bytes=".Length..].TrimEnd('-'), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(resumeAt, 1, 1024 * 1024);
        Assert.Equal(store.Hub.Content(StoreFixture.Main, StoreFixture.VaeWeights), await File.ReadAllBytesAsync(store.FileOf("vae", "diffusion_pytorch_model.safetensors")));
        Assert.False(File.Exists(store.FileOf("vae", "diffusion_pytorch_model.safetensors.partial")));
        Assert.NotNull(store.Locator.Locate("vae"));
    }

    [Fact]
    public async Task A_pull_that_gave_up_leaves_its_part_file_and_the_next_pull_resumes_from_it()
    {
        await using var store = await StoreFixture.StartAsync(StoreFixture.FastRetries(attempts: 1));
        store.Hub.DropAfter(StoreFixture.VaeWeights, 1024 * 1024);

        await Assert.ThrowsAsync<ModelSourceException>(() => store.Installer.PullAsync("vae", null, CancellationToken.None));
        var partial = store.FileOf("vae", "diffusion_pytorch_model.safetensors.partial");
        Assert.True(File.Exists(partial));
        var kept = new FileInfo(partial).Length;
        Assert.InRange(kept, 1, 1024 * 1024);
        Assert.Equal(InstallState.Partial, store.Inventory.Status("vae").State);
        Assert.Throws<ModelNotInstalledException>(() => store.Locator.Locate("vae"));

        var reports = new List<FileProgress>();
        await store.Installer.PullAsync("vae", new SyncProgress(reports.Add), CancellationToken.None);

        Assert.Equal($"bytes={kept}-", store.Hub.Downloads(StoreFixture.VaeWeights)[^1].Range);
        Assert.Contains(reports, r => r.Stage == ProgressStage.Hashing && r.FileBytesDone == kept);   // the part was re-hashed
        Assert.Equal(store.Hub.Content(StoreFixture.Main, StoreFixture.VaeWeights), await File.ReadAllBytesAsync(store.FileOf("vae", "diffusion_pytorch_model.safetensors")));
        Assert.Equal(InstallState.Installed, store.Inventory.Status("vae").State);
    }

    [Fact]
    public async Task A_server_that_ignores_the_range_and_answers_200_makes_the_file_start_over_cleanly()
    {
        await using var store = await StoreFixture.StartAsync();
        store.Hub.DropAfter(StoreFixture.VaeWeights, 1024 * 1024);
        store.Hub.IgnoreRange(StoreFixture.VaeWeights);

        await store.Installer.PullAsync("vae", null, CancellationToken.None);

        Assert.Equal(store.Hub.Content(StoreFixture.Main, StoreFixture.VaeWeights), await File.ReadAllBytesAsync(store.FileOf("vae", "diffusion_pytorch_model.safetensors")));
        Assert.True(store.Hub.Downloads(StoreFixture.VaeWeights).Count >= 2);
    }

    [Fact]
    public async Task A_file_whose_bytes_do_not_match_its_hash_is_rejected_and_never_put_in_place()
    {
        await using var store = await StoreFixture.StartAsync();
        store.Hub.Corrupt(StoreFixture.VaeWeights);

        var error = await Assert.ThrowsAsync<DownloadIntegrityException>(() => store.Installer.PullAsync("vae", null, CancellationToken.None));

        Assert.Equal("diffusion_pytorch_model.safetensors", error.Path);
        Assert.Contains("SHA-256", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(store.FileOf("vae", "diffusion_pytorch_model.safetensors")));
        Assert.False(File.Exists(store.FileOf("vae", "diffusion_pytorch_model.safetensors.partial")));
        Assert.Null(ModelManifest.TryRead(store.ModelDirectory("vae")));
        Assert.NotEqual(InstallState.Installed, store.Inventory.Status("vae").State);
    }

    [Fact]
    public async Task A_small_git_file_with_wrong_bytes_is_caught_by_its_git_blob_id()
    {
        await using var store = await StoreFixture.StartAsync();
        store.Hub.Corrupt("vae/config.json");

        var error = await Assert.ThrowsAsync<DownloadIntegrityException>(() => store.Installer.PullAsync("vae", null, CancellationToken.None));

        Assert.Equal("config.json", error.Path);
        Assert.False(File.Exists(store.FileOf("vae", "config.json")));
    }

    [Fact]
    public async Task Pulling_again_downloads_nothing_when_the_install_is_complete()
    {
        await using var store = await StoreFixture.StartAsync();
        await store.Installer.PullAsync("vae", null, CancellationToken.None);
        var before = store.Hub.Requests.Count(r => r.Path.Contains("/resolve/", StringComparison.Ordinal));

        var again = await store.Installer.PullAsync("vae", null, CancellationToken.None);

        Assert.Equal(0, again.DownloadedBytes);
        Assert.Equal(before, store.Hub.Requests.Count(r => r.Path.Contains("/resolve/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Pulling_again_repairs_a_damaged_file_and_only_that_file()
    {
        await using var store = await StoreFixture.StartAsync();
        await store.Installer.PullAsync("vae", null, CancellationToken.None);
        var weights = store.FileOf("vae", "diffusion_pytorch_model.safetensors");
        await File.WriteAllBytesAsync(weights, new byte[100]);

        var again = await store.Installer.PullAsync("vae", null, CancellationToken.None);

        Assert.Equal(3 * 1024 * 1024 + 17, again.DownloadedBytes);
        Assert.Equal(store.Hub.Content(StoreFixture.Main, StoreFixture.VaeWeights), await File.ReadAllBytesAsync(weights));
        Assert.Single(store.Hub.Downloads("vae/config.json"));
    }

    [Fact]
    public async Task Transient_hub_errors_are_retried_and_a_token_is_sent_as_a_bearer_header()
    {
        await using var store = await StoreFixture.StartAsync(hubOptions: endpoint => new HubOptions { Endpoint = endpoint, Token = "hf_test" });
        store.Hub.FailNext(2);

        await store.Installer.PullAsync("vae", null, CancellationToken.None);

        Assert.True(store.Hub.Requests.Count(r => r.Path.Contains("/revision/", StringComparison.Ordinal)) >= 3);
        Assert.All(store.Hub.Requests, r => Assert.Equal("Bearer hf_test", r.Authorization));
    }

    [Fact]
    public async Task A_listing_in_several_pages_is_followed_to_the_end()
    {
        await using var store = await StoreFixture.StartAsync();
        store.Hub.PageSize = 1;

        await store.Installer.PullAsync("acestep-v15-base", null, CancellationToken.None);

        Assert.True(store.Hub.Requests.Count(r => r.Path.Contains("/tree/", StringComparison.Ordinal)) > 3);
        Assert.True(store.Locator.TryLocate("acestep-v15-base", out _));
    }

    [Fact]
    public async Task A_repository_missing_from_the_hub_fails_with_a_source_error_and_no_retries()
    {
        await using var store = await StoreFixture.StartAsync();

        var error = await Assert.ThrowsAsync<ModelSourceException>(() => store.Installer.PullAsync("acestep-v15-sft", null, CancellationToken.None));

        Assert.Contains("404", error.Message, StringComparison.Ordinal);
        Assert.Single(store.Hub.Requests);
    }

    [Fact]
    public async Task A_repository_without_a_required_file_is_refused_before_downloading()
    {
        await using var store = await StoreFixture.StartAsync();
        store.Hub.Add("ACE-Step/acestep-5Hz-lm-0.6B", "config.json", "{}", lfs: false);

        var error = await Assert.ThrowsAsync<ModelSourceException>(() => store.Installer.PullAsync("acestep-5Hz-lm-0.6B", null, CancellationToken.None));

        Assert.Contains("model.safetensors or model.safetensors.index.json", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(store.Hub.Requests, r => r.Path.Contains("/resolve/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unknown_model_name_lists_the_known_ones()
    {
        await using var store = await StoreFixture.StartAsync();

        var error = await Assert.ThrowsAsync<UnknownModelException>(() => store.Installer.PullAsync("acestep-v2", null, CancellationToken.None));

        Assert.Contains("acestep-v15-turbo", error.Message, StringComparison.Ordinal);
        Assert.Empty(store.Hub.Requests);
    }

    [Fact]
    public async Task Cancelling_stops_the_pull_and_keeps_the_part_for_later()
    {
        await using var store = await StoreFixture.StartAsync();
        using var cancel = new CancellationTokenSource();
        var progress = new SyncProgress(p =>
        {
            if (p.Path == "diffusion_pytorch_model.safetensors" && p.FileBytesDone > 0 && p.Stage == ProgressStage.Downloading)
            {
                cancel.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.Installer.PullAsync("vae", progress, cancel.Token));

        Assert.False(File.Exists(store.FileOf("vae", "diffusion_pytorch_model.safetensors")));
        Assert.True(File.Exists(store.FileOf("vae", "diffusion_pytorch_model.safetensors.partial")));
    }
}

/// <summary>Reports on the calling thread (<see cref="Progress{T}"/> would post to the thread pool, out of order).</summary>
public sealed class SyncProgress(Action<FileProgress> report) : IProgress<FileProgress>
{
    public void Report(FileProgress value) => report(value);
}
