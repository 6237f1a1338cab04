using System.Text.Json;
using System.Text.Json.Nodes;
using AceStep.Contracts.Tasks;
using AceStep.Contracts.Validation;

namespace AceStep.Contracts.Tests;

/// <summary>audioAnalysis (engine extension): the task, its validation and its result on the wire.</summary>
public sealed class AudioAnalysisValidatorTests
{
    private const string Uuid = "3f0b8a0e-6c1d-4e2f-9a3b-5c6d7e8f9a0b";
    private const string Media = "9b2f4c1e-8d3a-4b5c-a6d7-e8f9a0b1c2d3";

    private static JsonObject Task(string audioJson) =>
        JsonNode.Parse($$$"""{"taskType":"audioAnalysis","taskUUID":"{{{Uuid}}}","inputs":{"audio":{{{audioJson}}}}}""")!.AsObject();

    private static string Codes(TaskValidation<AudioAnalysisRequest> result) =>
        string.Join(" ", result.Errors.Select(e => $"{e.Code}:{e.Parameter}"));

    [Theory]
    [InlineData("\"" + Media + "\"", TransportKind.Http, AudioInputKind.Uuid)]
    [InlineData("\"https://example.com/take.wav\"", TransportKind.Http, AudioInputKind.Url)]
    [InlineData("\"data:audio/wav;base64,UklGRg==\"", TransportKind.Http, AudioInputKind.DataUri)]
    [InlineData("\"UklGRg==\"", TransportKind.Http, AudioInputKind.Base64)]
    [InlineData("\"attachment:3\"", TransportKind.Pipe, AudioInputKind.Attachment)]
    [InlineData("\"  " + Media + "  \"", TransportKind.Pipe, AudioInputKind.Uuid)]
    public void Every_audioInference_input_form_is_accepted(string audio, TransportKind transport, AudioInputKind kind)
    {
        var result = AudioAnalysisValidator.Validate(Task(audio), transport);

        Assert.True(result.IsValid, Codes(result));
        Assert.Equal(Guid.Parse(Uuid), result.Value.TaskUuid);
        Assert.Equal(TaskTypes.AudioAnalysis, result.Value.TaskType);
        Assert.Equal(kind, result.Value.Audio!.Kind);
        Assert.Equal(result.Value.Inputs.Audio, result.Value.Audio.Text);
        Assert.Equal(kind == AudioInputKind.Uuid ? Guid.Parse(Media) : null, result.Value.Audio.Uuid);
        Assert.Equal(kind == AudioInputKind.Attachment ? 3 : null, result.Value.Audio.Attachment);
    }

