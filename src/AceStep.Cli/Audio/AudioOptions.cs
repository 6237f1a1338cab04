using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using AceStep.Contracts;
using AceStep.Contracts.Tasks;

namespace AceStep.Cli.Audio;

/// <summary>
/// The options of <c>generate</c>, <c>repaint</c>, <c>cover</c>, <c>lego</c>, <c>extract</c> and <c>complete</c>, and how they become one <c>audioInference</c>
/// task. Ranges are left to the engine's validator, the one source of truth; its errors name the task field, which
/// <see cref="FlagFor"/> turns back into the flag a person typed.
/// </summary>
public sealed class AudioOptions
{
    /// <summary>The task id the <c>base</c> model name stands for.</summary>
    public const string BaseModel = "runware:ace-step@v1.5-base";

    /// <summary>The task id the <c>turbo</c> model name stands for.</summary>
    public const string TurboModel = "runware:ace-step@v1.5-turbo";

    // Task field → flag, for error messages (the engine speaks in task fields).
    private static readonly Dictionary<string, string> Flags = new(StringComparer.Ordinal)
    {
        ["positivePrompt"] = "--prompt",
        ["negativePrompt"] = "--negative",
        ["duration"] = "--duration",
        ["seed"] = "--seed",
        ["steps"] = "--steps",
        ["CFGScale"] = "--cfg",
        ["strength"] = "--strength",
        ["numberResults"] = "--results",
        ["model"] = "--model",
        ["outputFormat"] = "--out",
        ["inputs.audio"] = "--in",
        ["settings.bpm"] = "--bpm",
        ["settings.keyScale"] = "--key",
        ["settings.lyrics"] = "--lyrics",
        ["settings.timeSignature"] = "--time-signature",
        ["settings.vocalLanguage"] = "--language",
        ["settings.repaintingStart"] = "--start",
        ["settings.repaintingEnd"] = "--end",
        ["settings.coverConditioningScale"] = "--cover-scale",
        ["settings.trackName"] = "--track",
        ["settings.trackClasses"] = "--tracks",
        // The stem jobs run on the base model only: the flag that fixes an unsupportedTask is the model.
        ["settings.task"] = "--model",
    };

    private AudioOptions(AudioJobKind kind)
    {
        Kind = kind;
        Prompt = StemTask(kind) is null
            ? new("--prompt") { Description = "What the music should be (style, instruments, mood), 2–3000 characters.", Required = true }
            : new("--prompt") { Description = "Optional: the style of the part (e.g. \"tight funk drums\"), 2–3000 characters; the task already names the part." };
        if (kind != AudioJobKind.Generate)
        {
            Input = new Option<string>("--in")
            {
                Description = "The source audio: any file FFmpeg reads (WAV, FLAC, MP3, OGG, …).",
                Required = true,
            };
            if (kind is not (AudioJobKind.Extract or AudioJobKind.Complete))
            {
                Strength = new Option<double?>("--strength")
                {
                    Description = kind is AudioJobKind.Repaint or AudioJobKind.Lego
                        ? "0–1: how strongly the audio around the span holds the new part to the source (engine default 0.5)."
                        : "0–1: how much of the source's sound the cover keeps (engine default 0.5).",
                };
            }
        }
        if (kind is AudioJobKind.Lego or AudioJobKind.Extract)
        {
            Track = new Option<string>("--track")
            {
                Description = (kind == AudioJobKind.Lego ? "The part to add" : "The stem to extract") +
                              $": one of {string.Join(", ", StemTracks.All)}.",
                Required = true,
            };
        }
        if (kind == AudioJobKind.Complete)
        {
            Tracks = new Option<string[]>("--tracks")
            {
                Description = $"The parts to add around the source, comma-separated (e.g. drums,bass,keyboard) from: {string.Join(", ", StemTracks.All)}; " +
                              "the model chooses when left out.",
                AllowMultipleArgumentsPerToken = false,
            };
        }
        if (kind == AudioJobKind.Generate)
        {
            Duration = new Option<double>("--duration") { Description = "Seconds of music, 6–300.", DefaultValueFactory = _ => 30 };
        }
        if (kind is AudioJobKind.Repaint or AudioJobKind.Lego)
        {
            Start = new Option<double?>("--start")
            {
                Description = "Seconds where the new part starts (default 0); negative extends the source at the front.",
            };
            End = new Option<double?>("--end") { Description = "Seconds where it ends (default: the source's end); past the end extends the source." };
        }
        if (kind == AudioJobKind.Cover)
        {
            CoverScale = new Option<double?>("--cover-scale")
            {
                Description = "0–1: the share of steps conditioned on the source's structure before the prompt alone leads (engine default 1).",
            };
        }
        Model.AcceptOnlyFromAmong("base", "turbo");
    }

