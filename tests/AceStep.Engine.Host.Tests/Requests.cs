using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace AceStep.Engine.Host.Tests;

/// <summary>Builds audioInference tasks and posts request arrays.</summary>
internal static class Requests
{
    public static JsonObject Inference(Action<JsonObject>? change = null)
    {
        var task = new JsonObject
        {
            ["taskType"] = "audioInference",
            ["taskUUID"] = Guid.NewGuid().ToString(),
            ["model"] = "runware:ace-step@v1.5-base",
            ["positivePrompt"] = "warm synth-pop with a steady kick",
            ["duration"] = 6,
            ["steps"] = 8,
            ["outputType"] = "base64Data",
            ["outputFormat"] = "WAV",
        };
        change?.Invoke(task);
        return task;
    }

    public static async Task<(HttpStatusCode Status, JsonObject Body, HttpResponseMessage Response)> PostAsync(
        HttpClient http, JsonArray tasks, string? bearer = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1")
        {
            Content = new StringContent(tasks.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (bearer is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
        }
        var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonNode.Parse(text)!.AsObject(), response);
    }
}
