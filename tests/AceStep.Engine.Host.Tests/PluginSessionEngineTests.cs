using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AceStep.Pipes;

namespace AceStep.Engine.Host.Tests;

/// <summary>pluginSession over the real pipe and the control endpoints over real HTTP, in one engine.</summary>
public sealed class PluginSessionEngineTests : IClassFixture<RunningEngine>
{
    private readonly RunningEngine _engine;

    public PluginSessionEngineTests(RunningEngine engine) => _engine = engine;

    private static JsonObject Session(string operation, Guid instance, Action<JsonObject>? more = null)
    {
        var task = new JsonObject { ["taskType"] = "pluginSession", ["operation"] = operation, ["instanceId"] = instance.ToString() };
        more?.Invoke(task);
        return task;
    }

    private static async Task<JsonObject> SendAsync(EnginePipeClient client, JsonObject task, params OutgoingAttachment[] attachments)
    {
        var reply = await client.SendAsync(new PipeRequest([task], attachments.Length > 0 ? attachments : null));
        using (reply)
        {
            Assert.True(reply.Reply.Errors is null, reply.Reply.Errors is { Count: > 0 } e ? e[0].Message : null);
            return Assert.Single(reply.Reply.Data!);
        }
    }

    private async Task<(EnginePipeClient Client, Guid Instance)> OpenAsync()
    {
        var client = await EnginePipeClient.ConnectAsync(_engine.PipeName);
        var instance = Guid.NewGuid();
        await SendAsync(client, Session("open", instance, t => t["hostName"] = "REAPER"));
        return (client, instance);
    }

