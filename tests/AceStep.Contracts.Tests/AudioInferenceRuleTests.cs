using System.Text.Json;
using System.Text.Json.Nodes;
using AceStep.Contracts.Tasks;
using AceStep.Contracts.Validation;
using static AceStep.Contracts.Tests.TestSupport;

namespace AceStep.Contracts.Tests;

/// <summary>Rules beyond one field: all errors at once, turbo models, key normalisation, grids, error items.</summary>
public sealed class AudioInferenceRuleTests
{
    private static readonly AudioModelCatalog s_withTurbo = AudioModelCatalog.Default.With(AudioModelCatalog.Turbo);

    private static TaskValidation<AudioInferenceRequest> Validate(string patch, TransportKind transport = TransportKind.Http) =>
        AudioInferenceValidator.Validate(Patch(MinimalTask(), patch), transport);

    [Fact]
    public void Every_error_of_a_task_is_reported_in_field_order()
    {
        // Tried: bad UUID, unknown top-level field, short prompt, duration out of range, CFGScale as a string,
        // WAV with audioSettings, an unknown settings field, a bad key, repainting without audio.
        var result = Validate("taskUUID=\"nope\";;colour=\"red\";;positivePrompt=\"x\";;duration=400;;CFGScale=\"7\";;" +
                              "outputFormat=\"WAV\";;audioSettings.bitrate=128;;settings.mood=\"sad\";;settings.keyScale=\"X major\";;" +
                              "settings.repaintingStart=3");

        Assert.False(result.IsValid);
        Assert.Equal(
        [
            "invalidTaskUUID taskUUID", "unknownParameter colour", "invalidPositivePrompt positivePrompt",
            "invalidDuration duration", "invalidCFGScale CFGScale", "unsupportedAudioSettings audioSettings",
            "unknownParameter settings.mood", "invalidKeyScale settings.keyScale",
            "incompatibleParameters settings.repaintingStart, inputs.audio",
        ], result.Errors.Select(e => $"{e.Code} {e.Parameter}"));
    }

    [Fact]
    public void Missing_required_fields_are_all_reported()
    {
        var result = AudioInferenceValidator.Validate(new JsonObject { ["taskType"] = "audioInference" }, TransportKind.Http);

        Assert.Equal(["missingTaskUUID", "missingModel", "missingPositivePrompt"], result.Errors.Select(e => e.Code));
    }

    [Fact]
    public void Pipe_extensions_over_http_report_each_one()
    {
        // Tried over HTTP: PCM_F32 as attachment with an attachment input.
        var result = Validate("outputFormat=\"PCM_F32\";;outputType=\"attachment\";;inputs.audio=\"attachment:1\"");

        Assert.Equal(["unsupportedOutputType", "unsupportedOutputFormat", "unsupportedAudio"], result.Errors.Select(e => e.Code));
    }

    [Fact]
    public void Unknown_fields_at_every_level_are_reported_with_their_dotted_path()
    {
        var result = Validate("extra=1;;settings.extra=2;;inputs.extra=3;;audioSettings.extra=4");

        Assert.Equal(["extra", "audioSettings.extra", "inputs.extra", "settings.extra"],
            result.Errors.Where(e => e.Code == ErrorCodes.UnknownParameter).Select(e => e.Parameter!.Path));
    }

