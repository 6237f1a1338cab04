using AceStep.Contracts.Tasks;
using AceStep.Contracts.Validation;
using static AceStep.Contracts.Tests.TestSupport;

namespace AceStep.Contracts.Tests;

/// <summary>The engine extension <c>settings.task</c> (lego, extract, complete) with its track fields.</summary>
public sealed class StemTaskValidationTests
{
    private const string Audio = "inputs.audio=\"9b2f4c1e-8d3a-4b5c-a6d7-e8f9a0b1c2d3\"";
    private static readonly AudioModelCatalog s_withTurbo = AudioModelCatalog.Default.With(AudioModelCatalog.Turbo);

    private static TaskValidation<AudioInferenceRequest> Validate(string patch, TransportKind transport = TransportKind.Http) =>
        AudioInferenceValidator.Validate(Patch(MinimalTask(), patch), transport, s_withTurbo);

    private static string[] Errors(string patch) =>
        [.. Validate(patch).Errors.Select(e => $"{e.Code} {e.Parameter}")];

    [Theory]
    [InlineData("settings.task=\"lego\";;settings.trackName=\"drums\"", JobKind.Lego, "drums", null)]
    [InlineData("settings.task=\" LEGO \";;settings.trackName=\"Backing_Vocals\"", JobKind.Lego, "backing_vocals", null)]
    [InlineData("settings.task=\"extract\";;settings.trackName=\"vocals\"", JobKind.Extract, "vocals", null)]
    [InlineData("settings.task=\"complete\";;settings.trackClasses=[\"Drums\",\"bass\"]", JobKind.Complete, null, "drums,bass")]
    [InlineData("settings.task=\"complete\"", JobKind.Complete, null, null)]
    public void A_stem_task_with_source_audio_is_accepted_and_normalised(string patch, JobKind kind, string? track, string? classes)
    {
        var result = Validate(Audio + ";;" + patch);

        Assert.True(result.IsValid, string.Join("; ", result.Errors.Select(e => e.Message)));
        Assert.Equal(kind, result.Value!.Kind);
        Assert.Equal(track, result.Value.Settings.TrackName);
        Assert.Equal(classes, result.Value.Settings.TrackClasses is { } c ? string.Join(',', c) : null);
    }

    [Fact]
    public void A_lego_takes_the_repainting_fields_as_its_span_and_round_trips()
    {
        var result = Validate(Audio + ";;settings.task=\"lego\";;settings.trackName=\"bass\";;settings.repaintingStart=2;;settings.repaintingEnd=6;;strength=0.4");

        Assert.True(result.IsValid);
        var request = result.Value!;
        Assert.Equal((JobKind.Lego, 2.0, 6.0), (request.Kind, request.Settings.RepaintingStart!.Value, request.Settings.RepaintingEnd!.Value));
        Assert.Empty(request.IgnoredParameters);
        var again = AudioInferenceValidator.Validate(System.Text.Json.Nodes.JsonNode.Parse(
            System.Text.Json.JsonSerializer.Serialize(request.ToTask(), ContractsJson.Default.AudioInferenceTask))!.AsObject(), TransportKind.Http);
        Assert.True(again.IsValid);
        Assert.Equal(request.Settings with { }, again.Value!.Settings with { TrackClasses = request.Settings.TrackClasses });
        Assert.Equal(JobKind.Lego, again.Value.Kind);
    }

