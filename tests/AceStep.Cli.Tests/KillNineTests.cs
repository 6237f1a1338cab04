using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace AceStep.Cli.Tests;

/// <summary>A real engine process killed with SIGKILL mid-task, then started again on the same data directory.</summary>
public class KillNineTests
{
    private static async Task<JsonObject> PostAsync(HttpClient http, JsonArray tasks)
    {
        using var content = new StringContent(tasks.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await http.PostAsync("/v1", content);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private static JsonArray Poll(string uuid) => [new JsonObject { ["taskType"] = "getResponse", ["taskUUID"] = uuid }];

    [Fact]
    public async Task A_task_running_when_the_engine_is_killed_finishes_after_the_restart_with_the_same_uuid()
    {
        var home = Path.Combine(Path.GetTempPath(), "acestep-kill9-" + Guid.NewGuid().ToString("N")[..8]);
        var url = $"http://127.0.0.1:{ProcessRunner.FreeTcpPort()}";
        string[] tone = ["--diagnostic-tone", "100"];   // 100 ms per step: 30 steps = 3 s of "generation"
        var uuid = Guid.NewGuid().ToString();
        var task = new JsonObject
        {
            ["taskType"] = "audioInference",
            ["taskUUID"] = uuid,
            ["model"] = "runware:ace-step@v1.5-base",
            ["positivePrompt"] = "a steady test tone",
            ["duration"] = 6,
            ["steps"] = 30,
            ["seed"] = 5,
            ["deliveryMethod"] = "async",
            ["outputFormat"] = "WAV",
        };

        var first = new EngineProcess { Home = home, HttpUrl = url, Arguments = tone, KeepHome = true };
        await first.InitializeAsync();
        using (var http = new HttpClient { BaseAddress = new Uri(url) })
        {
            await PostAsync(http, [task]);
            // Wait until it is really running (progress reported), then kill the process without warning.
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while ((int?)(await PostAsync(http, Poll(uuid)))["data"]?[0]?["progress"] is null or 0 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
        await first.KillAsync();
        await first.DisposeAsync();

        var second = new EngineProcess { Home = home, HttpUrl = url, Arguments = tone, KeepHome = true };
        await second.InitializeAsync();
        try
        {
            Assert.Contains("queued again", second.Log, StringComparison.Ordinal);
            using var http = new HttpClient { BaseAddress = new Uri(url) };
            JsonObject reply;
            var deadline = DateTime.UtcNow.AddSeconds(60);
            do
            {
                await Task.Delay(100);
                reply = await PostAsync(http, Poll(uuid));
            }
            while ((string?)reply["data"]?[0]?["status"] == "processing" && DateTime.UtcNow < deadline);

            var item = reply["data"]![0]!;
            Assert.Equal("success", (string)item["status"]!);
            Assert.Equal(uuid, (string)item["taskUUID"]!);
            Assert.Equal(5, (long)item["seed"]!);
            using var file = await http.GetAsync(new Uri((string)item["audioURL"]!).PathAndQuery);
            Assert.Equal("audio/wav", file.Content.Headers.ContentType!.MediaType);
        }
        finally
        {
            await second.DisposeAsync();
            Directory.Delete(home, recursive: true);
        }
    }
}