    [Fact]
    public void Unknown_field_in_the_wrong_letter_case_gets_a_hint()
    {
        var error = Assert.Single(Validate("settings.KeyScale=\"C major\"").Errors);

        Assert.Contains("did you mean 'settings.keyScale'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Errors_echo_the_task_type_and_the_raw_task_uuid()
    {
        var result = Validate("taskUUID=\"3f0b8a0e-6c1d-1e2f-9a3b-5c6d7e8f9a0b\";;steps=0");

        Assert.All(result.Errors, e =>
        {
            Assert.Equal("audioInference", e.TaskType);
            Assert.Equal("3f0b8a0e-6c1d-1e2f-9a3b-5c6d7e8f9a0b", e.TaskUuid);
        });
    }

    [Fact]
    public void Turbo_model_rejects_guidance_fields()
    {
        var task = Patch(MinimalTask(), "model=\"runware:ace-step@v1.5-turbo\";;CFGScale=7;;negativePrompt=\"no drums\";;settings.guidanceType=\"cfg\"");

        var result = AudioInferenceValidator.Validate(task, TransportKind.Http, s_withTurbo);

        Assert.Equal(
            ["unsupportedNegativePrompt negativePrompt", "unsupportedCFGScale CFGScale", "unsupportedGuidanceType settings.guidanceType"],
            result.Errors.Select(e => $"{e.Code} {e.Parameter}"));
    }

    [Fact]
    public void Turbo_model_without_guidance_fields_is_valid_with_its_own_defaults()
    {
        var task = Patch(MinimalTask(), "model=\"runware:ace-step@v1.5-turbo\"");

        var request = AudioInferenceValidator.Validate(task, TransportKind.Http, s_withTurbo).Value!;

        Assert.True(request.IsTurbo);
        Assert.Equal(8, request.Steps);
        Assert.Equal(1, request.CfgScale);
    }

    [Fact]
    public void Turbo_rule_leaves_the_base_model_alone()
    {
        var task = Patch(MinimalTask(), "CFGScale=7;;negativePrompt=\"no drums\";;settings.guidanceType=\"cfg\"");

        Assert.True(AudioInferenceValidator.Validate(task, TransportKind.Http, s_withTurbo).IsValid);
    }

    public static TheoryData<string> AllKeySpellings()
    {
        var data = new TheoryData<string>();
        foreach (var note in "ABCDEFG")
        {
            foreach (var accidental in new[] { "", "#", "b", "♯", "♭" })
            {
                foreach (var mode in new[] { "major", "minor" })
                {
                    data.Add($"{note}{accidental} {mode}");
                }
            }
        }
        return data;
    }

    [Fact]
    public void There_are_seventy_key_spellings_and_forty_two_normal_forms()
    {
        Assert.Equal(70, AllKeySpellings().Count);
        Assert.Equal(42, KeyScales.NormalForms.Count);
    }

    [Theory]
    [MemberData(nameof(AllKeySpellings))]
    public void Every_key_spelling_is_accepted_and_normalised_to_ascii(string key)
    {
        var request = Validate($"settings.keyScale={JsonSerializer.Serialize(key.ToUpperInvariant().Replace("B ", "b ", StringComparison.Ordinal))}").Value;

        Assert.NotNull(request);
        var expected = key.Replace('♯', '#').Replace('♭', 'b');
        Assert.Equal(expected, request.Settings.KeyScale);
        Assert.Contains(expected, KeyScales.NormalForms);
    }

    [Fact]
    public void Grid_values_in_range_are_rounded_half_away_from_zero()
    {
        var random = new Random(1234);
        for (var i = 0; i < 2000; i++)
        {
            var cfg = 1 + random.NextDouble() * 29;
            var duration = 6 + random.NextDouble() * 294;
            var request = Validate($"CFGScale={cfg:R};;duration={duration:R}").Value!;

            Assert.Equal(Math.Round((decimal)cfg, 2, MidpointRounding.AwayFromZero), (decimal)request.CfgScale);
            Assert.Equal(Math.Round((decimal)duration, 1, MidpointRounding.AwayFromZero), (decimal)request.Duration);
            Assert.True(Math.Abs(request.CfgScale - cfg) <= 0.005 + 1e-9);
            Assert.True(Math.Abs(request.Duration - duration) <= 0.05 + 1e-9);
        }
    }

    [Fact]
    public void Values_from_a_built_json_object_are_read_like_parsed_ones()
    {
        // Not parsed from text: JsonValue<int>, JsonValue<float>, JsonValue<decimal>, JsonValue<long>.
        var task = MinimalTask();
        task["duration"] = 60.04m;
        task["CFGScale"] = 8.504f;
        task["steps"] = 50;
        task["seed"] = 7L;
        task["settings"] = new JsonObject { ["timeSignature"] = 3, ["bpm"] = (short)120 };

        var request = AudioInferenceValidator.Validate(task, TransportKind.Http).Value!;

        Assert.Equal((60.0, 8.5, 50, 7L, 3, 120), (request.Duration, request.CfgScale, request.Steps, request.Seed, request.Settings.TimeSignature, request.Settings.Bpm));
    }

    [Fact]
    public void Json_null_counts_as_absent_for_optional_fields()
    {
        var request = Validate("negativePrompt=null;;seed=null;;settings.keyScale=null;;inputs.audio=null").Value!;

        Assert.Null(request.NegativePrompt);
        Assert.Null(request.Seed);
        Assert.Null(request.Settings.KeyScale);
        Assert.Equal(JobKind.TextToMusic, request.Kind);
    }

    [Fact]
    public void Repaint_cover_and_text_to_music_are_derived()
    {
        const string audio = "inputs.audio=\"https://example.com/a.wav\"";
        Assert.Equal(JobKind.TextToMusic, Validate("").Value!.Kind);
        Assert.Equal(JobKind.Cover, Validate(audio).Value!.Kind);
        Assert.Equal(JobKind.Repaint, Validate(audio + ";;settings.repaintingStart=-2").Value!.Kind);
        Assert.Equal(JobKind.Repaint, Validate(audio + ";;settings.repaintingStart=2;;settings.repaintingEnd=8").Value!.Kind);
    }

    [Fact]
    public void Several_ignored_fields_are_listed_without_errors()
    {
        // Tried: text-to-music with strength and coverConditioningScale, base64 output with ttl, CFGScale 1 with a negative prompt.
        var result = Validate("strength=0.2;;settings.coverConditioningScale=0.4;;outputType=\"base64Data\";;ttl=120;;CFGScale=1;;negativePrompt=\"harsh\"");

        Assert.True(result.IsValid);
        Assert.Equal(["strength", "negativePrompt", "settings.coverConditioningScale", "ttl"], result.Value.IgnoredParameters);
    }

    [Fact]
    public void Compound_parameters_serialise_as_a_json_array()
    {
        var error = Assert.Single(Validate("settings.repaintingEnd=4").Errors);

        var json = JsonNode.Parse(ContractsJson.ToUtf8(new TaskReply { Errors = [error] }))!;

        var parameter = Assert.IsType<JsonArray>(json["errors"]![0]!["parameter"]);
        Assert.Equal(["settings.repaintingEnd", "inputs.audio"], parameter.Select(p => (string)p!));
        Assert.Equal("incompatibleParameters", (string)json["errors"]![0]!["code"]!);
    }

    [Fact]
    public void Allowed_values_name_what_the_field_takes()
    {
        var sampleRate = Assert.Single(Validate("outputFormat=\"OGG\";;audioSettings.sampleRate=44100").Errors);
        Assert.Equal([8000, 12000, 16000, 24000, 48000], sampleRate.AllowedValues!.AsArray().Select(v => (int)v!));

        var bitrate = Assert.Single(Validate("outputFormat=\"OGG\";;audioSettings.channels=1;;audioSettings.bitrate=300").Errors);
        Assert.Equal("32 to 224 kbps", (string)bitrate.AllowedValues!);
        Assert.Contains("1 channel", bitrate.Message, StringComparison.Ordinal);

        var wav = Assert.Single(Validate("outputFormat=\"WAV\";;audioSettings={}").Errors);
        Assert.Equal(["MP3", "OGG"], wav.AllowedValues!.AsArray().Select(v => (string)v!));

        var language = Assert.Single(Validate("settings.vocalLanguage=\"klingon\"").Errors);
        Assert.Equal(51, language.AllowedValues!.AsArray().Count);

        var duration = Assert.Single(Validate("duration=5").Errors);
        Assert.Equal("6 to 300 seconds, step 0.1", (string)duration.AllowedValues!);
        Assert.Contains("6 to 300", duration.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Long_values_are_shortened_in_messages()
    {
        var error = Assert.Single(Validate("settings.keyScale=@Z*500").Errors);

        Assert.True(error.Message.Length < 400, error.Message);
        Assert.Contains("(500 characters)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Seed_examples_keep_validating_after_their_json_is_rewritten_by_the_typed_model()
    {
        foreach (var example in SeedExamples)
        {
            var typed = JsonSerializer.Deserialize(ReadTestData(example + ".request.json"), ContractsJson.Default.AudioInferenceTask)!;
            var node = JsonSerializer.SerializeToNode(typed, ContractsJson.Default.AudioInferenceTask)!.AsObject();

            Assert.True(AudioInferenceValidator.Validate(node, TransportKind.Http).IsValid, example);
        }
    }

    [Fact]
    public void Typed_task_writes_the_wire_names_of_enums()
    {
        var task = new AudioInferenceTask
        {
            TaskUuid = Guid.Parse("3f0b8a0e-6c1d-4e2f-9a3b-5c6d7e8f9a0b"),
            Model = AudioModelCatalog.Base.Id,
            PositivePrompt = "dreamy shoegaze",
            OutputType = OutputType.DataUri,
            OutputFormat = OutputFormat.PcmF32,
            DeliveryMethod = DeliveryMethod.Async,
            Settings = new AudioInferenceTaskSettings { GuidanceType = GuidanceType.Cfg, TimeSignature = 3 },
        };

        var json = JsonSerializer.SerializeToNode(task, ContractsJson.Default.AudioInferenceTask)!;

        Assert.Equal("dataURI", (string)json["outputType"]!);
        Assert.Equal("PCM_F32", (string)json["outputFormat"]!);
        Assert.Equal("async", (string)json["deliveryMethod"]!);
        Assert.Equal("cfg", (string)json["settings"]!["guidanceType"]!);
        Assert.Equal(3, (int)json["settings"]!["timeSignature"]!);
        Assert.Null(json["negativePrompt"]);
    }

    [Fact]
    public void Typed_task_reads_a_time_signature_string()
    {
        var typed = JsonSerializer.Deserialize("""{"taskUUID":"3f0b8a0e-6c1d-4e2f-9a3b-5c6d7e8f9a0b","model":"m","positivePrompt":"pp","settings":{"timeSignature":"6"}}""",
            ContractsJson.Default.AudioInferenceTask)!;
        var empty = JsonSerializer.Deserialize("""{"taskUUID":"3f0b8a0e-6c1d-4e2f-9a3b-5c6d7e8f9a0b","model":"m","positivePrompt":"pp","settings":{"timeSignature":""}}""",
            ContractsJson.Default.AudioInferenceTask)!;

        Assert.Equal(6, typed.Settings!.TimeSignature);
        Assert.Null(empty.Settings!.TimeSignature);
    }
}