    private async Task<HttpResponseMessage> PostCommandAsync(Guid instance, string json, string? origin = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/control/{instance}/commands")
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }
        return await _engine.Http.SendAsync(request);
    }

    [Fact]
    public async Task Open_answers_a_control_url_on_the_engine_s_own_http_address()
    {
        await using var client = await EnginePipeClient.ConnectAsync(_engine.PipeName);
        var instance = Guid.NewGuid();

        var item = await SendAsync(client, Session("open", instance));

        Assert.Equal(new Uri(_engine.Host.HttpAddress, $"/control/{instance}").AbsoluteUri, (string?)item["controlUrl"]);
        using var page = await _engine.Http.GetAsync($"/control/{instance}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<canvas id=\"capture-wave\"", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_command_posted_on_the_page_reaches_the_plugin_s_poll_with_its_settings()
    {
        var (client, instance) = await OpenAsync();
        await using var _ = client;
        var poll = SendAsync(client, Session("poll", instance, t => t["waitSeconds"] = 20));

        using var posted = await PostCommandAsync(instance, """{"command":"generate","settings":{"prompt":"slow dub","keyScale":"d minor","bpm":92}}""");

        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.Equal(1, (long)JsonNode.Parse(await posted.Content.ReadAsStringAsync())!["sequence"]!);
        var command = Assert.Single((await poll.WaitAsync(TimeSpan.FromSeconds(15)))["commands"]!.AsArray())!;
        Assert.Equal(("generate", "slow dub", "D minor", 92.0), ((string?)command["command"], (string?)command["settings"]!["prompt"],
            (string?)command["settings"]!["keyScale"], (double)command["settings"]!["bpm"]!));
    }

    [Fact]
    public async Task A_take_handed_over_as_pcm_is_served_as_wav_and_its_url_shows_in_the_view()
    {
        var (client, instance) = await OpenAsync();
        await using var _ = client;
        await SendAsync(client, Session("update", instance, t => t["view"] = JsonNode.Parse("""{"takes":[{"id":"take-1","duration":0.5}]}""")));
        var samples = Enumerable.Range(0, 48_000).Select(i => MathF.Sin(i * 0.05f) * 0.5f).ToArray();
        var id = client.NextAttachmentId();

        var item = await SendAsync(client, Session("putTake", instance, t =>
            {
                t["takeId"] = "take-1";
                t["audio"] = $"attachment:{id}";
            }),
            new OutgoingAttachment(new AttachmentInfo(id, AttachmentInfo.PcmF32, 48_000, 2), Attachments.FromSamples(samples)));

        var audioUrl = new Uri((string)item["audioUrl"]!);
        var wav = await _engine.Http.GetByteArrayAsync(audioUrl.PathAndQuery);
        Assert.Equal("RIFF", Encoding.ASCII.GetString(wav, 0, 4));
        Assert.Equal(44 + 48_000 * 2, wav.Length);   // 24 000 stereo frames of 16-bit samples
        var view = JsonNode.Parse(await _engine.Http.GetStringAsync($"/control/{instance}/view?after=0"))!;
        Assert.Equal(audioUrl.AbsoluteUri, (string?)view["takes"]![0]!["audioUrl"]);
    }

    [Fact]
    public async Task After_close_the_page_says_the_plugin_instance_is_not_connected()
    {
        var (client, instance) = await OpenAsync();
        await using var _ = client;

        await SendAsync(client, Session("close", instance));

        using var page = await _engine.Http.GetAsync($"/control/{instance}");
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Contains("not connected", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var view = await _engine.Http.GetAsync($"/control/{instance}/view");
        Assert.Equal(HttpStatusCode.NotFound, view.StatusCode);
    }

    [Fact]
    public async Task An_update_for_an_instance_that_never_opened_is_refused_saying_to_open_first()
    {
        await using var client = await EnginePipeClient.ConnectAsync(_engine.PipeName);

        var reply = await client.SendAsync([Session("update", Guid.NewGuid(), t => t["view"] = new JsonObject())]);

        var error = Assert.Single(reply.Errors!);
        Assert.Equal("invalidInstanceId", error.Code);
        Assert.Contains("not connected", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_command_with_strength_out_of_range_is_answered_400_with_a_message_in_words()
    {
        var (client, instance) = await OpenAsync();
        await using var _ = client;

        using var response = await PostCommandAsync(instance, """{"command":"settings","settings":{"strength":3}}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("'settings.strength' is 3; it must be from 0 to 1", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"],
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_lego_command_with_an_unknown_part_is_answered_400_in_words_and_never_reaches_the_plugin()
    {
        var (client, instance) = await OpenAsync();
        await using var _ = client;

        // Input tried: Add a Part with the part "kazoo", which is not one of the model's stems.
        using var refused = await PostCommandAsync(instance, """{"command":"generate","settings":{"prompt":"funk","mode":"lego","trackName":"kazoo"}}""");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("The track 'kazoo' is not a stem the model knows", (string?)JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["error"],
            StringComparison.Ordinal);

        // The plugin's next poll sees only the good command that followed, with its part.
        using var accepted = await PostCommandAsync(instance, """{"command":"settings","settings":{"mode":"lego","trackName":"Bass"}}""");
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        var command = Assert.Single((await SendAsync(client, Session("poll", instance, t => t["waitSeconds"] = 1)))["commands"]!.AsArray())!;
        Assert.Equal(("settings", "lego", "bass"), ((string?)command["command"], (string?)command["settings"]!["mode"], (string?)command["settings"]!["trackName"]));
    }

    [Fact]
    public async Task A_command_from_another_site_s_origin_is_refused()
    {
        var (client, instance) = await OpenAsync();
        await using var _ = client;

        using var response = await PostCommandAsync(instance, """{"command":"cancel"}""", origin: "https://evil.example");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task A_request_naming_a_non_loopback_host_is_refused_against_dns_rebinding()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/control");
        request.Headers.Host = "attacker.example";

        using var response = await _engine.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Over_http_the_task_is_refused_as_pipe_only()
    {
        var (status, body, _) = await Requests.PostAsync(_engine.Http, [Session("open", Guid.NewGuid())]);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("named pipe only", (string?)body["errors"]![0]!["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_instance_list_names_open_instances_as_json()
    {
        var (client, instance) = await OpenAsync();
        await using var _ = client;

        var list = JsonNode.Parse(await _engine.Http.GetStringAsync("/control?json"))!;

        Assert.Contains(list["instances"]!.AsArray(), i => (string?)i!["instanceId"] == instance.ToString());
    }

    [Fact]
    public async Task An_unknown_instance_page_is_404_saying_not_connected()
    {
        using var page = await _engine.Http.GetAsync($"/control/{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Contains("This plugin instance is not connected", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_take_sent_with_three_channels_is_refused_as_invalid_audio()
    {
        var (client, instance) = await OpenAsync();
        await using var _ = client;
        var id = client.NextAttachmentId();

        var reply = await client.SendAsync(new PipeRequest([Session("putTake", instance, t =>
            {
                t["takeId"] = "t3";
                t["audio"] = $"attachment:{id}";
            })],
            [new OutgoingAttachment(new AttachmentInfo(id, AttachmentInfo.PcmF32, 48_000, 3), Attachments.FromSamples(new float[300]))]));

        var error = Assert.Single(reply.Reply.Errors!);
        Assert.Equal("invalidAudio", error.Code);
        Assert.Contains("channels 1 or 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_an_api_key_the_instance_list_needs_it_but_the_page_itself_does_not()
    {
        await using var engine = new RunningEngine { ApiKey = "sesame-1234" };
        await engine.InitializeAsync();
        await using var client = await EnginePipeClient.ConnectAsync(engine.PipeName);
        var instance = Guid.NewGuid();
        await SendAsync(client, Session("open", instance));

        using var list = await engine.Http.GetAsync("/control?json");
        using var page = await engine.Http.GetAsync($"/control/{instance}");
        using var keyed = new HttpRequestMessage(HttpMethod.Get, "/control?json");
        keyed.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "sesame-1234");
        using var listWithKey = await engine.Http.SendAsync(keyed);

        Assert.Equal(HttpStatusCode.Unauthorized, list.StatusCode);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(HttpStatusCode.OK, listWithKey.StatusCode);
    }
}
