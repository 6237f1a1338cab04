using System.Text.Json.Nodes;
using AceStep.Contracts.Tasks;
using AceStep.Contracts.Validation;

namespace AceStep.Contracts.Tests;

/// <summary>getResponse, cancel, mediaStorage, ping and authentication.</summary>
public sealed class SmallTaskValidatorTests
{
    private const string Uuid = "3f0b8a0e-6c1d-4e2f-9a3b-5c6d7e8f9a0b";

    private static JsonObject Json(string text) => JsonNode.Parse(text)!.AsObject();

    private static string Codes<T>(TaskValidation<T> result) where T : class =>
        string.Join(" ", result.Errors.Select(e => $"{e.Code}:{e.Parameter}"));

    [Fact]
    public void GetResponse_reads_the_task_uuid()
    {
        var result = GetResponseValidator.Validate(Json($$"""{"taskType":"getResponse","taskUUID":"{{Uuid}}"}"""), TransportKind.Http);

        Assert.True(result.IsValid);
        Assert.Equal((TaskTypes.GetResponse, Guid.Parse(Uuid)), (result.Value.TaskType, result.Value.TaskUuid));
    }

    [Theory]
    [InlineData("""{"taskType":"getResponse"}""", "missingTaskUUID:taskUUID")]
    [InlineData("""{"taskType":"getResponse","taskUUID":"abc"}""", "invalidTaskUUID:taskUUID")]
    [InlineData("""{"taskType":"getResponse","taskUUID":7}""", "invalidTaskUUID:taskUUID")]
    [InlineData("""{"taskType":"getResponse","taskUUID":"3f0b8a0e-6c1d-4e2f-9a3b-5c6d7e8f9a0b","wait":true}""", "unknownParameter:wait")]
    [InlineData("""{"taskType":"cancel","taskUUID":"3f0b8a0e-6c1d-4e2f-9a3b-5c6d7e8f9a0b"}""", "invalidTaskType:taskType")]
    public void GetResponse_rejects(string task, string expected) =>
        Assert.Equal(expected, Codes(GetResponseValidator.Validate(Json(task), TransportKind.Http)));

    [Fact]
    public void Cancel_reads_the_task_uuid_of_any_version()
    {
        var result = CancelValidator.Validate(Json("""{"taskType":"cancel","taskUUID":"3f0b8a0e-6c1d-1e2f-9a3b-5c6d7e8f9a0b"}"""), TransportKind.Pipe);

        Assert.True(result.IsValid);
        Assert.Equal(TaskTypes.Cancel, result.Value.TaskType);
    }

    [Theory]
    [InlineData("""{"taskType":"cancel"}""", "missingTaskUUID:taskUUID")]
    [InlineData("""{"taskType":"cancel","taskUUID":"nope"}""", "invalidTaskUUID:taskUUID")]
    public void Cancel_rejects(string task, string expected) =>
        Assert.Equal(expected, Codes(CancelValidator.Validate(Json(task), TransportKind.Http)));

    [Theory]
    [InlineData("""{"taskType":"mediaStorage","operation":"upload","media":"data:audio/wav;base64,UklGRg=="}""", TransportKind.Http, MediaOperation.Upload, AudioInputKind.DataUri)]
    [InlineData("""{"taskType":"mediaStorage","operation":"upload","media":"https://example.com/a.mp3"}""", TransportKind.Http, MediaOperation.Upload, AudioInputKind.Url)]
    [InlineData("""{"taskType":"mediaStorage","operation":"upload","media":"UklGRg=="}""", TransportKind.Http, MediaOperation.Upload, AudioInputKind.Base64)]
    [InlineData("""{"taskType":"mediaStorage","operation":"upload","media":"attachment:2"}""", TransportKind.Pipe, MediaOperation.Upload, AudioInputKind.Attachment)]
    [InlineData("""{"taskType":"mediaStorage","operation":"delete","media":"9b2f4c1e-8d3a-4b5c-a6d7-e8f9a0b1c2d3","taskUUID":"3f0b8a0e-6c1d-4e2f-9a3b-5c6d7e8f9a0b"}""", TransportKind.Http, MediaOperation.Delete, AudioInputKind.Uuid)]
    public void MediaStorage_accepts(string task, TransportKind transport, MediaOperation operation, AudioInputKind kind)
    {
        var result = MediaStorageValidator.Validate(Json(task), transport);

        Assert.True(result.IsValid, Codes(result));
        Assert.Equal((operation, kind), (result.Value.Operation, result.Value.MediaKind!.Value));
    }