    /// <summary>Which command these options belong to.</summary>
    public AudioJobKind Kind { get; }

    /// <summary><c>--prompt</c>: required, except for the stem jobs, whose instruction names the part (the task API takes them without a caption).</summary>
    public Option<string> Prompt { get; }

    /// <summary><c>--lyrics</c>.</summary>
    public Option<string?> Lyrics { get; } = new("--lyrics") { Description = "Lyrics with [Verse]/[Chorus] tags; instrumental without." };

    /// <summary><c>--lyrics-file</c>.</summary>
    public Option<string?> LyricsFile { get; } = new("--lyrics-file") { Description = "Read the lyrics from this UTF-8 text file." };

    /// <summary><c>--model</c>.</summary>
    public Option<string> Model { get; } = new("--model") { Description = "base or turbo.", DefaultValueFactory = _ => "base" };

    /// <summary><c>--steps</c>.</summary>
    public Option<int?> Steps { get; } = new("--steps") { Description = "Denoising steps, 1–300 (engine default: 100 base, 8 turbo)." };

    /// <summary><c>--cfg</c>.</summary>
    public Option<double?> Cfg { get; } = new("--cfg") { Description = "Guidance scale, 1–30 (base only; engine default 10)." };

    /// <summary><c>--seed</c>.</summary>
    public Option<long?> Seed { get; } = new("--seed") { Description = "0–2147483647 for a repeatable result; random when left out." };

    /// <summary><c>--results</c>.</summary>
    public Option<int?> Results { get; } = new("--results") { Description = "How many takes, 1–4 (seeds seed, seed+1, …); several are written as OUT-1.ext … OUT-N.ext." };

    /// <summary><c>--bpm</c>.</summary>
    public Option<int?> Bpm { get; } = new("--bpm") { Description = "Tempo, 30–300; the model decides when left out." };

    /// <summary><c>--key</c>.</summary>
    public Option<string?> Key { get; } = new("--key") { Description = "Key and mode, e.g. \"A minor\", \"F# major\", \"Bb major\"." };

    /// <summary><c>--time-signature</c>.</summary>
    public Option<int?> TimeSignature { get; } = new("--time-signature") { Description = "Beats per bar: 2, 3, 4 or 6 (6/8)." };

    /// <summary><c>--language</c>.</summary>
    public Option<string?> Language { get; } = new("--language") { Description = "Language of the lyrics, e.g. en, de, ja, zh (engine default en)." };

    /// <summary><c>--negative</c>.</summary>
    public Option<string?> Negative { get; } = new("--negative") { Description = "What to steer away from (base model with guidance only)." };

    /// <summary><c>--out</c>.</summary>
    public Option<string> Output { get; } = new("--out")
    {
        Description = "The result file; its extension picks the format: .wav .flac .mp3 .ogg.",
        Required = true,
    };

    /// <summary><c>--no-start</c>.</summary>
    public Option<bool> NoStart { get; } = new("--no-start")
    {
        Description = "Fail when no engine answers instead of running one inside this command.",
    };

    /// <summary><c>--duration</c> (generate only).</summary>
    public Option<double>? Duration { get; }

    /// <summary><c>--in</c> (repaint, cover).</summary>
    public Option<string>? Input { get; }

    /// <summary><c>--start</c> (repaint).</summary>
    public Option<double?>? Start { get; }

    /// <summary><c>--end</c> (repaint).</summary>
    public Option<double?>? End { get; }

    /// <summary><c>--strength</c> (repaint, cover).</summary>
    public Option<double?>? Strength { get; }

    /// <summary><c>--cover-scale</c> (cover).</summary>
    public Option<double?>? CoverScale { get; }

    /// <summary><c>--track</c> (lego, extract).</summary>
    public Option<string>? Track { get; }

    /// <summary><c>--tracks</c> (complete).</summary>
    public Option<string[]>? Tracks { get; }

    /// <summary>Creates the options of <paramref name="kind"/> and adds them to <paramref name="command"/>.</summary>
    public static AudioOptions AddTo(Command command, AudioJobKind kind)
    {
        ArgumentNullException.ThrowIfNull(command);
        var options = new AudioOptions(kind);
        foreach (var option in options.All())
        {
            command.Options.Add(option);
        }
        command.Validators.Add(result =>
        {
            if (result.GetResult(options.Lyrics) is not null && result.GetResult(options.LyricsFile) is not null)
            {
                result.AddError("Give --lyrics or --lyrics-file, not both.");
            }
            if (kind == AudioJobKind.Repaint && result.GetResult(options.Start!) is null && result.GetResult(options.End!) is null)
            {
                result.AddError("repaint needs --start, --end or both: the span to generate anew.");
            }
        });
        return options;
    }

