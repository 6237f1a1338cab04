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
