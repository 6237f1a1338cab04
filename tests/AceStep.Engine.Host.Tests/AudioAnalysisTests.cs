using System.Net;
using System.Text.Json.Nodes;
using AceStep.Audio;
using AceStep.Pipes;

namespace AceStep.Engine.Host.Tests;

/// <summary>audioAnalysis end to end: a synthetic C-major clip at 120 BPM in, its key and tempo out, on both transports.</summary>
public sealed class AudioAnalysisTests : IAsyncLifetime
{
    private readonly RunningEngine _engine = new() { MaxRequestBytes = 8 * 1024 * 1024 };

    public Task InitializeAsync() => _engine.InitializeAsync();

    public Task DisposeAsync() => _engine.DisposeAsync();

    /// <summary>
    /// I–IV–V–I in C major, a chord per 2 s bar, over a kick on every beat at 120 BPM (and a softer tick on the
    /// off-beats), each note with a few harmonics.
    /// </summary>
    internal static AudioBuffer CMajorAt120(double seconds, int rate)
    {
        int[][] chords = [[48, 60, 64, 67], [53, 60, 65, 69], [55, 59, 62, 67], [48, 60, 64, 67]];
        var frames = (int)(seconds * rate);
        var mono = new float[frames];
        for (var i = 0; i < frames; i++)
        {
            var t = (double)i / rate;
            var chord = chords[(int)(t / 2) % chords.Length];
            var inChord = t % 2;
            var sample = 0.0;
            foreach (var midi in chord)
            {
                var hz = 440 * Math.Pow(2, (midi - 69) / 12.0);
                for (var h = 1; h <= 4; h++)
                {
                    sample += 0.06 / h * Math.Sin(2 * Math.PI * hz * h * t);
                }
            }
            sample *= Math.Exp(-inChord * 0.8);
            var inBeat = t % 0.5;
            sample += 0.5 * Math.Exp(-inBeat / 0.08) * Math.Sin(2 * Math.PI * (55 + 80 * Math.Exp(-inBeat / 0.03)) * inBeat);
            var offBeat = (t + 0.25) % 0.5;
            sample += 0.1 * Math.Exp(-offBeat / 0.01) * Math.Sin(2 * Math.PI * 3000 * offBeat);
            mono[i] = (float)sample;
        }
        var stereo = new float[frames * 2];
        for (var i = 0; i < frames; i++)
        {
            stereo[2 * i] = stereo[2 * i + 1] = mono[i];
        }
        return new AudioBuffer(stereo, rate, 2);
    }

    private static string DataUri(AudioBuffer audio)
    {
        using var wav = new MemoryStream();
        WavFile.Write(wav, audio, WavSampleFormat.Pcm16);
        return "data:audio/wav;base64," + Convert.ToBase64String(wav.ToArray());
    }

    private static JsonObject Task(string audio, string? uuid = null) => new()
    {
        ["taskType"] = "audioAnalysis",
        ["taskUUID"] = uuid ?? Guid.NewGuid().ToString(),
        ["inputs"] = new JsonObject { ["audio"] = audio },
    };

    private static void AssertCMajorAt120(JsonNode item, string uuid)
    {
        Assert.Equal("audioAnalysis", (string)item["taskType"]!);
        Assert.Equal(uuid, (string)item["taskUUID"]!);
        Assert.Equal("C major", (string)item["keyScale"]!);
        Assert.Equal(120, (int)item["bpm"]!);
        Assert.InRange((double)item["keyConfidence"]!, 0.05, 1);
        Assert.InRange((double)item["bpmConfidence"]!, 0.3, 1);
    }

    [Fact]
    public async Task Over_http_a_data_uri_clip_gets_its_key_and_tempo()
    {
        var uuid = Guid.NewGuid().ToString();
        var (status, body, _) = await Requests.PostAsync(_engine.Http, [Task(DataUri(CMajorAt120(10, 22_050)), uuid)]);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Null(body["errors"]);
        var item = body["data"]!.AsArray().Single()!;
        AssertCMajorAt120(item, uuid);
        Assert.Equal(10, (double)item["duration"]!, 2);
    }