    [Theory]
    [InlineData("""{"taskType":"audioAnalysis","inputs":{"audio":"UklGRg=="}}""", TransportKind.Http, "missingTaskUUID:taskUUID")]
    [InlineData("""{"taskType":"audioAnalysis","taskUUID":"3f0b8a0e-6c1d-1e2f-9a3b-5c6d7e8f9a0b","inputs":{"audio":"UklGRg=="}}""", TransportKind.Http, "invalidTaskUUID:taskUUID")]
    [InlineData("""{"taskType":"audioAnalysis","taskUUID":"3f0b8a0e-6c1d-4e2f-9a3b-5c6d7e8f9a0b"}""", TransportKind.Http, "missingInputs:inputs")]
    [InlineData("""{"taskType":"audioAnalysis","taskUUID":"3f0b8a0e-6c1d-4e2f-9a3b-5c6d7e8f9a0b","inputs":{}}""", TransportKind.Http, "missingAudio:inputs.audio")]
    [InlineData("""{"taskType":"audioAnalysis","taskUUID":"3f0b8a0e-6c1d-4e2f-9a3b-5c6d7e8f9a0b","inputs":"UklGRg=="}""", TransportKind.Http, "invalidInputs:inputs")]
    [InlineData("""{"taskType":"audioAnalysis","taskUUID":"3f0b8a0e-6c1d-4e2f-9a3b-5c6d7e8f9a0b","inputs":{"audio":42}}""", TransportKind.Http, "invalidAudio:inputs.audio")]
    [InlineData("""{"taskType":"audioAnalysis","taskUUID":"3f0b8a0e-6c1d-4e2f-9a3b-5c6d7e8f9a0b","inputs":{"audio":"not audio!"}}""", TransportKind.Http, "invalidAudio:inputs.audio")]
    [InlineData("""{"taskType":"audioAnalysis","taskUUID":"3f0b8a0e-6c1d-4e2f-9a3b-5c6d7e8f9a0b","inputs":{"audio":"attachment:1"}}""", TransportKind.Http, "unsupportedAudio:inputs.audio")]
    [InlineData("""{"taskType":"audioAnalysis","taskUUID":"3f0b8a0e-6c1d-4e2f-9a3b-5c6d7e8f9a0b","inputs":{"audio":"attachment:0"}}""", TransportKind.Pipe, "invalidAudio:inputs.audio")]
    [InlineData("""{"taskType":"audioAnalysis","taskUUID":"3f0b8a0e-6c1d-4e2f-9a3b-5c6d7e8f9a0b","inputs":{"audio":"UklGRg==","mask":"x"}}""", TransportKind.Http, "unknownParameter:inputs.mask")]
    [InlineData("""{"taskType":"audioAnalysis","taskUUID":"3f0b8a0e-6c1d-4e2f-9a3b-5c6d7e8f9a0b","inputs":{"audio":"UklGRg=="},"bpm":120}""", TransportKind.Http, "unknownParameter:bpm")]
    [InlineData("""{"taskType":"audioInference","taskUUID":"3f0b8a0e-6c1d-4e2f-9a3b-5c6d7e8f9a0b","inputs":{"audio":"UklGRg=="}}""", TransportKind.Http, "invalidTaskType:taskType")]
    public void Bad_tasks_are_rejected_with_the_field_named(string task, TransportKind transport, string expected) =>
        Assert.Equal(expected, Codes(AudioAnalysisValidator.Validate(JsonNode.Parse(task)!.AsObject(), transport)));

    [Fact]
    public void Every_error_of_a_task_is_reported_with_its_raw_uuid()
    {
        var task = JsonNode.Parse("""{"taskType":"audioAnalysis","taskUUID":"abc","inputs":{"audio":""},"extra":1}""")!.AsObject();
        var result = AudioAnalysisValidator.Validate(task, TransportKind.Http);

        Assert.Equal("invalidTaskUUID:taskUUID unknownParameter:extra invalidAudio:inputs.audio", Codes(result));
        Assert.All(result.Errors, e => Assert.Equal(("audioAnalysis", "abc"), (e.TaskType, e.TaskUuid)));
    }

    [Fact]
    public void A_result_writes_the_documented_fields_and_omits_what_was_not_found()
    {
        var found = ContractsJson.ToJsonObject(new AudioAnalysisResult
        {
            TaskUuid = Guid.Parse(Uuid), KeyScale = "F# minor", KeyConfidence = 0.18, Bpm = 128, BpmConfidence = 0.71, Duration = 12.5,
        }, ContractsJson.Default.AudioAnalysisResult);
        Assert.Equal(
            $$"""{"taskType":"audioAnalysis","taskUUID":"{{Uuid}}","keyScale":"F# minor","keyConfidence":0.18,"bpm":128,"bpmConfidence":0.71,"duration":12.5}""",
            found.ToJsonString());

        var none = ContractsJson.ToJsonObject(new AudioAnalysisResult { TaskUuid = Guid.Parse(Uuid), Duration = 8 },
            ContractsJson.Default.AudioAnalysisResult);
        Assert.False(none.ContainsKey("keyScale"));
        Assert.False(none.ContainsKey("bpm"));
        Assert.Equal(0, (double)none["keyConfidence"]!);
    }

    [Fact]
    public void A_request_round_trips_for_clients()
    {
        var request = new AudioAnalysisRequest { TaskUuid = Guid.Parse(Uuid), Inputs = new AudioAnalysisInputs { Audio = "attachment:1" } };
        var json = JsonSerializer.Serialize(request, ContractsJson.Default.AudioAnalysisRequest);

        Assert.Equal($$$"""{"taskType":"audioAnalysis","taskUUID":"{{{Uuid}}}","inputs":{"audio":"attachment:1"}}""", json);
        Assert.True(AudioAnalysisValidator.Validate(JsonNode.Parse(json)!.AsObject(), TransportKind.Pipe).IsValid);
    }
}
