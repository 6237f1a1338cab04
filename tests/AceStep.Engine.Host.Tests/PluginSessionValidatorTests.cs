using System.Text.Json.Nodes;
using AceStep.Contracts;
using AceStep.Contracts.Sessions;
using AceStep.Contracts.Validation;

namespace AceStep.Engine.Host.Tests;

/// <summary>The pluginSession task and the page's commands are checked field by field, with messages in words.</summary>
public sealed class PluginSessionValidatorTests
{
    private const string Instance = "3f2b8c1e-7a4d-4e6b-9c0d-1a2b3c4d5e6f";

    private static JsonObject Task(string operation, Action<JsonObject>? more = null)
    {
        var task = new JsonObject { ["taskType"] = "pluginSession", ["operation"] = operation, ["instanceId"] = Instance };
        more?.Invoke(task);
        return task;
    }

    [Fact]
    public void Over_http_the_task_is_refused_as_a_pipe_only_feature()
    {
        var result = PluginSessionValidator.Validate(Task("open"), TransportKind.Http);

        var error = Assert.Single(result.Errors);
        Assert.Equal(ErrorCodes.UnsupportedTaskType, error.Code);
        Assert.Contains("named pipe only", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_valid_poll_gets_the_default_wait_and_sequence()
    {
        var result = PluginSessionValidator.Validate(Task("poll"), TransportKind.Pipe);

        Assert.True(result.IsValid);
        Assert.Equal((0L, PluginSessionValidator.DefaultWaitSeconds), (result.Value.AfterSequence!.Value, result.Value.WaitSeconds!.Value));
        Assert.Equal(Guid.Parse(Instance), result.Value.InstanceId);
    }

    [Fact]
    public void An_unknown_field_is_refused_naming_the_allowed_ones()
    {
        var result = PluginSessionValidator.Validate(Task("open", t => t["colour"] = "red"), TransportKind.Pipe);

        var error = Assert.Single(result.Errors);
        Assert.Equal(ErrorCodes.UnknownParameter, error.Code);
        Assert.Contains("'colour' is not a field", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_field_of_another_operation_is_refused_saying_which_operation_takes_it()
    {
        // 'view' sent with a poll: a plugin mixing up its requests.
        var result = PluginSessionValidator.Validate(Task("poll", t => t["view"] = new JsonObject()), TransportKind.Pipe);

        var error = Assert.Single(result.Errors);
        Assert.Contains("belongs to operation 'update', not 'poll'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not-a-uuid")]
    [InlineData("3f2b8c1e-7a4d-1e6b-9c0d-1a2b3c4d5e6f")] // version 1: guessable ids are not page capabilities
    public void An_instance_id_that_is_not_a_random_uuid_v4_is_refused(string instanceId)
    {
        var result = PluginSessionValidator.Validate(Task("open", t => t["instanceId"] = instanceId), TransportKind.Pipe);

        var error = Assert.Single(result.Errors);
        Assert.Equal("invalidInstanceId", error.Code);
        Assert.Contains("UUID v4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_operation_is_refused_listing_the_operations()
    {
        var result = PluginSessionValidator.Validate(Task("reboot"), TransportKind.Pipe);

        var error = Assert.Single(result.Errors);
        Assert.Contains("allowed: open, update, putTake, poll, close", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PutTake_needs_a_take_id_and_an_attachment_reference_not_a_data_uri()
    {
        var result = PluginSessionValidator.Validate(Task("putTake", t => t["audio"] = "data:audio/wav;base64,AAAA"), TransportKind.Pipe);

        Assert.Equal(["invalidAudio", "missingTakeId"], result.Errors.Select(e => e.Code).Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public void A_take_id_with_a_slash_is_refused_because_it_becomes_part_of_a_url()
    {
        var result = PluginSessionValidator.Validate(Task("putTake", t =>
        {
            t["takeId"] = "../etc";
            t["audio"] = "attachment:1";
        }), TransportKind.Pipe);

        Assert.Equal("invalidTakeId", Assert.Single(result.Errors).Code);
    }

    [Fact]
    public void A_poll_wait_over_thirty_seconds_is_refused()
    {
        var result = PluginSessionValidator.Validate(Task("poll", t => t["waitSeconds"] = 31), TransportKind.Pipe);

        Assert.Contains("0 to 30 s", Assert.Single(result.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_update_view_is_read_with_its_takes()
    {
        var result = PluginSessionValidator.Validate(Task("update", t => t["view"] = JsonNode.Parse(
            """{"context":{"tempo":124},"takes":[{"id":"t1","duration":4.5}],"settings":{"prompt":"disco"}}""")), TransportKind.Pipe);

        Assert.True(result.IsValid);
        Assert.Equal((124.0, "t1", "disco"), (result.Value.View!.Context.Tempo!.Value, result.Value.View.Takes[0].Id, result.Value.View.Settings.Prompt));
    }

    [Fact]
    public void An_update_with_an_empty_view_reads_the_documented_defaults_not_nulls()
    {
        var result = PluginSessionValidator.Validate(Task("update", t => t["view"] = new JsonObject()), TransportKind.Pipe);

        Assert.True(result.IsValid);
        var view = result.Value.View!;
        Assert.Equal((0, "idle", "take", "repaint", 0), (view.Takes.Count, view.Job.State, view.Listen, view.Settings.Mode, view.Context.BarLines.Count));
    }

    [Fact]
    public void A_generate_command_is_normalised_key_and_language_included()
    {
        var result = SessionCommandValidator.Validate(JsonNode.Parse(
            """{"command":"generate","settings":{"prompt":"funk","keyScale":"f# MINOR","language":"DE","steps":8,"strength":0.7}}""")!.AsObject());

        Assert.True(result.IsValid);
        var settings = result.Value.Settings!;
        Assert.Equal(("F# minor", "de", 8, 0.7, "repaint"), (settings.KeyScale, settings.Language, settings.Steps, settings.Strength, settings.Mode));
        Assert.Equal("base", settings.Model);
    }

    [Fact]
    public void A_generate_command_can_ask_for_the_turbo_model()
    {
        var result = SessionCommandValidator.Validate(JsonNode.Parse(
            """{"command":"generate","settings":{"prompt":"funk","model":"turbo"}}""")!.AsObject());

        Assert.True(result.IsValid);
        Assert.Equal("turbo", result.Value.Settings!.Model);
    }

    [Theory]
    [InlineData("""{"command":"explode"}""", "'explode' is not a command")]
    [InlineData("""{"command":"generate","settings":{"strength":1.5}}""", "'settings.strength' is 1.5; it must be from 0 to 1")]
    [InlineData("""{"command":"generate","settings":{"steps":0}}""", "'settings.steps' is 0")]
    [InlineData("""{"command":"settings","settings":{"keyScale":"H minor"}}""", "The key 'H minor' is not a key")]
    [InlineData("""{"command":"settings","settings":{"mode":"remix"}}""", "The mode 'remix' is not known")]
    [InlineData("""{"command":"generate","settings":{"model":"xl"}}""", "The model 'xl' is not known; choose base or turbo")]
    [InlineData("""{"command":"listen","listen":"both"}""", "must be 'take' or 'original'")]
    [InlineData("""{"command":"generate","settings":{"mode":"lego","trackName":"kazoo"}}""", "The track 'kazoo' is not a stem the model knows; use one of: woodwinds, brass")]
    [InlineData("""{"command":"settings","settings":{"trackName":7}}""", "settings.trackName")]
    [InlineData("""{"command":"settings","settings":{"mode":"complete","trackClasses":["drums","kazoo"]}}""", "not a stem the model knows")]
    [InlineData("""{"command":"settings","settings":{"trackClasses":"drums"}}""", "trackClasses must be an array")]
    [InlineData("""{"command":"deleteTake"}""", "'takeId' is required")]
    [InlineData("""{"command":"cancel","sequence":4}""", "'sequence' is set by the engine")]
    [InlineData("""{"command":"generate"}""", "'settings' is required")]
    public void A_bad_command_is_refused_in_words(string json, string expected)
    {
        var result = SessionCommandValidator.Validate(JsonNode.Parse(json)!.AsObject());

        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.Message.Contains(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("lego", "DRUMS ", "drums")]
    [InlineData("extract", "backing_vocals", "backing_vocals")]
    public void The_stem_modes_and_their_track_are_accepted_and_normalised(string mode, string track, string expected)
    {
        var result = SessionCommandValidator.Validate(JsonNode.Parse(
            $$$"""{"command":"generate","settings":{"prompt":"funk","mode":"{{{mode}}}","trackName":"{{{track}}}"}}""")!.AsObject());

        Assert.True(result.IsValid, string.Join(" ", result.Errors.Select(e => e.Message)));
        Assert.Equal((mode, expected), (result.Value.Settings!.Mode, result.Value.Settings.TrackName));
    }

    [Fact]
    public void Complete_takes_its_track_classes_in_order_without_repeats()
    {
        var result = SessionCommandValidator.Validate(JsonNode.Parse(
            """{"command":"settings","settings":{"mode":"complete","trackClasses":["Bass","drums","bass"]}}""")!.AsObject());

        Assert.True(result.IsValid);
        Assert.Equal(["bass", "drums"], result.Value.Settings!.TrackClasses);
    }

    [Fact]
    public void Select_take_without_a_take_id_means_no_take()
    {
        var result = SessionCommandValidator.Validate(new JsonObject { ["command"] = SessionCommands.SelectTake });

        Assert.True(result.IsValid);
        Assert.Null(result.Value.TakeId);
    }
}
