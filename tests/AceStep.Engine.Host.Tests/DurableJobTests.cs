using AceStep.Engine.Host.Storage;
using System.Net;
using System.Text.Json.Nodes;

namespace AceStep.Engine.Host.Tests;

/// <summary>The job store across an engine restart in the same process (a kill -9 of a real process: Cli tests).</summary>
public sealed class DurableJobTests
{
    private static async Task<JsonNode> PollAsync(RunningEngine engine, string uuid, Func<JsonObject, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var (_, body, _) = await Requests.PostAsync(engine.Http, [new JsonObject { ["taskType"] = "getResponse", ["taskUUID"] = uuid }]);
            if (done(body) || DateTime.UtcNow > deadline)
            {
                return body;
            }
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Finished_results_stay_pollable_and_interrupted_tasks_run_again_after_a_restart()
    {
        var home = Path.Combine(Path.GetTempPath(), "acestep-durable-" + Guid.NewGuid().ToString("N")[..8]);
        var finished = Requests.Inference(t => { t["seed"] = 7; t["outputType"] = "URL"; });
        var interrupted = Requests.Inference(t => { t["seed"] = 42; t["numberResults"] = 2; t["deliveryMethod"] = "async"; });
        var queued = Requests.Inference(t => t["deliveryMethod"] = "async");
        JsonNode before;

        var gate = new SemaphoreSlim(0);
        var first = new RunningEngine { Home = home, KeepHome = true, Generator = new TestGenerator() };
        await first.InitializeAsync();
        await using (first)
        {
            var (_, done, _) = await Requests.PostAsync(first.Http, [finished]);
            before = done["data"]![0]!;
            first.Generator!.Gate = gate;   // the next task starts and then hangs, the one after waits in the queue
            await Requests.PostAsync(first.Http, [interrupted, queued]);
            await PollAsync(first, (string)interrupted["taskUUID"]!, _ => first.Generator.Started.Count >= 2);
        }   // the engine stops with one task running and one queued

        var generator = new TestGenerator();
        var second = new RunningEngine { Home = home, KeepHome = true, Generator = generator };
        await second.InitializeAsync();
        await using (second)
        {
            var (_, again, _) = await Requests.PostAsync(second.Http, [new JsonObject { ["taskType"] = "getResponse", ["taskUUID"] = (string)finished["taskUUID"]! }]);
            var item = again["data"]![0]!;
            Assert.Equal("success", (string)item["status"]!);
            Assert.Equal((string)before["audioUUID"]!, (string)item["audioUUID"]!);
            using (var file = await second.Http.GetAsync(new Uri((string)item["audioURL"]!).PathAndQuery))
            {
                Assert.Equal(HttpStatusCode.OK, file.StatusCode);
            }

            foreach (var task in new[] { interrupted, queued })
            {
                var result = await PollAsync(second, (string)task["taskUUID"]!, b => b["data"]?.AsArray().All(i => (string?)i!["status"] == "success") == true);
                Assert.All(result["data"]!.AsArray(), i => Assert.Equal("success", (string)i!["status"]!));
            }
            // Same seeds as accepted: the re-run is the same generation.
            var rerun = await PollAsync(second, (string)interrupted["taskUUID"]!, _ => true);
            Assert.Equal([42L, 43L], rerun["data"]!.AsArray().Select(i => (long)i!["seed"]!));
            Assert.Contains(Guid.Parse((string)interrupted["taskUUID"]!), generator.Started);
        }
        Directory.Delete(home, recursive: true);
    }

    private static string WavDataUri(double seconds)
    {
        using var wav = new MemoryStream();
        AceStep.Audio.WavFile.Write(wav, TestGenerator.Sine(330, seconds, 8_000), AceStep.Audio.WavSampleFormat.Pcm16);
        return "data:audio/wav;base64," + Convert.ToBase64String(wav.ToArray());
    }

    [Fact]
    public async Task A_duplicate_uuid_known_only_to_the_store_never_overwrites_the_kept_input()
    {
        var engine = new RunningEngine { Generator = new TestGenerator(), MaxRequestBytes = 4 * 1024 * 1024 };
        await engine.InitializeAsync();
        await using var _ = engine;
        // Input: a task row already in jobs.db but not in memory (as recovery leaves a newer engine's entry), with its
        // kept input file, then a new request reusing that taskUUID with other audio.
        var uuid = Guid.NewGuid();
        var journal = engine.Host.Services<JobJournal>();
        var kept = journal.InputPath(uuid);
        await File.WriteAllBytesAsync(kept, [1, 2, 3, 4]);
        using (var connection = engine.Host.Database.Connect())
        using (var insert = connection.CreateCommand())
        {
            insert.CommandText = "INSERT INTO jobs (task_uuid, task_type, request, status, progress, created_utc, updated_utc) " +
                                 $"VALUES ('{uuid}', 'audioInference', '{{}}', 'processing', 0, 'now', 'now')";
            insert.ExecuteNonQuery();
        }
        var task = Requests.Inference(t => { t["taskUUID"] = uuid.ToString(); t["inputs"] = new JsonObject { ["audio"] = WavDataUri(6.5) }; });

        var (status, body, _) = await Requests.PostAsync(engine.Http, [task]);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("conflictTaskUUID", (string)body["errors"]![0]!["code"]!);
        Assert.Equal([1, 2, 3, 4], await File.ReadAllBytesAsync(kept));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(kept)!, "*.part"));
    }

    [Fact]
    public async Task An_interrupted_task_whose_input_was_lost_fails_clearly_instead_of_running_without_it()
    {
        var home = Path.Combine(Path.GetTempPath(), "acestep-durable-" + Guid.NewGuid().ToString("N")[..8]);
        var task = Requests.Inference(t => { t["deliveryMethod"] = "async"; t["inputs"] = new JsonObject { ["audio"] = WavDataUri(6.5) }; });
        var uuid = (string)task["taskUUID"]!;
        var first = new RunningEngine { Home = home, KeepHome = true, Generator = new TestGenerator { Gate = new SemaphoreSlim(0) }, MaxRequestBytes = 4 * 1024 * 1024 };
        await first.InitializeAsync();
        await using (first)
        {
            await Requests.PostAsync(first.Http, [task]);
            await PollAsync(first, uuid, _ => first.Generator!.Started.Count == 1);
            File.Delete(first.Host.Services<JobJournal>().InputPath(Guid.Parse(uuid)));   // Input: the kept input disappears
        }

        var generator = new TestGenerator();
        var second = new RunningEngine { Home = home, KeepHome = true, Generator = generator };
        await second.InitializeAsync();
        await using (second)
        {
            var (_, body, _) = await Requests.PostAsync(second.Http, [new JsonObject { ["taskType"] = "getResponse", ["taskUUID"] = uuid }]);
            var error = body["errors"]![0]!;
            Assert.Equal("inferenceError", (string)error["code"]!);
            Assert.Contains("input audio", (string)error["message"]!, StringComparison.Ordinal);
            Assert.DoesNotContain(Guid.Parse(uuid), generator.Started);
        }
        Directory.Delete(home, recursive: true);
    }

    [Fact]
    public async Task A_task_uuid_stays_taken_across_a_restart()
    {
        var home = Path.Combine(Path.GetTempPath(), "acestep-durable-" + Guid.NewGuid().ToString("N")[..8]);
        var task = Requests.Inference();
        var first = new RunningEngine { Home = home, KeepHome = true };
        await first.InitializeAsync();
        await using (first)
        {
            await Requests.PostAsync(first.Http, [task]);
        }
        var second = new RunningEngine { Home = home, KeepHome = true };
        await second.InitializeAsync();
        await using (second)
        {
            // Input: the same taskUUID sent to the restarted engine.
            var (status, body, _) = await Requests.PostAsync(second.Http, [task.DeepClone()]);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal("conflictTaskUUID", (string)body["errors"]![0]!["code"]!);
        }
        Directory.Delete(home, recursive: true);
    }
}
