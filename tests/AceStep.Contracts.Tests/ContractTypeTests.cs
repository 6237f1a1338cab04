using System.Text.Json;
using System.Text.Json.Nodes;
using AceStep.Contracts.Tasks;

namespace AceStep.Contracts.Tests;

/// <summary>The envelope types stay compatible, and the typed replies serialise as the seed shows them.</summary>
public sealed class ContractTypeTests
{
    [Fact]
    public void Single_parameter_is_still_a_json_string_and_converts_from_a_string()
    {
        TaskError error = new() { Code = ErrorCodes.Missing("taskType"), Message = "m", Parameter = "taskType" };

        var json = JsonNode.Parse(ContractsJson.ToUtf8(new TaskReply { Errors = [error] }))!;

        Assert.Equal("taskType", (string)json["errors"]![0]!["parameter"]!);
        Assert.Equal("missingTaskType", error.Code);
        Assert.Equal("taskType", $"{error.Parameter}");
    }

    [Fact]
    public void Replies_with_compound_parameters_and_allowed_values_read_back()
    {
        var reply = new TaskReply
        {
            Errors =
            [
                new TaskError
                {
                    Code = ErrorCodes.IncompatibleParameters, Message = "m",
                    Parameter = ErrorParameter.FromPaths("settings.repaintingStart", "inputs.audio"),
                    AllowedValues = new JsonArray("a", "b"),
                },
                new TaskError { Code = ErrorCodes.QueueFull, Message = "busy", RetryAfter = 5 },
            ],
        };

        var read = ContractsJson.ReadReply(ContractsJson.ToUtf8(reply));

        Assert.Equal(reply.Errors[0].Parameter, read.Errors![0].Parameter);
        Assert.True(read.Errors[0].Parameter!.IsCompound);
        Assert.Equal(5, read.Errors[1].RetryAfter);
        Assert.Null(read.Errors[1].Parameter);
        Assert.True(JsonNode.DeepEquals(reply.Errors[0].AllowedValues, read.Errors[0].AllowedValues));
    }