    [Theory]
    // Tried: each stem job with positivePrompt left out, with it JSON null, and with it the empty string.
    [InlineData("-positivePrompt;;settings.task=\"extract\";;settings.trackName=\"vocals\"", JobKind.Extract)]
    [InlineData("positivePrompt=null;;settings.task=\"extract\";;settings.trackName=\"vocals\"", JobKind.Extract)]
    [InlineData("positivePrompt=\"\";;settings.task=\" Extract \";;settings.trackName=\"drums\"", JobKind.Extract)]
    [InlineData("-positivePrompt;;settings.task=\"lego\";;settings.trackName=\"drums\"", JobKind.Lego)]
    [InlineData("-positivePrompt;;settings.task=\"complete\"", JobKind.Complete)]
    public void A_stem_job_needs_no_caption_its_instruction_names_the_part(string patch, JobKind kind)
    {
        var result = Validate(Audio + ";;" + patch);

        Assert.True(result.IsValid, string.Join("; ", result.Errors.Select(e => e.Message)));
        Assert.Equal((kind, ""), (result.Value!.Kind, result.Value.PositivePrompt));
        // Stored and read back (the job journal keeps ToTask's form), the empty caption is accepted again.
        var again = AudioInferenceValidator.Validate(System.Text.Json.Nodes.JsonNode.Parse(
            System.Text.Json.JsonSerializer.Serialize(result.Value.ToTask(), ContractsJson.Default.AudioInferenceTask))!.AsObject(), TransportKind.Http);
        Assert.True(again.IsValid, string.Join("; ", again.Errors.Select(e => e.Message)));
        Assert.Equal("", again.Value!.PositivePrompt);
    }

    [Theory]
    // Tried: the seed document's tasks without positivePrompt, or with it empty: still required, as Runware's contract says.
    [InlineData("-positivePrompt", "missingPositivePrompt positivePrompt")]
    [InlineData("-positivePrompt;;" + Audio, "missingPositivePrompt positivePrompt")]
    [InlineData("-positivePrompt;;" + Audio + ";;settings.repaintingStart=1;;settings.repaintingEnd=3", "missingPositivePrompt positivePrompt")]
    [InlineData("positivePrompt=\"\"", "invalidPositivePrompt positivePrompt")]
    // Tried: an unknown settings.task does not make the caption optional.
    [InlineData("-positivePrompt;;" + Audio + ";;settings.task=\"separate\"", "missingPositivePrompt positivePrompt|invalidTask settings.task")]
    // Tried: a stem job's caption, when given, is a text of 2 to 3000 characters like any other.
    [InlineData(Audio + ";;positivePrompt=\"x\";;settings.task=\"extract\";;settings.trackName=\"drums\"", "invalidPositivePrompt positivePrompt")]
    [InlineData(Audio + ";;positivePrompt=\"   \";;settings.task=\"extract\";;settings.trackName=\"drums\"", "invalidPositivePrompt positivePrompt")]
    [InlineData(Audio + ";;positivePrompt=7;;settings.task=\"lego\";;settings.trackName=\"drums\"", "invalidPositivePrompt positivePrompt")]
    public void The_caption_stays_required_outside_the_stem_jobs_and_a_given_one_is_checked(string patch, string expected) =>
        Assert.Equal(expected.Split('|'), Errors(patch));

    [Fact]
    public void Extract_lists_strength_as_ignored()
    {
        var result = Validate(Audio + ";;settings.task=\"extract\";;settings.trackName=\"drums\";;strength=0.7");
        Assert.Equal(["strength"], result.Value!.IgnoredParameters);
    }

