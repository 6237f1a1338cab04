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
    public async Task Input_audio_and_uploads_can_come_from_an_http_url()
    {
        var generator = new TestGenerator();
        await using var engine = await StartAsync(generator);
        // A URL result of this engine serves as a remote file: real HTTP, loopback only.
        var (_, first, _) = await Requests.PostAsync(engine.Http, [Requests.Inference(t => { t["outputType"] = "URL"; t["duration"] = 7.5; })]);
        var url = (string)first["data"]![0]!["audioURL"]!;

        var (status, _, _) = await Requests.PostAsync(engine.Http, [Requests.Inference(t => t["inputs"] = new JsonObject { ["audio"] = url })]);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(7.5, generator.LastJob!.Source!.Duration, 2);

        var (uploaded, body, _) = await Requests.PostAsync(engine.Http,
            [new JsonObject { ["taskType"] = "mediaStorage", ["operation"] = "upload", ["media"] = url }]);
        Assert.Equal(HttpStatusCode.OK, uploaded);
        Assert.NotNull(body["data"]![0]!["mediaUUID"]);

        // Input: a URL on this engine that does not exist (404), and a port nothing listens on.
        var missing = new Uri(new Uri(url), "/v1/media/" + Guid.NewGuid() + ".wav").ToString();
        var (_, notFound, _) = await Requests.PostAsync(engine.Http, [Requests.Inference(t => t["inputs"] = new JsonObject { ["audio"] = missing })]);
        Assert.Equal("mediaNotFound", (string)notFound["errors"]![0]!["code"]!);
        var refused = $"http://127.0.0.1:{FreePort()}/song.wav";
        var (_, unreachable, _) = await Requests.PostAsync(engine.Http, [Requests.Inference(t => t["inputs"] = new JsonObject { ["audio"] = refused })]);
        Assert.Equal("invalidAudio", (string)unreachable["errors"]![0]!["code"]!);
        Assert.Equal("inputs.audio", (string)unreachable["errors"]![0]!["parameter"]!);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public async Task An_earlier_result_and_raw_base64_work_as_input_audio()
    {
        var generator = new TestGenerator();
        await using var engine = await StartAsync(generator);
        var (_, first, _) = await Requests.PostAsync(engine.Http, [Requests.Inference(t => { t["outputType"] = "URL"; t["duration"] = 8; })]);
        var audioUuid = (string)first["data"]![0]!["audioUUID"]!;
        Assert.Equal(HttpStatusCode.OK, (await Requests.PostAsync(engine.Http, [Requests.Inference(t => t["inputs"] = new JsonObject { ["audio"] = audioUuid })])).Status);
        Assert.Equal(8, generator.LastJob!.Source!.Duration, 2);

        var base64 = WavDataUri(6.75)["data:audio/wav;base64,".Length..];
        Assert.Equal(HttpStatusCode.OK, (await Requests.PostAsync(engine.Http, [Requests.Inference(t => t["inputs"] = new JsonObject { ["audio"] = base64 })])).Status);
        Assert.Equal(6.75, generator.LastJob.Source.Duration, 2);
    }

    [Theory]
    [InlineData(20)]    // cut inside the WAV header
    [InlineData(44)]    // a header announcing data that never comes
    public async Task A_truncated_input_is_invalid_audio_with_the_decoders_reason(int keptBytes)
    {
        await using var engine = await StartAsync();
        var whole = Convert.FromBase64String(WavDataUri(6.5)["data:audio/wav;base64,".Length..]);
        var cut = "data:audio/wav;base64," + Convert.ToBase64String(whole[..keptBytes]);
        var (status, body, _) = await Requests.PostAsync(engine.Http, [Requests.Inference(t => t["inputs"] = new JsonObject { ["audio"] = cut })]);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalidAudio", (string)body["errors"]![0]!["code"]!);
        Assert.False(string.IsNullOrWhiteSpace((string)body["errors"]![0]!["message"]!));
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

/// <summary>Storage bounds, pricing and what FFmpeg reports about delivered files.</summary>
public sealed class MediaLimitsTests
{
    [Fact]
    public async Task A_full_media_quota_refuses_new_files_clearly_and_leaves_nothing_behind()
    {
        // Input: a 1 MB quota and two 6 s 48 kHz stereo 24-bit WAV results (about 1.7 MB each).
        var engine = new RunningEngine { Generator = new TestGenerator(), Tweak = o => o with { MediaQuotaBytes = 1024 * 1024 } };
        await engine.InitializeAsync();
        await using var _ = engine;
        var (status, body, _) = await Requests.PostAsync(engine.Http, [Requests.Inference(t => t["outputType"] = "URL")]);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = body["errors"]![0]!;
        Assert.Equal("storageFull", (string)error["code"]!);
        Assert.Contains("--media-quota-mb", (string)error["message"]!, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(engine.Host.Data.MediaDirectory));
    }

    [Fact]
    public async Task The_price_model_is_configurable()
    {
        var engine = new RunningEngine { Generator = new TestGenerator(), Tweak = o => o with { PricePerSecondStep = 1e-5m } };
        await engine.InitializeAsync();
        await using var _ = engine;
        var (_, body, _) = await Requests.PostAsync(engine.Http, [Requests.Inference(t => { t["includeCost"] = true; t["duration"] = 10; t["steps"] = 20; })]);
        Assert.Equal(0.002m, (decimal)body["data"]![0]!["cost"]!);
    }

    [Theory]
    [InlineData("MP3", 22_050, 1, 64)]
    [InlineData("MP3", 48_000, 2, 320)]
    [InlineData("OGG", 16_000, 1, 48)]
    [InlineData("OGG", 48_000, 2, 192)]
    public async Task Delivered_files_have_the_asked_sample_rate_channels_and_bitrate(string format, int rate, int channels, int kbps)
    {
        var engine = new RunningEngine { Generator = new TestGenerator(), MaxRequestBytes = 8 * 1024 * 1024 };
        await engine.InitializeAsync();
        await using var _ = engine;
        var (_, body, _) = await Requests.PostAsync(engine.Http, [Requests.Inference(t =>
        {
            t["outputFormat"] = format;
            t["duration"] = 10;
            t["audioSettings"] = new JsonObject { ["sampleRate"] = rate, ["channels"] = channels, ["bitrate"] = kbps };
        })]);
        var path = Path.Combine(Path.GetTempPath(), $"acestep-probe-{Guid.NewGuid():N}.{format.ToLowerInvariant()}");
        await File.WriteAllBytesAsync(path, Convert.FromBase64String((string)body["data"]![0]!["audioBase64Data"]!));
        try
        {
            var info = await new AceStep.Engine.Media.AudioCodec(AceStep.Engine.Media.FfmpegInstallation.Locate()).ProbeAsync(path, CancellationToken.None);
            Assert.Equal((rate, channels), (info.SampleRate, info.Channels));
            Assert.InRange(info.Duration.TotalSeconds, 9.9, 10.2);
            // Vorbis is VBR around the nominal rate; LAME CBR is exact up to framing.
            Assert.InRange(info.BitrateKbps!.Value, kbps * (format == "OGG" ? 0.6 : 0.9), kbps * (format == "OGG" ? 1.4 : 1.1));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
