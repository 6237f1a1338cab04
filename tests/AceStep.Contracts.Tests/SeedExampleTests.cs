using System.Text.Json;
using System.Text.Json.Nodes;
using AceStep.Contracts.Tasks;
using AceStep.Contracts.Validation;
using static AceStep.Contracts.Tests.TestSupport;

namespace AceStep.Contracts.Tests;

/// <summary>The seed document's four example requests and responses.</summary>
public sealed class SeedExampleTests
{
    public static TheoryData<string> Examples => new(SeedExamples);

    [Theory]
    [MemberData(nameof(Examples))]
    public void Request_round_trips_through_the_typed_model(string example)
    {
        var text = ReadTestData(example + ".request.json");
        var typed = JsonSerializer.Deserialize(text, ContractsJson.Default.AudioInferenceTask)!;
        var written = JsonSerializer.SerializeToNode(typed, ContractsJson.Default.AudioInferenceTask);

        Assert.True(JsonEquivalent(JsonNode.Parse(text), written), $"{example}: {written!.ToJsonString()}");
        Assert.Equal(TaskTypes.AudioInference, typed.TaskType);
        Assert.Equal(AudioModelCatalog.Base.Id, typed.Model);
        Assert.Equal(4, typed.Settings!.TimeSignature);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Response_round_trips_through_the_typed_result(string example)
    {
        var text = ReadTestData(example + ".response.json");
        var typed = JsonSerializer.Deserialize(text, ContractsJson.Default.AudioInferenceResult)!;
        var written = ContractsJson.ToJsonObject(typed, ContractsJson.Default.AudioInferenceResult);

        Assert.True(JsonEquivalent(JsonNode.Parse(text), written), $"{example}: {written.ToJsonString()}");
        Assert.NotNull(typed.AudioUrl);
        Assert.NotNull(typed.Cost);
        Assert.Null(typed.AudioAttachment);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Request_validates_clean_on_both_transports(string example)
    {
        foreach (var transport in new[] { TransportKind.Http, TransportKind.Pipe })
        {
            var result = AudioInferenceValidator.Validate(SeedRequest(example), transport);
            Assert.True(result.IsValid, string.Join("\n", result.Errors.Select(e => $"{e.Code} {e.Parameter}: {e.Message}")));
            Assert.Empty(result.Errors);
        }
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Request_normalises_to_its_values_and_the_defaults(string example)
    {
        var raw = SeedRequest(example);
        var request = AudioInferenceValidator.Validate(raw, TransportKind.Http).Value!;

        Assert.Equal(Guid.Parse((string)raw["taskUUID"]!), request.TaskUuid);
        Assert.Equal(JobKind.TextToMusic, request.Kind);
        Assert.Equal((double)raw["duration"]!, request.Duration);
        Assert.Equal((long)raw["seed"]!, request.Seed);
        Assert.Equal((int)raw["steps"]!, request.Steps);
        Assert.Equal(8.5, request.CfgScale);
        Assert.True(request.UsesNegativePrompt);
        Assert.Equal((string)raw["settings"]!["lyrics"]!, request.Settings.Lyrics);
        Assert.Equal((string)raw["settings"]!["keyScale"]!, request.Settings.KeyScale);
        Assert.Equal((int)raw["settings"]!["bpm"]!, request.Settings.Bpm);
        Assert.Equal(4, request.Settings.TimeSignature);
        Assert.Equal("en", request.Settings.VocalLanguage);
        Assert.Equal(GuidanceType.Apg, request.Settings.GuidanceType);
        // Defaults of what the examples leave out.
        Assert.Equal(0.5, request.Strength);
        Assert.Equal(1, request.NumberResults);
        Assert.Equal(OutputType.Url, request.OutputType);
        Assert.Equal(OutputFormat.Mp3, request.OutputFormat);
        Assert.Equal(new AudioSettings(44_100, 128, 2), request.AudioSettings);
        Assert.Equal(DeliveryMethod.Sync, request.DeliveryMethod);
        Assert.Equal(86_400, request.Ttl);
        Assert.False(request.IncludeCost);
        Assert.Null(request.InputAudio);
        Assert.Equal(1.0, request.Settings.CoverConditioningScale);
        Assert.Empty(request.IgnoredParameters);
    }

    [Fact]
    public void Examples_differ_only_where_the_seed_says()
    {
        // Example 3 lists its settings in another order; order does not matter.
        var request = AudioInferenceValidator.Validate(SeedRequest(SeedExamples[2]), TransportKind.Http).Value!;
        Assert.Equal("D minor", request.Settings.KeyScale);
        Assert.Equal(146, request.Settings.Bpm);
    }
}