    [Fact]
    public async Task Over_the_pipe_a_pcm_attachment_gets_its_key_and_tempo()
    {
        await using var client = await EnginePipeClient.ConnectAsync(_engine.PipeName);
        var clip = CMajorAt120(10, 44_100);
        var id = client.NextAttachmentId();
        var uuid = Guid.NewGuid().ToString();
        var reply = await client.SendAsync(new PipeRequest([Task($"attachment:{id}", uuid)],
            [new OutgoingAttachment(new AttachmentInfo(id, AttachmentInfo.PcmF32, clip.SampleRate, clip.Channels), Attachments.FromSamples(clip.Samples))]));

        Assert.Null(reply.Reply.Errors);
        AssertCMajorAt120(reply.Reply.Data!.Single(), uuid);
    }

    [Fact]
    public async Task A_stored_upload_can_be_analysed_by_its_media_uuid()
    {
        var upload = new JsonObject { ["taskType"] = "mediaStorage", ["operation"] = "upload", ["media"] = DataUri(CMajorAt120(8, 22_050)) };
        var (_, stored, _) = await Requests.PostAsync(_engine.Http, [upload]);
        var media = (string)stored["data"]![0]!["mediaUUID"]!;

        var uuid = Guid.NewGuid().ToString();
        var (status, body, _) = await Requests.PostAsync(_engine.Http, [Task(media, uuid)]);

        Assert.Equal(HttpStatusCode.OK, status);
        AssertCMajorAt120(body["data"]![0]!, uuid);
    }

    [Fact]
    public async Task Silence_answers_with_no_key_and_no_tempo_rather_than_a_guess()
    {
        var (status, body, _) = await Requests.PostAsync(_engine.Http, [Task(DataUri(new AudioBuffer(new float[22_050 * 2 * 6], 22_050, 2)))]);

        Assert.Equal(HttpStatusCode.OK, status);
        var item = body["data"]![0]!.AsObject();
        Assert.False(item.ContainsKey("keyScale"));
        Assert.False(item.ContainsKey("bpm"));
        Assert.Equal(0, (double)item["keyConfidence"]!);
        Assert.Equal(0, (double)item["bpmConfidence"]!);
    }

    [Fact]
    public async Task Audio_too_short_to_judge_is_invalidAudio_with_the_reason()
    {
        var (status, body, _) = await Requests.PostAsync(_engine.Http, [Task(DataUri(CMajorAt120(1.5, 22_050)))]);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = body["errors"]![0]!;
        Assert.Equal(("invalidAudio", "inputs.audio", "audioAnalysis"), ((string)error["code"]!, (string)error["parameter"]!, (string)error["taskType"]!));
        Assert.Contains("at least 3 s", (string)error["message"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_inputs_get_the_same_errors_as_audioInference_and_do_not_fail_their_neighbours()
    {
        var missing = Guid.NewGuid().ToString();
        var (status, body, _) = await Requests.PostAsync(_engine.Http,
        [
            Task(missing),                                            // a media UUID the engine does not hold
            Task("attachment:1"),                                     // the pipe's form, over HTTP
            Task("data:audio/wav;base64," + Convert.ToBase64String(new byte[512])),   // not audio
            new JsonObject { ["taskType"] = "ping" },
        ]);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Single(body["data"]!.AsArray());
        var codes = body["errors"]!.AsArray().Select(e => (string)e!["code"]!).ToArray();
        Assert.Equal(["mediaNotFound", "unsupportedAudio", "invalidAudio"], codes);
        Assert.All(body["errors"]!.AsArray(), e => Assert.Equal("audioAnalysis", (string)e!["taskType"]!));
    }
}