    [Theory]
    // Tried: lego and extract without settings.trackName.
    [InlineData("settings.task=\"lego\"", "missingTrackName settings.trackName")]
    [InlineData("settings.task=\"extract\"", "missingTrackName settings.trackName")]
    // Tried: a stem the model does not know, and a number for a name.
    [InlineData("settings.task=\"lego\";;settings.trackName=\"cowbell\"", "invalidTrackName settings.trackName")]
    [InlineData("settings.task=\"extract\";;settings.trackName=7", "invalidTrackName settings.trackName")]
    // Tried: an unknown task name.
    [InlineData("settings.task=\"separate\";;settings.trackName=\"drums\"", "invalidTask settings.task")]
    // Tried: complete with a bad, duplicated, empty or non-array class list.
    [InlineData("settings.task=\"complete\";;settings.trackClasses=[\"drums\",\"kazoo\"]", "invalidTrackClasses settings.trackClasses")]
    [InlineData("settings.task=\"complete\";;settings.trackClasses=[\"drums\",\"DRUMS\"]", "invalidTrackClasses settings.trackClasses")]
    [InlineData("settings.task=\"complete\";;settings.trackClasses=[]", "invalidTrackClasses settings.trackClasses")]
    [InlineData("settings.task=\"complete\";;settings.trackClasses=\"drums\"", "invalidTrackClasses settings.trackClasses")]
    // Tried: the track field of the other kind of stem job, and track fields without a task.
    [InlineData("settings.task=\"complete\";;settings.trackName=\"drums\"", "incompatibleParameters settings.trackName, settings.task")]
    [InlineData("settings.task=\"lego\";;settings.trackName=\"drums\";;settings.trackClasses=[\"bass\"]", "incompatibleParameters settings.trackClasses, settings.task")]
    [InlineData("settings.trackName=\"drums\"", "incompatibleParameters settings.trackName, settings.task")]
    // Tried: a span on extract and complete, which work on the whole source.
    [InlineData("settings.task=\"extract\";;settings.trackName=\"drums\";;settings.repaintingStart=1", "incompatibleParameters settings.repaintingStart, settings.task")]
    [InlineData("settings.task=\"complete\";;settings.repaintingStart=1;;settings.repaintingEnd=3", "incompatibleParameters settings.repaintingStart, settings.repaintingEnd, settings.task")]
    public void A_wrong_stem_task_is_refused_naming_the_field(string patch, string expected) =>
        Assert.Equal([expected], Errors(Audio + ";;" + patch));

    [Theory]
    [InlineData("lego", "settings.trackName=\"drums\"")]
    [InlineData("extract", "settings.trackName=\"vocals\"")]
    [InlineData("complete", "settings.trackClasses=[\"drums\"]")]
    public void A_stem_task_without_input_audio_is_incompatible(string task, string track) =>
        // Tried: the task and its track, no inputs.audio.
        Assert.Equal(["incompatibleParameters settings.task, inputs.audio"], Errors($"settings.task=\"{task}\";;{track}"));

    [Fact]
    public void A_lego_span_without_audio_reports_the_missing_audio_once()
    {
        // Tried: lego with a span but no inputs.audio: one error naming the task, not a second one for the span.
        Assert.Equal(["incompatibleParameters settings.task, inputs.audio"],
            Errors("settings.task=\"lego\";;settings.trackName=\"drums\";;settings.repaintingStart=1"));
    }

    [Theory]
    [InlineData("lego", "settings.trackName=\"drums\"")]
    [InlineData("extract", "settings.trackName=\"vocals\"")]
    [InlineData("complete", "settings.trackClasses=[\"drums\"]")]
    public void The_turbo_model_refuses_stem_tasks(string task, string track)
    {
        // Tried: model runware:ace-step@v1.5-turbo with a stem task and source audio.
        var result = Validate($"model=\"runware:ace-step@v1.5-turbo\";;{Audio};;settings.task=\"{task}\";;{track}");

        var error = Assert.Single(result.Errors);
        Assert.Equal(("unsupportedTask", "settings.task"), (error.Code, error.Parameter!.ToString()));
        Assert.Contains("base model only", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_rules_hold_over_the_pipe()
    {
        // Tried over the pipe: lego with an attachment source but no track.
        var result = Validate("inputs.audio=\"attachment:1\";;settings.task=\"lego\"", TransportKind.Pipe);
        Assert.Equal(["missingTrackName settings.trackName"], result.Errors.Select(e => $"{e.Code} {e.Parameter}"));
        Assert.True(Validate("inputs.audio=\"attachment:1\";;settings.task=\"lego\";;settings.trackName=\"drums\"", TransportKind.Pipe).IsValid);
    }
}
