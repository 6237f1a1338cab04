using System.Text.Json;
using AceStep.Contracts.Tasks;
using AceStep.Contracts.Validation;
using static AceStep.Contracts.Tests.TestSupport;

namespace AceStep.Contracts.Tests;

/// <summary>A normalised request written back to the wire (<see cref="AudioInferenceRequest.ToTask"/>) validates to itself.</summary>
public sealed class NormalisedRoundTripTests
{
    public static TheoryData<string, TransportKind> Requests()
    {
        var data = new TheoryData<string, TransportKind>();
        foreach (var example in SeedExamples)
        {
            data.Add("@" + example, TransportKind.Http);
        }
        data.Add("", TransportKind.Http);
        data.Add("inputs.audio=\"https://example.com/a.wav\";;strength=0.7;;settings.coverConditioningScale=0.25;;outputType=\"dataURI\";;outputFormat=\"OGG\";;audioSettings.sampleRate=8000;;audioSettings.channels=1", TransportKind.Http);
        data.Add("inputs.audio=\"attachment:3\";;settings.repaintingStart=-4.5;;settings.repaintingEnd=12;;outputType=\"attachment\";;outputFormat=\"PCM_F32\";;audioSettings.sampleRate=44100", TransportKind.Pipe);
        data.Add("CFGScale=1;;negativePrompt=\"quiet\";;seed=0;;numberResults=4;;deliveryMethod=\"async\";;webhookURL=\"https://example.com/h\";;ttl=600;;includeCost=true;;settings.timeSignature=\"6\";;settings.keyScale=\"e♭ MAJOR\";;settings.vocalLanguage=\"JA\"", TransportKind.Http);
        data.Add("outputFormat=\"FLAC\";;uploadEndpoint=\"https://example.com/put\";;settings.guidanceType=\"cfg\";;settings.bpm=90", TransportKind.Http);
        return data;
    }

    [Theory]
    [MemberData(nameof(Requests))]
    public void Validating_the_written_task_gives_the_same_request(string patch, TransportKind transport)
    {
        var raw = patch.StartsWith('@') ? SeedRequest(patch[1..]) : Patch(MinimalTask(), patch);
        var first = AudioInferenceValidator.Validate(raw, transport).Value!;

        var written = JsonSerializer.SerializeToNode(first.ToTask(), ContractsJson.Default.AudioInferenceTask)!.AsObject();
        var second = AudioInferenceValidator.Validate(written, transport);

        Assert.True(second.IsValid, string.Join("\n", second.Errors.Select(e => e.Message)));
        Assert.Equal(first with { IgnoredParameters = [] }, second.Value with { IgnoredParameters = [] });
        Assert.Equal(first.Settings, second.Value.Settings);
    }
}
