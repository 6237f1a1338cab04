using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using AceStep.Audio;
using AceStep.Contracts.Tasks;
using AceStep.Engine.Generation;
using AceStep.Engine.Host.Queue;

namespace AceStep.Engine.Host.Tests;

/// <summary>audioInference through HTTP with a stand-in generator: delivery, polling, cancel, limits.</summary>
public sealed class AudioInferenceHttpTests
{
    private static async Task<RunningEngine> StartAsync(TestGenerator? generator = null, QueueOptions? queue = null, string? apiKey = null)
    {
        var engine = new RunningEngine
        {
            Generator = generator ?? new TestGenerator(),
            Queue = queue ?? new QueueOptions(),
            ApiKey = apiKey,
            MaxRequestBytes = 8 * 1024 * 1024,   // room for data-URI inputs
        };
        await engine.InitializeAsync();
        return engine;
    }

    [Fact]
    public async Task A_sync_request_returns_the_audio_with_its_seed()
    {
        await using var engine = await StartAsync();
        var task = Requests.Inference(t => t["seed"] = 1234);
        var (status, body, _) = await Requests.PostAsync(engine.Http, [task]);

        Assert.Equal(HttpStatusCode.OK, status);
        var item = body["data"]!.AsArray().Single()!.AsObject();
        Assert.Equal((string)task["taskUUID"]!, (string)item["taskUUID"]!);
        Assert.Equal(1234, (long)item["seed"]!);
        Assert.True(Guid.TryParse((string)item["audioUUID"]!, out _));
        var wav = WavFile.Read(new MemoryStream(Convert.FromBase64String((string)item["audioBase64Data"]!)));
        Assert.Equal((48_000, 2), (wav.SampleRate, wav.Channels));
        Assert.Equal(6.0, wav.Duration, 3);
    }

    [Fact]
    public async Task Several_results_use_consecutive_seeds_and_distinct_uuids()
    {
        await using var engine = await StartAsync();
        var (_, body, _) = await Requests.PostAsync(engine.Http, [Requests.Inference(t => { t["seed"] = 2147483647; t["numberResults"] = 3; })]);
        var items = body["data"]!.AsArray().Select(i => i!.AsObject()).ToArray();
        // seed + i wraps in the unsigned 32-bit range.
        Assert.Equal([2147483647L, 2147483648L, 2147483649L], items.Select(i => (long)i["seed"]!));
        Assert.Equal(3, items.Select(i => (string)i["audioUUID"]!).Distinct().Count());
    }

    [Fact]
    public async Task Url_results_are_served_with_their_content_type_and_range_support()
    {
        await using var engine = await StartAsync();
        var (_, body, _) = await Requests.PostAsync(engine.Http, [Requests.Inference(t => t["outputType"] = "URL")]);
        var url = new Uri((string)body["data"]![0]!["audioURL"]!);
        Assert.Equal(engine.Host.HttpAddress.Authority, url.Authority);

        using var whole = await engine.Http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal("audio/wav", whole.Content.Headers.ContentType!.MediaType);
        var bytes = await whole.Content.ReadAsByteArrayAsync();

        using var ranged = new HttpRequestMessage(HttpMethod.Get, url);
        ranged.Headers.Range = new RangeHeaderValue(0, 43);
        using var head = await engine.Http.SendAsync(ranged);
        Assert.Equal(HttpStatusCode.PartialContent, head.StatusCode);
        Assert.Equal(bytes[..44], await head.Content.ReadAsByteArrayAsync());

        // Input: a media name that is not a result file.
        using var missing = await engine.Http.GetAsync("/v1/media/" + Guid.NewGuid() + ".wav");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Theory]
    [InlineData("MP3", "audio/mpeg")]
    [InlineData("FLAC", "audio/flac")]
    [InlineData("OGG", "audio/ogg")]
    public async Task Compressed_formats_come_back_as_data_uris(string format, string mime)
    {
        await using var engine = await StartAsync();
        var (_, body, _) = await Requests.PostAsync(engine.Http, [Requests.Inference(t => { t["outputType"] = "dataURI"; t["outputFormat"] = format; })]);
        var uri = (string)body["data"]![0]!["audioDataURI"]!;
        Assert.StartsWith($"data:{mime};base64,", uri, StringComparison.Ordinal);
        Assert.True(Convert.FromBase64String(uri[(uri.IndexOf(',', StringComparison.Ordinal) + 1)..]).Length > 1000);
    }

