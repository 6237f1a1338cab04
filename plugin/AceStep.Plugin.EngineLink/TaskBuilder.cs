using System.Text.Json.Nodes;
using AceStep.Pipes;

namespace AceStep.Plugin.EngineLink;

/// <summary>
/// Builds the engine's <c>audioInference</c> task for a take (task API): the clip goes as a raw PCM attachment at the
/// host's rate and comes back as PCM at that rate, so the engine returns exactly the span it was sent.
/// </summary>
public static class TaskBuilder
{
    /// <summary>The model the plugin asks for by default: best quality.</summary>
    public const string Model = "runware:ace-step@v1.5-base";

    /// <summary>The model for <see cref="TakeRequest.Turbo"/>: several times faster, the practical choice on a CPU.</summary>
    public const string TurboModel = "runware:ace-step@v1.5-turbo";

    /// <summary>Shortest text-to-music duration the API takes, seconds.</summary>
    public const double MinimumDuration = 6.0;

    /// <summary>Builds the task and its attachment (null for generate).</summary>
    /// <param name="request">The take.</param>
    /// <param name="taskUuid">The task's UUID (kept to poll after a reconnect).</param>
    /// <param name="attachmentId">Id for the clip's attachment.</param>
    /// <exception cref="ArgumentException">An empty range, a range outside the clip, or no clip for repaint/cover.</exception>
    public static (JsonObject Task, OutgoingAttachment? Attachment) Build(TakeRequest request, Guid taskUuid, uint attachmentId)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.RangeEnd <= request.RangeStart)
            throw new ArgumentException("The range is empty: set a loop/cycle range or a start bar and length.", nameof(request));

        var rate = (double)request.SampleRate;
        var settings = new JsonObject { ["vocalLanguage"] = request.Language };
        if (!string.IsNullOrWhiteSpace(request.Lyrics))
            settings["lyrics"] = request.Lyrics;
        if (request.KeyScale is { } key)
            settings["keyScale"] = key;
        if (Bpm(request.Context.Tempo) is { } bpm)
            settings["bpm"] = bpm;
        if (TimeSignature(request.Context.Numerator, request.Context.Denominator) is { } signature)
            settings["timeSignature"] = signature;

        var task = new JsonObject
        {
            ["taskType"] = "audioInference",
            ["taskUUID"] = taskUuid.ToString(),
            ["model"] = request.Turbo ? TurboModel : Model,
            ["outputType"] = "attachment",
            ["outputFormat"] = "PCM_F32",
            ["audioSettings"] = new JsonObject { ["sampleRate"] = request.SampleRate, ["channels"] = 2 },
        };
        // The stem jobs' instruction names the part, so the task API takes them without a caption; every other task
        // needs one (the Runware contract), and an empty one is sent for the engine to refuse in words.
        if (request.Prompt.Length > 0 || StemTask(request.Mode) is null)
            task["positivePrompt"] = request.Prompt;
        // The turbo model is distilled for its own 8-step schedule: the engine's default for it is the right count.
        if (!request.Turbo)
            task["steps"] = request.Steps;
        if (request.Seed > 0)
            task["seed"] = request.Seed;

        OutgoingAttachment? attachment = null;
        if (request.Mode == TakeMode.Generate)
        {
            task["duration"] = Math.Max(MinimumDuration, Math.Ceiling((request.RangeEnd - request.RangeStart) / rate * 10) / 10);
        }
        else
        {
            var frames = request.Clip.Length / request.Channels;
            if (frames == 0)
                throw new ArgumentException("Nothing has been captured for this range yet: play it through the plugin first.", nameof(request));
            if (request.RangeStart < request.ClipStart || request.RangeEnd > request.ClipStart + frames)
                throw new ArgumentException("The range is not inside the captured audio.", nameof(request));
            task["inputs"] = new JsonObject { ["audio"] = $"attachment:{attachmentId}" };
            // The task API refuses strength on extract and complete: they take the whole source, nothing to keep.
            if (request.Mode is TakeMode.Repaint or TakeMode.Cover or TakeMode.Lego)
                task["strength"] = request.Strength;
            if (StemTask(request.Mode) is { } stemTask)
                settings["task"] = stemTask;
            switch (request.Mode)
            {
                case TakeMode.Repaint or TakeMode.Lego:
                    // A lego works over a span exactly like a repaint: the range, in seconds into the clip.
                    settings["repaintingStart"] = Seconds(request.RangeStart - request.ClipStart, rate);
                    settings["repaintingEnd"] = Seconds(request.RangeEnd - request.ClipStart, rate);
                    if (request.Mode == TakeMode.Lego)
                        settings["trackName"] = request.TrackName;
                    break;
                case TakeMode.Extract:
                    settings["trackName"] = request.TrackName;
                    break;
                case TakeMode.Complete:
                    if (request.TrackClasses.Count > 0)
                    {
                        // new JsonArray(...) of nodes, not a collection expression: NativeAOT refuses the generic Add<T>.
                        var classes = new JsonArray();
                        foreach (var stem in request.TrackClasses)
                            classes.Add((JsonNode)JsonValue.Create(stem));
                        settings["trackClasses"] = classes;
                    }

                    break;
                default:
                    settings["coverConditioningScale"] = request.CoverScale;
                    break;
            }

            attachment = new OutgoingAttachment(new AttachmentInfo(attachmentId, AttachmentInfo.PcmF32, request.SampleRate, request.Channels),
                Attachments.FromSamples(request.Clip));
        }

        task["settings"] = settings;
        return (task, attachment);
    }

    /// <summary>The task API's <c>settings.task</c> for a stem job, or null for repaint, cover and generate.</summary>
    public static string? StemTask(TakeMode mode) => mode switch
    {
        TakeMode.Lego => "lego",
        TakeMode.Extract => "extract",
        TakeMode.Complete => "complete",
        _ => null,
    };

    /// <summary>The engine's bpm (integer 30–300) from the host tempo, or null.</summary>
    public static int? Bpm(double? tempo) => tempo is > 0 ? Math.Clamp((int)Math.Round(tempo.Value), 30, 300) : null;

    /// <summary>The engine's time signature (2, 3, 4 or 6 for 2/4, 3/4, 4/4, 6/8), or null when the meter is another.</summary>
    public static int? TimeSignature(int? numerator, int? denominator) => (numerator, denominator) switch
    {
        (2, 4) => 2,
        (3, 4) => 3,
        (4, 4) => 4,
        (6, 8) => 6,
        _ => null,
    };

    private static double Seconds(long frames, double rate) => frames / rate;
}
