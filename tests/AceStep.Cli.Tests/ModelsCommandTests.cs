using System.Text.Json.Nodes;
using AceStep.Engine.ModelStore;
using AceStep.Engine.ModelStore.Tests;

namespace AceStep.Cli.Tests;

/// <summary><c>acestep models</c> as a separate process against a fake hub on 127.0.0.1 and a temporary models directory.</summary>
public sealed class ModelsCommandTests : IAsyncLifetime
{
    private readonly string _models = Path.Combine(Path.GetTempPath(), "acestep-cli-models-" + Guid.NewGuid().ToString("N")[..10]);
    private FakeHub _hub = null!;

    public async Task InitializeAsync() => _hub = await FakeHub.StartWithOfficialLayoutAsync();

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        if (Directory.Exists(_models))
        {
            Directory.Delete(_models, recursive: true);
        }
    }

    private Task<(int ExitCode, string Stdout, string Stderr)> Models(params string[] args) =>
        ProcessRunner.RunAsync("acestep.dll", ["models", .. args, "--models-dir", _models]);

    private Task<(int ExitCode, string Stdout, string Stderr)> Pull(params string[] args) =>
        Models(["pull", .. args, "--endpoint", _hub.BaseAddress.AbsoluteUri, "--retries", "2"]);

    [Fact]
    public async Task List_json_shows_every_catalogue_model_as_missing_in_an_empty_directory()
    {
        var (exit, stdout, stderr) = await Models("list", "--json");

        Assert.True(exit == ExitCodes.Ok, $"exit {exit}: {stderr}");
        var result = JsonNode.Parse(stdout)!;
        Assert.Equal(Path.GetFullPath(_models), (string)result["modelsDirectory"]!);
        var models = result["models"]!.AsArray();
        Assert.Equal(ModelCatalogue.Official.Entries.Select(e => e.Id), models.Select(m => (string)m!["id"]!));
        Assert.All(models, m => Assert.Equal("missing", (string)m!["state"]!));
        Assert.All(models, m => Assert.True((long)m!["sizeBytes"]! > 0));
    }

    [Fact]
    public async Task Pull_installs_from_the_hub_then_list_and_verify_agree()
    {
        var (exit, stdout, stderr) = await Pull("vae", "--json");

        Assert.True(exit == ExitCodes.Ok, $"exit {exit}: {stderr}");
        var pulled = JsonNode.Parse(stdout)!["models"]![0]!;
        Assert.Equal("vae", (string)pulled["id"]!);
        Assert.Equal(FakeHub.Revision, (string)pulled["revision"]!);
        Assert.Equal(2, (int)pulled["files"]!);
        Assert.Equal(_hub.Content("ACE-Step/Ace-Step1.5", "vae/diffusion_pytorch_model.safetensors"),
            await File.ReadAllBytesAsync(Path.Combine(_models, "checkpoints", "vae", "diffusion_pytorch_model.safetensors")));
        Assert.Contains("vae: diffusion_pytorch_model.safetensors ok", stderr, StringComparison.Ordinal);   // plain progress lines, off stdout

        var (_, list, _) = await Models("list", "--json");
        var vae = JsonNode.Parse(list)!["models"]!.AsArray().Single(m => (string)m!["id"]! == "vae")!;
        Assert.Equal("installed", (string)vae["state"]!);

        var (verifyExit, verifyOut, verifyErr) = await Models("verify", "vae");
        Assert.True(verifyExit == ExitCodes.Ok, $"exit {verifyExit}: {verifyOut}{verifyErr}");
        Assert.Contains("vae: ok", verifyOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pull_without_json_prints_plain_progress_lines_when_not_on_a_terminal()
    {
        var (exit, stdout, stderr) = await Pull("acestep-v15-base");

        Assert.True(exit == ExitCodes.Ok, $"exit {exit}: {stderr}");
        Assert.Contains("acestep-v15-base: downloading model.safetensors", stdout, StringComparison.Ordinal);
        Assert.Contains("acestep-v15-base installed in", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_reports_a_file_changed_after_install_and_exits_5()
    {
        Assert.Equal(ExitCodes.Ok, (await Pull("vae")).ExitCode);
        var weights = Path.Combine(_models, "checkpoints", "vae", "diffusion_pytorch_model.safetensors");
        var bytes = await File.ReadAllBytesAsync(weights);
        bytes[0] ^= 0xFF;
        await File.WriteAllBytesAsync(weights, bytes);

        var (exit, stdout, _) = await Models("verify", "vae", "--json");

        Assert.Equal(ExitCodes.ModelInvalid, exit);
        var problem = JsonNode.Parse(stdout)!["models"]![0]!["problems"]![0]!;
        Assert.Equal("diffusion_pytorch_model.safetensors", (string)problem["path"]!);
        Assert.Equal("wrong-hash", (string)problem["kind"]!);
    }

    [Fact]
    public async Task A_damaged_download_exits_5_and_installs_nothing()
    {
        _hub.Corrupt("vae/diffusion_pytorch_model.safetensors");

        var (exit, _, stderr) = await Pull("vae");

        Assert.Equal(ExitCodes.ModelInvalid, exit);
        Assert.Contains("damaged", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_models, "checkpoints", "vae", "diffusion_pytorch_model.safetensors")));
    }

    [Fact]
    public async Task An_unreachable_hub_exits_6()
    {
        var (exit, _, stderr) = await Models("pull", "vae", "--endpoint", $"http://127.0.0.1:{ProcessRunner.FreeTcpPort()}/", "--retries", "1");

        Assert.Equal(ExitCodes.ModelInstallFailed, exit);
        Assert.Contains("acestep:", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_model_exits_2_and_names_the_known_ones()
    {
        var (exit, _, stderr) = await Pull("acestep-v9");

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("acestep-v15-turbo", stderr, StringComparison.Ordinal);
        Assert.Empty(_hub.Requests);
    }

    [Fact]
    public async Task Remove_deletes_an_installed_model()
    {
        Assert.Equal(ExitCodes.Ok, (await Pull("vae")).ExitCode);

        var (exit, stdout, stderr) = await Models("remove", "vae", "--json");

        Assert.True(exit == ExitCodes.Ok, $"exit {exit}: {stderr}");
        Assert.True((bool)JsonNode.Parse(stdout)!["models"]![0]!["removed"]!);
        Assert.False(Directory.Exists(Path.Combine(_models, "checkpoints", "vae")));
    }
}
