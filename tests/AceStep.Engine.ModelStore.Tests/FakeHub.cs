using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AceStep.Engine.ModelStore.Tests;

/// <summary>A request as the fake hub saw it.</summary>
public sealed record HubRequest(string Path, string? Range, string? Authorization);

/// <summary>
/// A small fake of the Hugging Face hub on 127.0.0.1 (Kestrel, a free port): the revision and tree API calls and the
/// resolve downloads, with Range support and switchable faults (dropped connections, wrong bytes, ignored ranges).
/// Repositories hold tiny files in the official layout.
/// </summary>
public sealed class FakeHub : IAsyncDisposable
{
    public const string Revision = "5f0c1f2b9d3e4a6b8c7d0e1f2a3b4c5d6e7f8091";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, (byte[] Content, bool Lfs)> _files = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<HubRequest> _requests = new();
    private readonly ConcurrentDictionary<string, long> _dropAfter = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _dropTimes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _corrupt = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _ignoreRange = new(StringComparer.Ordinal);
    private int _failNext;

    private FakeHub(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Tree listings come in pages of this many entries (0: one page).</summary>
    public int PageSize { get; set; }

    public IReadOnlyList<HubRequest> Requests => [.. _requests];

    public IReadOnlyList<HubRequest> Downloads(string repoPath) =>
        [.. _requests.Where(r => r.Path.EndsWith("/" + repoPath, StringComparison.Ordinal) && r.Path.Contains("/resolve/", StringComparison.Ordinal))];

    /// <summary>A fake with the main repository's vae/ and Qwen3 folders (plus another folder) and the base repository.</summary>
    public static async Task<FakeHub> StartWithOfficialLayoutAsync()
    {
        var hub = await StartAsync();
        const string main = "ACE-Step/Ace-Step1.5";
        hub.Add(main, ".gitattributes", "*.safetensors filter=lfs\n", lfs: false);
        hub.Add(main, "README.md", "# ACE-Step 1.5\n", lfs: false);
        hub.Add(main, "vae/config.json", """{"_class_name":"AutoencoderOobleck","sampling_rate":48000}""", lfs: false);
        hub.Add(main, "vae/diffusion_pytorch_model.safetensors", Random(3 * 1024 * 1024 + 17, seed: 1), lfs: true);
        hub.Add(main, "acestep-v15-turbo/config.json", """{"is_turbo":true}""", lfs: false);
        hub.Add(main, "acestep-v15-turbo/model.safetensors", Random(4096, seed: 2), lfs: true);
        hub.Add(main, "acestep-v15-turbo/silence_latent.pt", Random(2048, seed: 3), lfs: true);
        const string baseRepo = "ACE-Step/acestep-v15-base";
        hub.Add(baseRepo, ".gitattributes", "*.pt filter=lfs\n", lfs: false);
        hub.Add(baseRepo, "config.json", """{"is_turbo":false}""", lfs: false);
        hub.Add(baseRepo, "modeling_acestep_v15_base.py", "# model code\n", lfs: false);
        hub.Add(baseRepo, "model.safetensors", Random(1024 * 1024, seed: 4), lfs: true);
        hub.Add(baseRepo, "silence_latent.pt", Random(9000, seed: 5), lfs: true);
        return hub;
    }

    public static byte[] Random(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    public byte[] Content(string repository, string path) => _files[repository + "/" + path].Content;

    public void Add(string repository, string path, string text, bool lfs) => Add(repository, path, Encoding.UTF8.GetBytes(text), lfs);

    public void Add(string repository, string path, byte[] content, bool lfs) => _files[repository + "/" + path] = (content, lfs);

    /// <summary>The next <paramref name="times"/> downloads of the file stop after <paramref name="bytes"/> bytes: the connection is cut.</summary>
    public void DropAfter(string repoPath, long bytes, int times = 1)
    {
        _dropAfter[repoPath] = bytes;
        _dropTimes[repoPath] = times;
    }

    /// <summary>The file is served with the right length and wrong bytes.</summary>
    public void Corrupt(string repoPath, bool on = true) => _corrupt[repoPath] = on;

    /// <summary>Range headers for the file are ignored: the whole file comes back with 200.</summary>
    public void IgnoreRange(string repoPath) => _ignoreRange[repoPath] = true;

    /// <summary>The next <paramref name="count"/> requests of any kind get 503.</summary>
    public void FailNext(int count) => Volatile.Write(ref _failNext, count);

    public static async Task<FakeHub> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(1));
        var app = builder.Build();
        var hub = new FakeHub(app);
        app.Run(hub.HandleAsync);
        await app.StartAsync();
        hub.BaseAddress = new Uri(app.Urls.Single().TrimEnd('/') + "/");
        Assert.True(IPAddress.IsLoopback(IPAddress.Parse(hub.BaseAddress.Host)));
        return hub;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = Uri.UnescapeDataString(context.Request.Path.Value ?? "").TrimStart('/');
        _requests.Enqueue(new HubRequest(path, context.Request.Headers.Range.ToString() is { Length: > 0 } r ? r : null,
            context.Request.Headers.Authorization.ToString() is { Length: > 0 } a ? a : null));
        if (Interlocked.Decrement(ref _failNext) >= 0)
        {
            context.Response.StatusCode = 503;
            return;
        }
        var segments = path.Split('/');
        try
        {
            if (segments is ["api", "models", var owner, var name, "revision", _])
            {
                await Json(context, Repository(owner, name) is { } repo
                    ? new JsonObject { ["id"] = repo, ["sha"] = Revision }
                    : null);
            }
            else if (segments is ["api", "models", var owner2, var name2, "tree", _, ..])
            {
                await TreeAsync(context, owner2 + "/" + name2, string.Join('/', segments[6..]));
            }
            else if (segments.Length > 4 && segments[2] == "resolve")
            {
                await ResolveAsync(context, segments[0] + "/" + segments[1], string.Join('/', segments[4..]));
            }
            else
            {
                context.Response.StatusCode = 404;
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // The client went away.
        }
    }

    private string? Repository(string owner, string name)
    {
        var repo = owner + "/" + name;
        return _files.Keys.Any(k => k.StartsWith(repo + "/", StringComparison.Ordinal)) ? repo : null;
    }

    private static async Task Json(HttpContext context, JsonNode? body)
    {
        if (body is null)
        {
            context.Response.StatusCode = 404;
            await context.Response.WriteAsync("""{"error":"Repository not found"}""");
            return;
        }
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString());
    }