    [Fact]
    public void MediaStorage_accepts_raw_base64_and_reads_the_parts()
    {
        var upload = MediaStorageValidator.Validate(Json("""{"taskType":"mediaStorage","operation":"upload","media":"UklGRiQAAABXQVZF"}"""), TransportKind.Http).Value!;
        var attachment = MediaStorageValidator.Validate(Json("""{"taskType":"mediaStorage","operation":"upload","media":"attachment:2"}"""), TransportKind.Pipe).Value!;
        var delete = MediaStorageValidator.Validate(Json("""{"taskType":"mediaStorage","operation":"delete","media":"9b2f4c1e-8d3a-4b5c-a6d7-e8f9a0b1c2d3"}"""), TransportKind.Http).Value!;

        Assert.Equal(AudioInputKind.Base64, upload.MediaKind);
        Assert.Equal(2, attachment.MediaAttachment);
        Assert.Equal(Guid.Parse("9b2f4c1e-8d3a-4b5c-a6d7-e8f9a0b1c2d3"), delete.MediaUuid);
    }

    [Theory]
    [InlineData("""{"taskType":"mediaStorage","media":"UklGRg=="}""", TransportKind.Http, "missingOperation:operation")]
    [InlineData("""{"taskType":"mediaStorage","operation":"move","media":"UklGRg=="}""", TransportKind.Http, "invalidOperation:operation")]
    [InlineData("""{"taskType":"mediaStorage","operation":"upload"}""", TransportKind.Http, "missingMedia:media")]
    [InlineData("""{"taskType":"mediaStorage","operation":"upload","media":"not base64!"}""", TransportKind.Http, "invalidMedia:media")]
    [InlineData("""{"taskType":"mediaStorage","operation":"upload","media":"9b2f4c1e-8d3a-4b5c-a6d7-e8f9a0b1c2d3"}""", TransportKind.Http, "invalidMedia:media")]
    [InlineData("""{"taskType":"mediaStorage","operation":"upload","media":"attachment:1"}""", TransportKind.Http, "unsupportedMedia:media")]
    [InlineData("""{"taskType":"mediaStorage","operation":"delete","media":"UklGRg=="}""", TransportKind.Http, "invalidMedia:media")]
    [InlineData("""{"taskType":"mediaStorage","operation":"upload","media":"UklGRg==","taskUUID":"x"}""", TransportKind.Http, "invalidTaskUUID:taskUUID")]
    [InlineData("""{"taskType":"mediaStorage","operation":"upload","media":"UklGRg==","name":"a"}""", TransportKind.Http, "unknownParameter:name")]
    [InlineData("""{"taskType":"mediaStorage","operation":1,"media":2}""", TransportKind.Http, "invalidOperation:operation invalidMedia:media")]
    public void MediaStorage_rejects(string task, TransportKind transport, string expected) =>
        Assert.Equal(expected, Codes(MediaStorageValidator.Validate(Json(task), transport)));

    [Theory]
    [InlineData("""{"taskType":"ping"}""")]
    [InlineData("""{"taskType":"ping","ping":true}""")]
    [InlineData("""{"taskType":"ping","ping":true,"taskUUID":"3f0b8a0e-6c1d-4e2f-9a3b-5c6d7e8f9a0b"}""")]
    public void Ping_accepts(string task) =>
        Assert.True(PingValidator.Validate(Json(task), TransportKind.Http).IsValid);

    [Theory]
    [InlineData("""{"taskType":"ping","ping":"yes"}""", "invalidPing:ping")]
    [InlineData("""{"taskType":"ping","pong":true}""", "unknownParameter:pong")]
    [InlineData("""{"ping":true}""", "missingTaskType:taskType")]
    public void Ping_rejects(string task, string expected) =>
        Assert.Equal(expected, Codes(PingValidator.Validate(Json(task), TransportKind.Http)));

    [Fact]
    public void Authentication_reads_the_key()
    {
        var result = AuthenticationValidator.Validate(Json("""{"taskType":"authentication","apiKey":"s3cret"}"""), TransportKind.Http);

        Assert.Equal("s3cret", result.Value!.ApiKey);
    }

    [Theory]
    [InlineData("""{"taskType":"authentication"}""", "missingApiKey:apiKey")]
    [InlineData("""{"taskType":"authentication","apiKey":""}""", "invalidApiKey:apiKey")]
    [InlineData("""{"taskType":"authentication","apiKey":42}""", "invalidApiKey:apiKey")]
    [InlineData("""{"taskType":"authentication","apiKey":"k","user":"me"}""", "unknownParameter:user")]
    public void Authentication_rejects(string task, string expected) =>
        Assert.Equal(expected, Codes(AuthenticationValidator.Validate(Json(task), TransportKind.Http)));
}
