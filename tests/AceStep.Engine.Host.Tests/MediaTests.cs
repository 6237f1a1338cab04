using System.Net;
using System.Text.Json.Nodes;
using AceStep.Audio;
using AceStep.Engine.Host.Storage;
using Microsoft.Extensions.Time.Testing;

namespace AceStep.Engine.Host.Tests;

/// <summary>mediaStorage uploads and deletes, and the ttl of URL results, with a clock the test controls.</summary>
public sealed class MediaTests
{
    private static string WavDataUri(double seconds, int rate = 16_000)
    {
        using var wav = new MemoryStream();
        WavFile.Write(wav, TestGenerator.Sine(330, seconds, rate), WavSampleFormat.Pcm16);
        return "data:audio/wav;base64," + Convert.ToBase64String(wav.ToArray());
    }

    private static async Task<RunningEngine> StartAsync(TestGenerator? generator = null, TimeProvider? clock = null)
    {
        var engine = new RunningEngine { Generator = generator ?? new TestGenerator(), Clock = clock, MaxRequestBytes = 8 * 1024 * 1024 };
        await engine.InitializeAsync();
        return engine;
    }

    [Fact]
    public async Task An_uploaded_audio_is_served_and_usable_as_input_until_deleted()
    {
        var generator = new TestGenerator();
        await using var engine = await StartAsync(generator);
        var (status, body, _) = await Requests.PostAsync(engine.Http,
            [new JsonObject { ["taskType"] = "mediaStorage", ["operation"] = "upload", ["media"] = WavDataUri(6.25) }]);
        Assert.Equal(HttpStatusCode.OK, status);
        var uuid = (string)body["data"]![0]!["mediaUUID"]!;
        using (var file = await engine.Http.GetAsync(new Uri((string)body["data"]![0]!["mediaURL"]!).PathAndQuery))
        {
            Assert.Equal("audio/flac", file.Content.Headers.ContentType!.MediaType);
        }

        var (used, _, _) = await Requests.PostAsync(engine.Http, [Requests.Inference(t => t["inputs"] = new JsonObject { ["audio"] = uuid })]);
        Assert.Equal(HttpStatusCode.OK, used);
        Assert.Equal(6.25, generator.LastJob!.Source!.Duration, 2);

        JsonArray Delete() => [new JsonObject { ["taskType"] = "mediaStorage", ["operation"] = "delete", ["media"] = uuid }];
        Assert.Equal(HttpStatusCode.OK, (await Requests.PostAsync(engine.Http, Delete())).Status);
        // Input: deleting the same media twice, then using it.
        var (again, gone, _) = await Requests.PostAsync(engine.Http, Delete());
        Assert.Equal(HttpStatusCode.BadRequest, again);
        Assert.Equal("mediaNotFound", (string)gone["errors"]![0]!["code"]!);
        var (_, missing, _) = await Requests.PostAsync(engine.Http, [Requests.Inference(t => t["inputs"] = new JsonObject { ["audio"] = uuid })]);
        Assert.Equal("mediaNotFound", (string)missing["errors"]![0]!["code"]!);
    }

    [Fact]
    public async Task An_upload_that_is_not_audio_is_refused_and_nothing_is_stored()
    {
        await using var engine = await StartAsync();
        // Input: 600 bytes of zeros as base64.
        var (status, body, _) = await Requests.PostAsync(engine.Http,
            [new JsonObject { ["taskType"] = "mediaStorage", ["operation"] = "upload", ["media"] = Convert.ToBase64String(new byte[600]) }]);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalidAudio", (string)body["errors"]![0]!["code"]!);
        Assert.Equal("media", (string)body["errors"]![0]!["parameter"]!);
        Assert.Empty(Directory.GetFiles(engine.Host.Data.MediaDirectory));
    }

    [Fact]
    public async Task A_url_result_expires_after_its_ttl_and_its_file_is_deleted()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var engine = await StartAsync(clock: clock);
        var (_, body, _) = await Requests.PostAsync(engine.Http, [Requests.Inference(t => { t["outputType"] = "URL"; t["ttl"] = 60; })]);
        var path = new Uri((string)body["data"]![0]!["audioURL"]!).PathAndQuery;
        var file = Path.Combine(engine.Host.Data.MediaDirectory, path[(path.LastIndexOf('/') + 1)..]);

        clock.Advance(TimeSpan.FromSeconds(59));
        using (var alive = await engine.Http.GetAsync(path))
        {
            Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        }
        clock.Advance(TimeSpan.FromSeconds(2));
        using (var expired = await engine.Http.GetAsync(path))
        {
            Assert.Equal(HttpStatusCode.NotFound, expired.StatusCode);
        }
        Assert.True(File.Exists(file));
        Assert.Equal(1, engine.Host.Services<Sweeper>().SweepOnce().Media);
        Assert.False(File.Exists(file));
    }
}