    [Fact]
    public void Readable_replies_keep_sharps_and_quotes()
    {
        var text = System.Text.Encoding.UTF8.GetString(ContractsJson.ToUtf8(new TaskReply
        {
            Errors = [new TaskError { Code = "invalidKeyScale", Message = "'F♯ dorian' is not a key." }],
        }));

        Assert.Contains("'F♯ dorian'", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("settings.keyScale", "invalidKeyScale", "missingKeyScale", "unsupportedKeyScale")]
    [InlineData("CFGScale", "invalidCFGScale", "missingCFGScale", "unsupportedCFGScale")]
    [InlineData("inputs.audio", "invalidAudio", "missingAudio", "unsupportedAudio")]
    [InlineData("audioSettings", "invalidAudioSettings", "missingAudioSettings", "unsupportedAudioSettings")]
    public void Codes_name_the_last_segment(string parameter, string invalid, string missing, string unsupported) =>
        Assert.Equal((invalid, missing, unsupported), (ErrorCodes.Invalid(parameter), ErrorCodes.Missing(parameter), ErrorCodes.Unsupported(parameter)));

    [Fact]
    public void Wire_names_round_trip_for_every_enum_value()
    {
        Assert.All(Enum.GetValues<OutputType>(), v => Assert.True(WireNames.TryParseOutputType(v.ToWire(), out var r) && r == v));
        Assert.All(Enum.GetValues<OutputFormat>(), v => Assert.True(WireNames.TryParseOutputFormat(v.ToWire(), out var r) && r == v));
        Assert.All(Enum.GetValues<DeliveryMethod>(), v => Assert.True(WireNames.TryParseDeliveryMethod(v.ToWire(), out var r) && r == v));
        Assert.All(Enum.GetValues<GuidanceType>(), v => Assert.True(WireNames.TryParseGuidanceType(v.ToWire(), out var r) && r == v));
        Assert.All(Enum.GetValues<MediaOperation>(), v => Assert.True(WireNames.TryParseMediaOperation(v.ToWire(), out var r) && r == v));
        // The JSON converters use the same names.
        Assert.All(Enum.GetValues<OutputFormat>(), v =>
            Assert.Equal($"\"{v.ToWire()}\"", JsonSerializer.Serialize(new AudioInferenceTask { TaskUuid = Guid.Empty, Model = "m", PositivePrompt = "pp", OutputFormat = v },
                ContractsJson.Default.AudioInferenceTask).Split("\"outputFormat\":")[1].TrimEnd('}')));
    }

    [Fact]
    public void Bitrate_tables_match_the_seed_document()
    {
        Assert.Equal([8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000], AudioFormats.Mp3.Select(r => r.SampleRate));
        Assert.Equal(new BitrateRow(44_100, 32, 320), AudioFormats.FindRow(AudioFormats.Mp3, 44_100));
        Assert.Equal(new BitrateRow(16_000, 16, 96), AudioFormats.FindRow(AudioFormats.OggMono, 16_000));
        Assert.Equal(new BitrateRow(16_000, 24, 192), AudioFormats.FindRow(AudioFormats.OggStereo, 16_000));
        Assert.Equal(40, AudioFormats.FindRow(AudioFormats.OggMono, 8_000)!.Value.DefaultBitrate);
        Assert.Equal(128, AudioFormats.FindRow(AudioFormats.Mp3, 22_050)!.Value.DefaultBitrate);
        Assert.Null(AudioFormats.FindRow(AudioFormats.OggStereo, 44_100));
    }

    [Fact]
    public void Vocal_languages_are_the_51_codes()
    {
        Assert.Equal(51, VocalLanguages.All.Count);
        Assert.Equal(51, VocalLanguages.All.Distinct().Count());
        Assert.Contains("yue", VocalLanguages.All);
    }

    [Fact]
    public void Result_items_write_only_what_is_set()
    {
        var item = new AudioInferenceResult
        {
            TaskUuid = Guid.Parse("3f0b8a0e-6c1d-4e2f-9a3b-5c6d7e8f9a0b"),
            AudioUuid = Guid.Parse("9b2f4c1e-8d3a-4b5c-a6d7-e8f9a0b1c2d3"),
            AudioAttachment = 1,
            Seed = 4_000_000_000,
            Status = ResultStatus.Processing,
            Progress = 40,
        };

        var json = ContractsJson.ToJsonObject(item, ContractsJson.Default.AudioInferenceResult);

        Assert.Equal(["taskType", "taskUUID", "audioUUID", "audioAttachment", "seed", "status", "progress"], json.Select(p => p.Key));
        Assert.Equal("processing", (string)json["status"]!);
        Assert.Equal(4_000_000_000, (long)json["seed"]!);
    }

    [Fact]
    public void Small_replies_serialise_with_their_wire_names()
    {
        var pong = ContractsJson.ToJsonObject(new PingResult(), ContractsJson.Default.PingResult);
        var media = ContractsJson.ToJsonObject(new MediaStorageResult
        {
            MediaUuid = Guid.Parse("9b2f4c1e-8d3a-4b5c-a6d7-e8f9a0b1c2d3"),
            MediaUrl = new Uri("http://127.0.0.1:8001/v1/media/9b2f4c1e-8d3a-4b5c-a6d7-e8f9a0b1c2d3.wav"),
        }, ContractsJson.Default.MediaStorageResult);
        var ack = ContractsJson.ToJsonObject(new TaskAcknowledgement { TaskType = TaskTypes.AudioInference, TaskUuid = Guid.Empty },
            ContractsJson.Default.TaskAcknowledgement);

        Assert.Equal("""{"taskType":"ping","pong":true}""", pong.ToJsonString());
        Assert.Equal(["taskType", "mediaUUID", "mediaURL"], media.Select(p => p.Key));
        Assert.Equal(["taskType", "taskUUID"], ack.Select(p => p.Key));
    }
}
