using System.Text.Json.Nodes;
using AceStep.Audio;
using AceStep.Engine.Host.Queue;
using AceStep.Pipes;

namespace AceStep.Engine.Host.Tests;

/// <summary>audioInference over the pipe as the plugin uses it: PCM in, PCM at the host rate out, progress events.</summary>
public sealed class PipeTaskTests
{
    private static async Task<RunningEngine> StartAsync(TestGenerator generator)
    {
        var engine = new RunningEngine { Generator = generator };
        await engine.InitializeAsync();
        return engine;
    }

    private static OutgoingAttachment Pcm(uint id, AudioBuffer audio) =>
        new(new AttachmentInfo(id, AttachmentInfo.PcmF32, audio.SampleRate, audio.Channels), Attachments.FromSamples(audio.Samples));

    [Fact]
    public async Task Pcm_in_at_the_host_rate_comes_back_as_pcm_at_the_host_rate_with_progress()
    {
        var generator = new TestGenerator { Steps = 8 };
        await using var engine = await StartAsync(generator);
        await using var client = await EnginePipeClient.ConnectAsync(engine.PipeName);

        // A 7.3 s mono take at 44.1 kHz, as a host would capture it.
        var take = new AudioBuffer(TestGenerator.Sine(330, 7.3, 44_100).Samples.Where((_, i) => i % 2 == 0).ToArray(), 44_100, 1);
        var id = client.NextAttachmentId();
        var task = Requests.Inference(t =>
        {
            t["inputs"] = new JsonObject { ["audio"] = $"attachment:{id}" };
            t["outputType"] = "attachment";
            t["outputFormat"] = "PCM_F32";
            t["audioSettings"] = new JsonObject { ["sampleRate"] = 44_100, ["channels"] = 2 };
        });
        var progress = new List<double>();
        var reply = await client.SendAsync(new PipeRequest([task], [Pcm(id, take)], (_, p, _) => { lock (progress) { progress.Add(p); } }));

        Assert.Null(reply.Reply.Errors);
        // The model saw the source at its own rate and layout.
        Assert.Equal((48_000, 2), (generator.LastJob!.Source!.SampleRate, generator.LastJob.Source.Channels));
        Assert.Equal(7.3, generator.LastJob.Source.Duration, 2);

        var item = reply.Reply.Data!.Single();
        var attachment = reply.Attachments[(uint)(int)item["audioAttachment"]!];
        Assert.Equal((AttachmentInfo.PcmF32, 44_100, 2), (attachment.Info.Format, attachment.Info.SampleRate!.Value, attachment.Info.Channels!.Value));
        var frames = Attachments.ToSamples(attachment.Bytes.Span).Length / 2;
        Assert.InRange(frames, 7.3 * 44_100 - 2, 7.3 * 44_100 + 2);

        await Task.Delay(100);  // events travel on their own writer
        lock (progress)
        {
            Assert.NotEmpty(progress);
            Assert.Equal(progress.Order(), progress);
        }
    }

    [Fact]
    public async Task An_encoded_file_attachment_is_decoded()
    {
        var generator = new TestGenerator();
        await using var engine = await StartAsync(generator);
        await using var client = await EnginePipeClient.ConnectAsync(engine.PipeName);
        using var wav = new MemoryStream();
        WavFile.Write(wav, TestGenerator.Sine(440, 6.5, 22_050), WavSampleFormat.Pcm16);
        var id = client.NextAttachmentId();
        var reply = await client.SendAsync(new PipeRequest(
            [Requests.Inference(t => t["inputs"] = new JsonObject { ["audio"] = $"attachment:{id}" })],
            [new OutgoingAttachment(new AttachmentInfo(id, AttachmentInfo.File), wav.ToArray())]));
        Assert.Null(reply.Reply.Errors);
        Assert.Equal(6.5, generator.LastJob!.Source!.Duration, 2);
    }

    [Theory]
    [InlineData(false, "mediaNotFound")]    // a reference to an attachment that was never sent
    [InlineData(true, "invalidAudio")]      // 7 bytes of "PCM": not whole float32 samples
    public async Task Bad_attachments_are_rejected_with_a_reason(bool send, string code)
    {
        await using var engine = await StartAsync(new TestGenerator());
        await using var client = await EnginePipeClient.ConnectAsync(engine.PipeName);
        var id = client.NextAttachmentId();
        var attachments = send
            ? new[] { new OutgoingAttachment(new AttachmentInfo(id, AttachmentInfo.PcmF32, 48_000, 2), new byte[7]) }
            : null;
        var reply = await client.SendAsync(new PipeRequest(
            [Requests.Inference(t => t["inputs"] = new JsonObject { ["audio"] = $"attachment:{id}" })], attachments));
        var error = reply.Reply.Errors!.Single();
        Assert.Equal(code, error.Code);
        Assert.Equal("inputs.audio", error.Parameter?.ToString());
        Assert.True(await client.PingAsync());
    }

    [Fact]
    public async Task Input_audio_longer_than_the_model_takes_is_refused()
    {
        await using var engine = await StartAsync(new TestGenerator());
        await using var client = await EnginePipeClient.ConnectAsync(engine.PipeName);
        // Input: 601 s of mono PCM at 8 kHz (the model takes at most 600 s).
        var id = client.NextAttachmentId();
        var longTake = new AudioBuffer(new float[601 * 8_000], 8_000, 1);
        var reply = await client.SendAsync(new PipeRequest(
            [Requests.Inference(t => t["inputs"] = new JsonObject { ["audio"] = $"attachment:{id}" })], [Pcm(id, longTake)]));
        var error = reply.Reply.Errors!.Single();
        Assert.Equal("invalidAudio", error.Code);
        Assert.Contains("601.0 s", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_that_disconnects_mid_task_can_collect_the_result_on_a_new_connection()
    {
        var gate = new SemaphoreSlim(0);
        await using var engine = await StartAsync(new TestGenerator { Gate = gate });
        var task = Requests.Inference();
        var uuid = (string)task["taskUUID"]!;
        await using (var first = await EnginePipeClient.ConnectAsync(engine.PipeName))
        {
            _ = first.SendAsync([task]);
            await WaitAsync(() => engine.Host.Services<TaskRegistry>().Find(Guid.Parse(uuid)) is { Started: true });
        }
        gate.Release();
        await engine.Host.Services<TaskRegistry>().Find(Guid.Parse(uuid))!.Finished.WaitAsync(TimeSpan.FromSeconds(10));

        await using var second = await EnginePipeClient.ConnectAsync(engine.PipeName);
        var reply = await second.SendAsync([new JsonObject { ["taskType"] = "getResponse", ["taskUUID"] = uuid }]);
        Assert.Equal("success", (string)reply.Data!.Single()["status"]!);
    }

    [Fact]
    public async Task Pipe_only_outputs_are_refused_over_http()
    {
        await using var engine = await StartAsync(new TestGenerator());
        // Input: outputType attachment sent over HTTP.
        var (status, body, _) = await Requests.PostAsync(engine.Http, [Requests.Inference(t => t["outputType"] = "attachment")]);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, status);
        Assert.StartsWith("unsupported", (string)body["errors"]![0]!["code"]!, StringComparison.Ordinal);
    }

    private static async Task WaitAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        Assert.True(condition());
    }
}
