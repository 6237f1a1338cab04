namespace AceStep.Engine.ModelStore.Tests;

/// <summary>A fake hub, an empty temporary models directory, and the store's parts wired to both.</summary>
public sealed class StoreFixture : IAsyncDisposable
{
    private StoreFixture(FakeHub hub, string root, DownloadOptions download, HubOptions? hubOptions)
    {
        Hub = hub;
        Root = root;
        Http = HubClient.CreateHttpClient();
        Layout = new ModelLayout(root);
        Installer = new ModelInstaller(Layout, new HubClient(Http, hubOptions ?? new HubOptions { Endpoint = hub.BaseAddress }, download));
        Verifier = new ModelVerifier(Layout);
        Inventory = new ModelInventory(Layout);
        Locator = new ModelLocator(Layout);
    }

    public const string Main = "ACE-Step/Ace-Step1.5";
    public const string VaeWeights = "vae/diffusion_pytorch_model.safetensors";

    public FakeHub Hub { get; }

    public string Root { get; }

    public HttpClient Http { get; }

    public ModelLayout Layout { get; }

    public ModelInstaller Installer { get; }

    public ModelVerifier Verifier { get; }

    public ModelInventory Inventory { get; }

    public ModelLocator Locator { get; }

    /// <summary>Fast retries: tests must not sleep through real backoff.</summary>
    public static DownloadOptions FastRetries(int attempts = 4) => new()
    {
        MaxAttempts = attempts,
        FirstRetryDelay = TimeSpan.FromMilliseconds(10),
        MaxRetryDelay = TimeSpan.FromMilliseconds(50),
        ReadIdleTimeout = TimeSpan.FromSeconds(10),
    };

    public static async Task<StoreFixture> StartAsync(DownloadOptions? download = null, Func<Uri, HubOptions>? hubOptions = null)
    {
        var hub = await FakeHub.StartWithOfficialLayoutAsync();
        var root = Path.Combine(Path.GetTempPath(), "acestep-models-" + Guid.NewGuid().ToString("N")[..10]);
        return new StoreFixture(hub, root, download ?? FastRetries(), hubOptions?.Invoke(hub.BaseAddress));
    }

    public string ModelDirectory(string id) => Layout.DirectoryOf(Layout.Catalogue.Get(id));

    public string FileOf(string id, string relative) => Path.Combine(ModelDirectory(id), relative);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Hub.DisposeAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // The test never created it.
        }
    }
}