    [Fact]
    public async Task Include_cost_prices_seconds_times_steps()
    {
        await using var engine = await StartAsync();
        var (_, body, _) = await Requests.PostAsync(engine.Http, [Requests.Inference(t => { t["includeCost"] = true; t["duration"] = 75; t["steps"] = 120; })]);
        Assert.Equal(0.0058m, (decimal)body["data"]![0]!["cost"]!);
    }

    [Fact]
    public async Task An_async_task_is_acknowledged_at_once_and_polled_to_success()
    {
        var gate = new SemaphoreSlim(0);
        await using var engine = await StartAsync(new TestGenerator { Gate = gate });
        var task = Requests.Inference(t => t["deliveryMethod"] = "async");
        var uuid = (string)task["taskUUID"]!;

        var (status, ack, _) = await Requests.PostAsync(engine.Http, [task]);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal($$"""[{"taskType":"audioInference","taskUUID":"{{uuid}}"}]""", ack["data"]!.ToJsonString());

        var poll = new JsonArray(new JsonObject { ["taskType"] = "getResponse", ["taskUUID"] = uuid });
        var (_, waiting, _) = await Requests.PostAsync(engine.Http, poll.DeepClone().AsArray());
        Assert.Equal("processing", (string)waiting["data"]![0]!["status"]!);

        gate.Release();
        JsonObject done;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        do
        {
            await Task.Delay(50);
            (_, done, _) = await Requests.PostAsync(engine.Http, poll.DeepClone().AsArray());
        }
        while ((string?)done["data"]?[0]?["status"] == "processing" && DateTime.UtcNow < deadline);
        var item = done["data"]![0]!;
        Assert.Equal("success", (string)item["status"]!);
        Assert.NotNull(item["audioBase64Data"]);
    }

    [Fact]
    public async Task Cancel_stops_a_running_and_a_queued_task()
    {
        var gate = new SemaphoreSlim(0);
        await using var engine = await StartAsync(new TestGenerator { Gate = gate });
        var running = Requests.Inference(t => t["deliveryMethod"] = "async");
        var queued = Requests.Inference(t => t["deliveryMethod"] = "async");
        await Requests.PostAsync(engine.Http, [running, queued]);

        foreach (var task in new[] { running, queued })
        {
            var (_, reply, _) = await Requests.PostAsync(engine.Http, [new JsonObject { ["taskType"] = "cancel", ["taskUUID"] = (string)task["taskUUID"]! }]);
            Assert.True((bool)reply["data"]![0]!["cancelled"]!);
        }
        foreach (var task in new[] { running, queued })
        {
            var record = engine.Host.Services<TaskRegistry>().Find(Guid.Parse((string)task["taskUUID"]!))!;
            await record.Finished.WaitAsync(TimeSpan.FromSeconds(10));
            var (_, polled, _) = await Requests.PostAsync(engine.Http, [new JsonObject { ["taskType"] = "getResponse", ["taskUUID"] = (string)task["taskUUID"]! }]);
            Assert.Equal("cancelled", (string)polled["errors"]![0]!["code"]!);
        }
        // Input: cancelling a task nobody submitted.
        var (status, unknown, _) = await Requests.PostAsync(engine.Http, [new JsonObject { ["taskType"] = "cancel", ["taskUUID"] = Guid.NewGuid().ToString() }]);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("taskNotFound", (string)unknown["errors"]![0]!["code"]!);
    }