    private async Task TreeAsync(HttpContext context, string repo, string folder)
    {
        if (Repository(repo.Split('/')[0], repo.Split('/')[1]) is null)
        {
            await Json(context, null);
            return;
        }
        var prefix = repo + "/" + (folder.Length > 0 ? folder.TrimEnd('/') + "/" : "");
        var entries = new List<JsonObject>();
        var directories = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (key, (content, lfs)) in _files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            if (!key.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }
            var path = key[(repo.Length + 1)..];
            if (path.Contains('/', StringComparison.Ordinal))
            {
                directories.Add(path[..path.LastIndexOf('/')]);
            }
            var pointer = Encoding.ASCII.GetBytes($"version https://git-lfs.github.com/spec/v1\noid sha256:{Sha256(content)}\nsize {content.Length}\n");
            var entry = new JsonObject
            {
                ["type"] = "file",
                ["oid"] = GitBlobId(lfs ? pointer : content),
                ["size"] = lfs ? pointer.Length : content.Length,
                ["path"] = path,
            };
            if (lfs)
            {
                entry["lfs"] = new JsonObject { ["oid"] = Sha256(content), ["size"] = content.Length, ["pointerSize"] = pointer.Length };
            }
            entries.Add(entry);
        }
        foreach (var directory in directories)
        {
            entries.Insert(0, new JsonObject { ["type"] = "directory", ["oid"] = new string('d', 40), ["size"] = 0, ["path"] = directory });
        }
        var start = int.TryParse(context.Request.Query["cursor"], out var cursor) ? cursor : 0;
        var count = PageSize > 0 ? PageSize : entries.Count;
        var page = entries.Skip(start).Take(count).ToList();
        if (start + count < entries.Count)
        {
            var next = new Uri(BaseAddress, context.Request.Path.Value!.TrimStart('/') + $"?recursive=true&cursor={start + count}");
            context.Response.Headers.Link = $"<{next.AbsoluteUri}>; rel=\"next\"";
        }
        await Json(context, new JsonArray([.. page]));
    }

    private async Task ResolveAsync(HttpContext context, string repo, string path)
    {
        if (!_files.TryGetValue(repo + "/" + path, out var file))
        {
            context.Response.StatusCode = 404;
            return;
        }
        var content = file.Content;
        if (_corrupt.TryGetValue(path, out var corrupt) && corrupt)
        {
            content = [.. content];
            content[content.Length / 2] ^= 0xFF;
        }
        long from = 0;
        var range = context.Request.Headers.Range.ToString();
        if (range.StartsWith("bytes=", StringComparison.Ordinal) && !_ignoreRange.ContainsKey(path))
        {
            from = long.Parse(range["bytes=".Length..].TrimEnd('-'), System.Globalization.CultureInfo.InvariantCulture);
            if (from >= content.Length)
            {
                context.Response.StatusCode = 416;
                return;
            }
            context.Response.StatusCode = 206;
            context.Response.Headers.ContentRange = $"bytes {from}-{content.Length - 1}/{content.Length}";
        }
        context.Response.ContentLength = content.Length - from;
        context.Response.ContentType = "application/octet-stream";
        context.Response.Headers["X-Repo-Commit"] = Revision;
        var body = content.AsMemory((int)from);
        if (_dropAfter.TryGetValue(path, out var dropAt) && _dropTimes.AddOrUpdate(path, 0, (_, n) => n - 1) >= 0 && dropAt < body.Length)
        {
            await context.Response.Body.WriteAsync(body[..(int)dropAt]);
            await context.Response.Body.FlushAsync();
            await Task.Delay(50);
            context.Abort();   // the connection drops mid-file
            return;
        }
        await context.Response.Body.WriteAsync(body);
    }

    public static string GitBlobId(byte[] content)
    {
        var header = Encoding.ASCII.GetBytes($"blob {content.Length}\0");
#pragma warning disable CA5350 // git names blobs by SHA-1; this reproduces that, it protects nothing
        return Convert.ToHexStringLower(SHA1.HashData([.. header, .. content]));
#pragma warning restore CA5350
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
