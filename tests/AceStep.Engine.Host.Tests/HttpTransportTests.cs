using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace AceStep.Engine.Host.Tests;

public class HttpTransportTests : IClassFixture<RunningEngine>
{
    private readonly RunningEngine _engine;

    public HttpTransportTests(RunningEngine engine) => _engine = engine;

    private async Task<(HttpStatusCode Status, JsonObject Body)> PostAsync(string body, string contentType = "application/json")
    {
        using var content = new StringContent(body, Encoding.UTF8, contentType);
        using var response = await _engine.Http.PostAsync("/v1", content);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonNode.Parse(text)!.AsObject());
    }

    [Fact]
    public async Task Ping_answers_pong()
    {
        var (status, body) = await PostAsync("""[{"taskType":"ping","ping":true}]""");
        Assert.Equal(HttpStatusCode.OK, status);
        var pong = body["data"]!.AsArray().Single()!;
        Assert.Equal("ping", (string)pong["taskType"]!);
        Assert.True((bool)pong["pong"]!);
        // How this engine computes (acestep status shows it): the CPU's features and the plan made from them.
        var compute = pong["compute"]!;
        Assert.StartsWith(System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant(),
            (string)compute["cpu"]!, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty((string?)compute["lm"]));
        Assert.False(string.IsNullOrEmpty((string?)compute["models"]));
        Assert.Null(body["errors"]);
    }

    [Fact]
    public async Task A_bad_task_does_not_fail_its_neighbours()
    {
        // Input: a ping, an unknown taskType, a number instead of an object, and a task without taskType.
        var (status, body) = await PostAsync("""[{"taskType":"ping"},{"taskType":"paint","taskUUID":"u1"},3,{"x":1}]""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Single(body["data"]!.AsArray());
        var errors = body["errors"]!.AsArray();
        Assert.Equal(["unsupportedTaskType", "invalidRequest", "missingTaskType"], errors.Select(e => (string)e!["code"]!));
        Assert.Equal("u1", (string)errors[0]!["taskUUID"]!);
        Assert.Contains("'paint'", (string)errors[0]!["message"]!, StringComparison.Ordinal);
        Assert.Equal("[2]", (string)errors[1]!["parameter"]!);
    }

    [Theory]
    [InlineData("{", "not valid JSON")]                               // malformed
    [InlineData("""{"taskType":"ping"}""", "must be a JSON array")]   // an object, not an array
    [InlineData("[]", "empty")]                                       // nothing to do
    public async Task A_request_that_is_not_a_task_array_is_400_with_a_reason(string input, string reason)
    {
        var (status, body) = await PostAsync(input);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = body["errors"]!.AsArray().Single()!;
        Assert.Equal("invalidRequest", (string)error["code"]!);
        Assert.Contains(reason, (string)error["message"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_rejected_tasks_is_400()
    {
        var (status, body) = await PostAsync("""[{"taskType":"paint"}]""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Null(body["data"]);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413()
    {
        // Input: a 100 KiB array against the fixture's 64 KiB limit.
        var big = "[" + string.Join(",", Enumerable.Repeat("""{"taskType":"ping"}""", 5000)) + "]";
        var (status, body) = await PostAsync(big);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Contains("mediaStorage", (string)body["errors"]![0]!["message"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_that_is_not_declared_json_is_415()
    {
        var (status, _) = await PostAsync("""[{"taskType":"ping"}]""", "text/plain");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
    }

    [Fact]
    public void The_server_listens_on_loopback_only()
    {
        Assert.True(IPAddress.IsLoopback(IPAddress.Parse(_engine.Host.HttpAddress.Host)));
    }
}
