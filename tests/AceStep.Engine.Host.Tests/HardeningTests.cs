using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using AceStep.Engine.Host.Delivery;
using AceStep.Engine.Host.Http;
using AceStep.Pipes;

namespace AceStep.Engine.Host.Tests;

/// <summary>
/// What a hostile or careless local client sends (issue 17): bodies the JSON reader must refuse with a reason instead
/// of a 500 or silence, requests addressed to another host name (DNS rebinding), and the files other users must not read.
/// </summary>
public sealed class HardeningTests : IClassFixture<RunningEngine>
{
    private readonly RunningEngine _engine;

    public HardeningTests(RunningEngine engine) => _engine = engine;

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>A prompt of an otherwise valid audioInference task with <paramref name="promptBytes"/> spliced in raw.</summary>
    private static byte[] InferenceWithRawPrompt(byte[] promptBytes)
    {
        var before = Utf8("""[{"taskType":"audioInference","taskUUID":"6f1d2a6e-3b7c-4d8e-9f00-112233445566","model":"runware:ace-step@v1.5-base","duration":6,"positivePrompt":"warm """);
        var after = Utf8(""" synth-pop"}]""");
        return [.. before, .. promptBytes, .. after];
    }

    public static TheoryData<string, byte[], string> BadBodies => new()
    {
        { "duplicate key", Utf8("""[{"taskType":"ping","taskType":"x"}]"""), "appears twice" },
        { "duplicate key spelt with an escape", Utf8("""[{"taskType":"ping","task\u0054ype":"x"}]"""), "appears twice" },
        { "invalid UTF-8 in the body", [(byte)'[', 0xFF, 0xFE, (byte)']'], "not valid UTF-8" },
        { "invalid UTF-8 in a key", [.. Utf8("[{\""), 0xC3, 0x28, .. Utf8("\":1}]")], "not valid UTF-8" },
        { "invalid UTF-8 inside a prompt", InferenceWithRawPrompt([0xED, 0xA0, 0x80]), "not valid UTF-8" },
        { "an escaped lone surrogate inside a prompt", InferenceWithRawPrompt(Utf8("""\ud800""")), "lone UTF-16 surrogate" },
        { "an escaped lone surrogate in a key", Utf8("""[{"\udc00":1}]"""), "lone UTF-16 surrogate" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_body_the_json_reader_refuses_is_400_invalidRequest_with_the_reason(string input, byte[] body, string reason)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await _engine.Http.PostAsync("/v1", content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{input}: {(int)response.StatusCode} {text}");
        var error = JsonNode.Parse(text)!["errors"]!.AsArray().Single()!;
        Assert.Equal("invalidRequest", (string)error["code"]!);
        Assert.Contains(reason, (string)error["message"]!, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_pipe_request_the_json_reader_refuses_gets_a_fatal_not_silence(string input, byte[] tasks, string reason)
    {
        byte[] frame = [.. Utf8("""{"type":"request","id":7,"tasks":"""), .. tasks, .. Utf8("}")];
        await using var pipe = new System.IO.Pipes.NamedPipeClientStream(".", _engine.PipeName, System.IO.Pipes.PipeDirection.InOut,
            System.IO.Pipes.PipeOptions.Asynchronous | System.IO.Pipes.PipeOptions.CurrentUserOnly);
        await pipe.ConnectAsync(5000);
        using var writer = new FrameWriter(pipe);
        var reader = new FrameReader(pipe);
        await writer.WriteAsync(FrameKind.Hello, Handshake.HelloPayload(), CancellationToken.None);
        using (var welcome = await reader.ReadAsync(CancellationToken.None))
        {
            Assert.Equal(FrameKind.Welcome, welcome!.Kind);
        }
        await writer.WriteAsync(FrameKind.Json, frame, CancellationToken.None);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var answer = await reader.ReadAsync(timeout.Token);
        Assert.True(answer is { Kind: FrameKind.Fatal }, $"{input}: no Fatal frame");
        var fatal = Handshake.ReadFatal(answer.Payload.Span);
        Assert.Equal(PipeProtocolException.MalformedMessage, fatal.Code);
        Assert.Contains(reason, fatal.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("application/jsonx", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("application/json; charset=latin1", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("application/json", HttpStatusCode.OK)]
    [InlineData("Application/JSON; charset=UTF-8", HttpStatusCode.OK)]
    public async Task Only_json_in_utf8_is_read_as_json(string contentType, HttpStatusCode expected)
    {
        using var content = new ByteArrayContent(Utf8("""[{"taskType":"ping"}]"""));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        using var response = await _engine.Http.PostAsync("/v1", content);
        Assert.Equal(expected, response.StatusCode);
    }

    private async Task<(HttpStatusCode Status, string Body)> PingAsAsync(HttpClient http, string? host, string? origin, string? bearer = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1") { Content = new StringContent("""[{"taskType":"ping"}]""", Encoding.UTF8, "application/json") };
        if (host is not null)
        {
            request.Headers.Host = host;
        }
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("attacker.example", null, HttpStatusCode.Forbidden)]          // DNS rebinding: the page's own name
    [InlineData("127.0.0.1.nip.io", null, HttpStatusCode.Forbidden)]
    [InlineData(null, "http://attacker.example", HttpStatusCode.Forbidden)]   // a page on another site posting here
    [InlineData(null, "null", HttpStatusCode.Forbidden)]                      // a sandboxed frame or a file:// page
    [InlineData("localhost", null, HttpStatusCode.OK)]
    [InlineData("[::1]", null, HttpStatusCode.OK)]
    [InlineData(null, "http://localhost:3000", HttpStatusCode.OK)]            // a local development page
    public async Task Without_a_key_the_task_api_answers_only_loopback_names(string? host, string? origin, HttpStatusCode expected)
    {
        var (status, body) = await PingAsAsync(_engine.Http, host is null ? null : $"{host}:{_engine.Host.HttpAddress.Port}", origin);
        Assert.Equal(expected, status);
        if (expected == HttpStatusCode.Forbidden)
        {
            Assert.Equal("invalidRequest", (string)JsonNode.Parse(body)!["errors"]![0]!["code"]!);
        }
    }

    [Fact]
    public async Task With_a_key_any_host_name_is_served_to_whoever_shows_the_key()
    {
        await using var keyed = new RunningEngine { ApiKey = "sesame-4321" };
        await keyed.InitializeAsync();
        Assert.Equal(HttpStatusCode.OK, (await PingAsAsync(keyed.Http, "engine.lan", null, "sesame-4321")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PingAsAsync(keyed.Http, "engine.lan", null)).Status);
    }

    [Fact]
    public async Task An_allowed_host_name_is_served_without_a_key()
    {
        await using var engine = new RunningEngine { Tweak = o => o with { AllowedHosts = ["studio.local"] } };
        await engine.InitializeAsync();
        Assert.Equal(HttpStatusCode.OK, (await PingAsAsync(engine.Http, "studio.local", null)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await PingAsAsync(engine.Http, "other.local", null)).Status);
    }

    [Theory]
    [InlineData("http://0.0.0.0:8001", false)]
    [InlineData("http://*:8001", false)]
    [InlineData("http://+:8001", false)]
    [InlineData("http://[::]:8001", false)]
    [InlineData("http://192.168.1.20:8001", false)]
    [InlineData("http://127.0.0.1:8001", true)]
    [InlineData("http://127.0.0.2:0", true)]
    [InlineData("http://[::1]:8001", true)]
    [InlineData("http://localhost:8001", true)]
    public void Which_listen_addresses_count_as_loopback_only(string url, bool loopback) =>
        Assert.Equal(loopback, HostNames.ListensOnLoopbackOnly(url));

    [Fact]
    public async Task Listening_on_every_interface_without_a_key_is_refused_at_start()
    {
        // Input: --http-url http://0.0.0.0:… with no API key. Nothing is bound: the check comes first.
        var options = _engine.Options with { HttpUrl = "http://0.0.0.0:0", PipeName = "acestep-test-" + Guid.NewGuid().ToString("N")[..10] };
        var ex = await Assert.ThrowsAsync<EngineStartupException>(() => EngineHost.StartAsync(options, logging: _ => { }));
        Assert.Contains("--api-key", ex.Message, StringComparison.Ordinal);
        Assert.Contains("0.0.0.0", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_media_url_answers_head_and_upper_case_uuids()
    {
        var uuid = Guid.NewGuid();
        await _engine.Host.Services<MediaFiles>().SaveAsync(uuid, "wav", new byte[1234], TimeSpan.FromMinutes(5), CancellationToken.None);
        using (var head = await _engine.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v1/media/{uuid}.wav")))
        {
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Equal(1234, head.Content.Headers.ContentLength);
        }
        using var upper = await _engine.Http.GetAsync($"/v1/media/{uuid.ToString().ToUpperInvariant()}.WAV");
        Assert.Equal(HttpStatusCode.OK, upper.StatusCode);
        Assert.Equal(1234, (await upper.Content.ReadAsByteArrayAsync()).Length);
    }

    [Fact]
    public async Task The_data_directory_job_store_and_media_are_private_to_the_user()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        var uuid = Guid.NewGuid();
        var name = await _engine.Host.Services<MediaFiles>().SaveAsync(uuid, "wav", new byte[16], TimeSpan.FromMinutes(5), CancellationToken.None);
        var path = Path.Combine(_engine.Host.Data.MediaDirectory, name);
        const UnixFileMode dir = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        const UnixFileMode file = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        Assert.Equal(dir, File.GetUnixFileMode(_engine.Host.Data.Root));
        Assert.Equal(dir, File.GetUnixFileMode(_engine.Host.Data.MediaDirectory));
        Assert.Equal(file, File.GetUnixFileMode(_engine.Host.Data.DatabasePath));
        Assert.Equal(file, File.GetUnixFileMode(path));
    }

    [Fact]
    public async Task An_undecodable_input_is_invalid_audio_without_the_engines_temp_paths()
    {
        // Input: 4 KiB of random bytes uploaded as audio.
        var garbage = new byte[4096];
        new Random(17).NextBytes(garbage);
        var (status, body, _) = await Requests.PostAsync(_engine.Http,
            [new JsonObject { ["taskType"] = "mediaStorage", ["operation"] = "upload", ["media"] = Convert.ToBase64String(garbage) }]);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = body["errors"]![0]!;
        Assert.Equal("invalidAudio", (string)error["code"]!);
        Assert.DoesNotContain(Path.GetTempPath(), (string)error["message"]!, StringComparison.Ordinal);
        Assert.DoesNotContain("acestep-", (string)error["message"]!, StringComparison.Ordinal);
    }
}