    private IEnumerable<Option> All()
    {
        Option?[] all = [Prompt, Input, Track, Tracks, Start, End, Duration, Lyrics, LyricsFile, Model, Steps, Cfg, Strength, CoverScale, Seed, Results,
            Bpm, Key, TimeSignature, Language, Negative, Output, NoStart];
        return all.OfType<Option>();
    }

    /// <summary>The flag for a task field the engine named in an error, or null when it has none.</summary>
    public static string? FlagFor(string taskField) => Flags.GetValueOrDefault(taskField);

    /// <summary>The task id of a <c>--model</c> name.</summary>
    public static string ModelId(string name) => name == "turbo" ? TurboModel : BaseModel;

    /// <summary>
    /// The <c>audioInference</c> task: results as pipe attachments in <paramref name="output"/>'s format, the source
    /// (repaint, cover) as attachment <paramref name="inputAttachment"/>. Only given options are sent, so the engine's
    /// defaults apply to the rest. Throws <see cref="CliUsageException"/> or <see cref="CliFileException"/> for a
    /// lyrics file that cannot be read.
    /// </summary>
    public JsonObject BuildTask(ParseResult parse, Guid taskUuid, OutputTarget output, uint? inputAttachment)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(output);
        var task = new JsonObject
        {
            ["taskType"] = TaskTypes.AudioInference,
            ["taskUUID"] = taskUuid.ToString(),
            ["model"] = ModelId(parse.GetValue(Model)!),
            ["outputType"] = "attachment",
            ["outputFormat"] = output.Format,
            ["deliveryMethod"] = "sync",
        };
        Put(task, "positivePrompt", parse.GetValue(Prompt));
        Put(task, "negativePrompt", parse.GetValue(Negative));
        Put(task, "steps", parse.GetValue(Steps));
        Put(task, "CFGScale", parse.GetValue(Cfg));
        Put(task, "seed", parse.GetValue(Seed));
        Put(task, "numberResults", parse.GetValue(Results));
        if (Duration is not null)
        {
            task["duration"] = parse.GetValue(Duration);
        }
        if (Strength is not null)
        {
            Put(task, "strength", parse.GetValue(Strength));
        }
        if (inputAttachment is { } id)
        {
            task["inputs"] = new JsonObject { ["audio"] = "attachment:" + id.ToString(CultureInfo.InvariantCulture) };
        }
        var settings = new JsonObject();
        Put(settings, "lyrics", ReadLyrics(parse));
        Put(settings, "bpm", parse.GetValue(Bpm));
        Put(settings, "keyScale", parse.GetValue(Key));
        Put(settings, "timeSignature", parse.GetValue(TimeSignature));
        Put(settings, "vocalLanguage", parse.GetValue(Language));
        if (Start is not null)
        {
            Put(settings, "repaintingStart", parse.GetValue(Start));
            Put(settings, "repaintingEnd", parse.GetValue(End!));
        }
        if (CoverScale is not null)
        {
            Put(settings, "coverConditioningScale", parse.GetValue(CoverScale));
        }
        if (StemTask(Kind) is { } stemTask)
        {
            // The engine extension settings.task (docs/task-api.md): the engine validates the names.
            settings["task"] = stemTask;
            if (Track is not null)
            {
                Put(settings, "trackName", parse.GetValue(Track));
            }
            if (Tracks is not null && parse.GetValue(Tracks) is { Length: > 0 } tracks)
            {
                settings["trackClasses"] = new JsonArray([.. tracks.SelectMany(t => t.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    .Select(t => (JsonNode)JsonValue.Create(t))]);
            }
        }
        if (settings.Count > 0)
        {
            task["settings"] = settings;
        }
        return task;
    }

    /// <summary>The <c>settings.task</c> a command sends, or null for the jobs the task's other fields select.</summary>
    public static string? StemTask(AudioJobKind kind) => kind switch
    {
        AudioJobKind.Lego => "lego",
        AudioJobKind.Extract => "extract",
        AudioJobKind.Complete => "complete",
        _ => null,
    };

    private string? ReadLyrics(ParseResult parse)
    {
        if (parse.GetValue(LyricsFile) is not { Length: > 0 } path)
        {
            return parse.GetValue(Lyrics);
        }
        if (!File.Exists(path))
        {
            throw new CliUsageException($"--lyrics-file '{path}' does not exist.");
        }
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliFileException($"--lyrics-file '{path}' could not be read: {ex.Message}", ex);
        }
    }

    // Nullable numbers and strings convert to a null JsonNode when absent; absent fields are left out.
    private static void Put(JsonObject target, string name, JsonNode? value)
    {
        if (value is not null)
        {
            target[name] = value;
        }
    }
}