    [Fact]
    public async Task A_full_queue_answers_429_with_retry_after()
    {
        var gate = new SemaphoreSlim(0);
        await using var engine = await StartAsync(new TestGenerator { Gate = gate }, new QueueOptions { Capacity = 1 });
        await Requests.PostAsync(engine.Http, [Requests.Inference(t => t["deliveryMethod"] = "async")]);  // runs (held at the gate)
        await WaitUntilAsync(() => engine.Host.Services<TaskQueue>().Queued == 0);
        await Requests.PostAsync(engine.Http, [Requests.Inference(t => t["deliveryMethod"] = "async")]);  // fills the one place

        // Input: a third task while one runs and one waits in a queue of capacity 1.
        var (status, body, response) = await Requests.PostAsync(engine.Http, [Requests.Inference(t => t["deliveryMethod"] = "async")]);
        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        var error = body["errors"]![0]!;
        Assert.Equal("queueFull", (string)error["code"]!);
        Assert.True((int)error["retryAfter"]! >= 1);
        Assert.Equal((int)error["retryAfter"]!, (int)response.Headers.RetryAfter!.Delta!.Value.TotalSeconds);
        gate.Release(2);
    }

    [Fact]
    public async Task A_reused_task_uuid_is_a_conflict()
    {
        await using var engine = await StartAsync();
        var task = Requests.Inference();
        await Requests.PostAsync(engine.Http, [task]);
        // Input: the same taskUUID again.
        var (status, body, _) = await Requests.PostAsync(engine.Http, [task.DeepClone()]);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("conflictTaskUUID", (string)body["errors"]![0]!["code"]!);
    }

