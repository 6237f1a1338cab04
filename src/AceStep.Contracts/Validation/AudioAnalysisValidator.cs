using System.Text.Json.Nodes;
using AceStep.Contracts.Tasks;

namespace AceStep.Contracts.Validation;

/// <summary>
/// Validates <c>audioAnalysis {taskUUID, inputs: {audio}}</c> (engine extension). <c>inputs.audio</c> takes exactly
/// the forms of <c>audioInference</c>'s, with the same errors.
/// </summary>
public static class AudioAnalysisValidator
{
    private static readonly HashSet<string> s_fields = new(StringComparer.Ordinal) { "taskType", "taskUUID", "inputs" };
    private static readonly HashSet<string> s_inputs = new(StringComparer.Ordinal) { "audio" };

    /// <summary>Validates one task object of type <c>audioAnalysis</c>.</summary>
    public static TaskValidation<AudioAnalysisRequest> Validate(JsonObject task, TransportKind transport)
    {
        ArgumentNullException.ThrowIfNull(task);
        var r = TaskReader.Start(task, TaskTypes.AudioAnalysis);
        var taskUuid = r.TaskUuidV4(task, required: true);
        r.UnknownFields(task, "", s_fields);

        const string what = "the audio to analyse: a mediaUUID/audioUUID, an http(s) URL, a data URI or base64 data";
        var inputs = r.Object(r.Required(task, "inputs", "inputs", "an object with " + what + " as 'audio'"), "inputs", "with the audio as 'audio'");
        AudioInputReference? audio = null;
        string? text = null;
        if (inputs is not null)
        {
            r.UnknownFields(inputs, "inputs", s_inputs);
            text = r.String(r.Required(inputs, "audio", "inputs.audio", what), "inputs.audio", what)?.Trim();
            if (text is not null &&
                AudioInferenceValidator.ReadAudioReference(r, text, transport, out var uuid, out var attachment) is { } kind)
            {
                audio = new AudioInputReference(text, kind,
                    kind == AudioInputKind.Uuid ? uuid : null,
                    kind == AudioInputKind.Attachment ? attachment : null);
            }
        }

        return r.HasErrors
            ? TaskValidation.Failure<AudioAnalysisRequest>(r.Errors)
            : TaskValidation.Success(new AudioAnalysisRequest
            {
                TaskUuid = taskUuid!.Value,
                Inputs = new AudioAnalysisInputs { Audio = text! },
                Audio = audio,
            });
    }
}