    [Fact]
    public async Task Without_installed_weights_the_task_is_model_not_found()
    {
        var engine = new RunningEngine { Generator = null };
        await engine.InitializeAsync();
        await using var _ = engine;
        var (status, body, _) = await Requests.PostAsync(engine.Http, [Requests.Inference()]);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = body["errors"]![0]!;
        Assert.Equal("modelNotFound", (string)error["code"]!);
        Assert.Contains(engine.Host.Data.ModelsDirectory, (string)error["message"]!, StringComparison.Ordinal);
        Assert.Contains("acestep models pull acestep-v15-base", (string)error["message"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_generator_failure_is_an_inference_error_and_the_engine_keeps_serving()
    {
        var generator = new TestGenerator { FailWith = new InvalidOperationException("out of memory in the DiT") };
        await using var engine = await StartAsync(generator);
        var (_, body, _) = await Requests.PostAsync(engine.Http, [Requests.Inference()]);
        Assert.Equal("inferenceError", (string)body["errors"]![0]!["code"]!);
        Assert.Contains("out of memory", (string)body["errors"]![0]!["message"]!, StringComparison.Ordinal);

        generator.FailWith = null;
        var (status, _, _) = await Requests.PostAsync(engine.Http, [Requests.Inference()]);
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task A_stem_job_on_a_turbo_checkpoint_is_answered_as_unsupported_task()
    {
        // The generator's typed refusal (a turbo DiT asked for an extract) mapped at the edge, not an inferenceError.
        var generator = new TestGenerator { FailWith = new BaseModelOnlyTaskException(JobKind.Extract, "the loaded DiT") };
        await using var engine = await StartAsync(generator);
        var (_, body, _) = await Requests.PostAsync(engine.Http, [Requests.Inference()]);
        var error = body["errors"]![0]!;
        Assert.Equal(("unsupportedTask", "settings.task"), ((string)error["code"]!, (string)error["parameter"]!));
        Assert.Contains("base model only", (string)error["message"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_lego_task_without_its_track_is_refused_over_http_before_it_runs()
    {
        var generator = new TestGenerator();
        await using var engine = await StartAsync(generator);
        // Input: settings.task "lego" with source audio but no settings.trackName.
        var bad = Requests.Inference(t =>
        {
            t["inputs"] = new JsonObject { ["audio"] = "9b2f4c1e-8d3a-4b5c-a6d7-e8f9a0b1c2d3" };
            t["settings"] = new JsonObject { ["task"] = "lego" };
        });
        var (_, body, _) = await Requests.PostAsync(engine.Http, [bad]);
        Assert.Equal(["missingTrackName"], body["errors"]!.AsArray().Select(e => (string)e!["code"]!));
        Assert.Empty(generator.Started);
    }

    [Fact]
    public async Task Invalid_tasks_report_every_error_and_valid_neighbours_still_run()
    {
        await using var engine = await StartAsync();
        // Input: duration and steps out of range and an unknown field, next to a valid task.
        var bad = Requests.Inference(t => { t["duration"] = 2; t["steps"] = 0; t["colour"] = "blue"; });
        var (status, body, _) = await Requests.PostAsync(engine.Http, [bad, Requests.Inference()]);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Single(body["data"]!.AsArray());
        var codes = body["errors"]!.AsArray().Select(e => (string)e!["code"]!).ToHashSet();
        Assert.Superset(new HashSet<string> { "invalidDuration", "invalidSteps", "unknownParameter" }, codes);
    }

    [Fact]
    public async Task A_sync_wait_past_the_limit_answers_with_progress_and_stays_pollable()
    {
        var gate = new SemaphoreSlim(0);
        await using var engine = await StartAsync(new TestGenerator { Gate = gate }, new QueueOptions { SyncWaitLimit = TimeSpan.FromMilliseconds(300) });
        var task = Requests.Inference();
        var (status, body, _) = await Requests.PostAsync(engine.Http, [task]);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("processing", (string)body["data"]![0]!["status"]!);
        gate.Release();
        var record = engine.Host.Services<TaskRegistry>().Find(Guid.Parse((string)task["taskUUID"]!))!;
        await record.Finished.WaitAsync(TimeSpan.FromSeconds(10));
        var (_, polled, _) = await Requests.PostAsync(engine.Http, [new JsonObject { ["taskType"] = "getResponse", ["taskUUID"] = (string)task["taskUUID"]! }]);
        Assert.Equal("success", (string)polled["data"]![0]!["status"]!);
    }

    [Theory]
    [InlineData(590, -10, null, null)]                           // 10 + 590 = 600 s: at the limit, allowed
    [InlineData(590, -20, null, "invalidRepaintingStart")]       // 20 s before a 590 s source: 610 s
    [InlineData(299, 0, 300.0, null)]                              // 1 s appended: 300 s
    [InlineData(400, -250, 300.0, "invalidRepaintingStart")]       // 250 before + 400: 650 s
    [InlineData(599, 10, 300.0, null)]                             // repaint inside the source: nothing added
    public void A_repaint_may_extend_the_source_only_up_to_600_seconds(double sourceSeconds, double start, double? end, string? code)
    {
        var settings = new JsonObject { ["repaintingStart"] = start };
        if (end is not null)
        {
            settings["repaintingEnd"] = end;
        }
        var task = Requests.Inference(t => { t["inputs"] = new JsonObject { ["audio"] = "data:audio/wav;base64,AAAA" }; t["settings"] = settings; });
        var request = Contracts.Validation.AudioInferenceValidator.Validate(task, Contracts.Validation.TransportKind.Http).Value!;

        var error = Tasks.AudioInferenceHandler.ExtensionError(request, sourceSeconds);
        Assert.Equal(code, error?.Code);
        if (error is not null)
        {
            Assert.Contains("600 s", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Input_audio_as_a_data_uri_reaches_the_model_at_48_khz_stereo()
    {
        var generator = new TestGenerator();
        await using var engine = await StartAsync(generator);
        using var wav = new MemoryStream();
        WavFile.Write(wav, TestGenerator.Sine(220, 6.5, 22_050), WavSampleFormat.Pcm16);
        var task = Requests.Inference(t => t["inputs"] = new JsonObject { ["audio"] = "data:audio/wav;base64," + Convert.ToBase64String(wav.ToArray()) });
        var (status, _, _) = await Requests.PostAsync(engine.Http, [task]);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal((48_000, 2), (generator.LastJob!.Source!.SampleRate, generator.LastJob.Source.Channels));
        Assert.Equal(6.5, generator.LastJob.Source.Duration, 2);
        Assert.Equal(Contracts.Tasks.JobKind.Cover, generator.LastJob.Request.Kind);

        // Input: a data URI whose payload is not audio.
        var garbage = Requests.Inference(t => t["inputs"] = new JsonObject { ["audio"] = "data:audio/wav;base64," + Convert.ToBase64String(new byte[512]) });
        var (badStatus, body, _) = await Requests.PostAsync(engine.Http, [garbage]);
        Assert.Equal(HttpStatusCode.BadRequest, badStatus);
        Assert.Equal("invalidAudio", (string)body["errors"]![0]!["code"]!);
    }

    [Fact]
    public async Task An_extract_without_a_prompt_runs_over_http_and_a_cover_without_one_is_refused()
    {
        var generator = new TestGenerator();
        await using var engine = await StartAsync(generator);
        using var wav = new MemoryStream();
        WavFile.Write(wav, TestGenerator.Sine(220, 6.5, 22_050), WavSampleFormat.Pcm16);
        string audio = "data:audio/wav;base64," + Convert.ToBase64String(wav.ToArray());

        // Input: settings.task "extract" (drums) with source audio and no positivePrompt.
        var extract = Requests.Inference(t =>
        {
            t.Remove("positivePrompt");
            t.Remove("duration");
            t["inputs"] = new JsonObject { ["audio"] = audio };
            t["settings"] = new JsonObject { ["task"] = "extract", ["trackName"] = "drums" };
        });
        var (status, body, _) = await Requests.PostAsync(engine.Http, [extract]);
        Assert.True(status == HttpStatusCode.OK, body.ToJsonString());
        Assert.Equal((Contracts.Tasks.JobKind.Extract, ""), (generator.LastJob!.Request.Kind, generator.LastJob.Request.PositivePrompt));

        // Input: the same source as a cover (no settings.task) without positivePrompt: the seed document's rule holds.
        var cover = Requests.Inference(t => { t.Remove("positivePrompt"); t.Remove("duration"); t["inputs"] = new JsonObject { ["audio"] = audio }; });
        var (coverStatus, coverBody, _) = await Requests.PostAsync(engine.Http, [cover]);
        Assert.Equal(HttpStatusCode.BadRequest, coverStatus);
        Assert.Equal(["missingPositivePrompt"], coverBody["errors"]!.AsArray().Select(e => (string)e!["code"]!));
    }

    [Fact]
    public async Task With_an_api_key_requests_need_it_as_bearer_or_authentication_task()
    {
        await using var engine = await StartAsync(apiKey: "s3cret");
        JsonArray Ping() => [new JsonObject { ["taskType"] = "ping" }];

        // Input: no key, then a wrong Bearer key.
        Assert.Equal(HttpStatusCode.Unauthorized, (await Requests.PostAsync(engine.Http, Ping())).Status);
        var (status, body, _) = await Requests.PostAsync(engine.Http, Ping(), bearer: "guess");
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("invalidApiKey", (string)body["errors"]![0]!["code"]!);

        Assert.Equal(HttpStatusCode.OK, (await Requests.PostAsync(engine.Http, Ping(), bearer: "s3cret")).Status);
        var withTask = new JsonArray(new JsonObject { ["taskType"] = "authentication", ["apiKey"] = "s3cret" }, new JsonObject { ["taskType"] = "ping" });
        var (okStatus, okBody, _) = await Requests.PostAsync(engine.Http, withTask);
        Assert.Equal(HttpStatusCode.OK, okStatus);
        Assert.Equal(2, okBody["data"]!.AsArray().Count);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        Assert.True(condition());
    }
}
