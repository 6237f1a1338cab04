using System.Text.Json;
using System.Text.Json.Nodes;
using AceStep.Contracts.Sessions;
using AceStep.Contracts.Tasks;

namespace AceStep.Contracts.Validation;

/// <summary>
/// Validates <c>pluginSession {operation, instanceId, …}</c> (engine extension, named pipe only). Each operation has
/// its own fields; a field of another operation is refused so a plugin bug shows up at once instead of being ignored.
/// </summary>
public static class PluginSessionValidator
{
    /// <summary>Longest <c>takeId</c>: it appears in URLs and file names.</summary>
    public const int MaxTakeIdLength = 64;

    /// <summary>Longest <c>hostName</c> and <c>title</c>.</summary>
    public const int MaxLabelLength = 200;

    /// <summary>Longest <c>poll.waitSeconds</c>.</summary>
    public const double MaxWaitSeconds = 30;

    /// <summary>The poll wait when none is given.</summary>
    public const double DefaultWaitSeconds = 20;

    private static readonly string[] s_operations =
        [SessionOperations.Open, SessionOperations.Update, SessionOperations.PutTake, SessionOperations.Poll, SessionOperations.Close];

    private static readonly string[] s_common = ["taskType", "taskUUID", "operation", "instanceId"];

    private static readonly Dictionary<string, string[]> s_fieldsByOperation = new(StringComparer.Ordinal)
    {
        [SessionOperations.Open] = ["hostName", "title"],
        [SessionOperations.Update] = ["view"],
        [SessionOperations.PutTake] = ["takeId", "audio"],
        [SessionOperations.Poll] = ["afterSequence", "waitSeconds"],
        [SessionOperations.Close] = [],
    };

    private static readonly HashSet<string> s_allFields =
        new(s_common.Concat(s_fieldsByOperation.Values.SelectMany(f => f)), StringComparer.Ordinal);

    /// <summary>Validates one task object of type <c>pluginSession</c>.</summary>
    public static TaskValidation<PluginSessionRequest> Validate(JsonObject task, TransportKind transport)
    {
        ArgumentNullException.ThrowIfNull(task);
        var r = TaskReader.Start(task, TaskTypes.PluginSession);
        if (transport != TransportKind.Pipe)
        {
            // The session carries the plugin's own state and its take audio as attachments: a pipe feature only.
            r.Add(ErrorCodes.UnsupportedTaskType,
                "pluginSession exists on the named pipe only: plugin instances open their control page over the pipe. " +
                "Over HTTP, open the page itself at /control/<instanceId>.", "taskType");
            return TaskValidation.Failure<PluginSessionRequest>(r.Errors);
        }
        var taskUuid = r.TaskUuidV4(task, required: false);
        r.UnknownFields(task, "", s_allFields);

        var operation = r.String(r.Required(task, "operation", "operation", "one of " + string.Join(", ", s_operations)),
            "operation", "one of " + string.Join(", ", s_operations));
        if (operation is not null && !s_fieldsByOperation.ContainsKey(operation))
        {
            r.Invalid("operation", $"operation is {TaskReader.Quote(operation)}; allowed: {string.Join(", ", s_operations)}.",
                TaskReader.Strings(s_operations));
            operation = null;
        }
        var instanceId = ReadInstanceId(r, task);
        if (operation is null)
        {
            return TaskValidation.Failure<PluginSessionRequest>(r.Errors);
        }
        RefuseOtherOperationsFields(r, task, operation);

        var request = new PluginSessionRequest { Operation = operation, InstanceId = instanceId ?? Guid.Empty, TaskUuid = taskUuid };
        switch (operation)
        {
            case SessionOperations.Open:
                request = request with
                {
                    HostName = Label(r, task, "hostName", "the host's name"),
                    Title = Label(r, task, "title", "a label for the instance"),
                };
                break;
            case SessionOperations.Update:
                request = request with { View = ReadView(r, task) };
                break;
            case SessionOperations.PutTake:
                request = request with { TakeId = ReadTakeId(r, task), Audio = ReadAttachment(r, task) };
                break;
            case SessionOperations.Poll:
                request = request with
                {
                    AfterSequence = r.Integer(TaskReader.Get(task, "afterSequence"), "afterSequence", 0, long.MaxValue) ?? 0,
                    WaitSeconds = r.Number(TaskReader.Get(task, "waitSeconds"), "waitSeconds", 0, MaxWaitSeconds, null, " s")
                                  ?? DefaultWaitSeconds,
                };
                break;
        }
        return r.HasErrors
            ? TaskValidation.Failure<PluginSessionRequest>(r.Errors)
            : TaskValidation.Success(request);
    }

    /// <summary>True when <paramref name="takeId"/> may name a take: 1–64 of <c>A–Z a–z 0–9 . _ -</c>, not starting with a dot.</summary>
    public static bool IsValidTakeId(string? takeId) =>
        takeId is { Length: > 0 and <= MaxTakeIdLength } && takeId[0] != '.' &&
        takeId.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    private static Guid? ReadInstanceId(TaskReader r, JsonObject task)
    {
        const string what = "the plugin instance's random UUID v4";
        var text = r.String(r.Required(task, "instanceId", "instanceId", what), "instanceId", what);
        if (text is null)
        {
            return null;
        }
        // The id is the secret part of the page address, so only a random (version 4) UUID is accepted.
        if (TaskReader.TryParseUuid(text, out var id) && TaskReader.IsUuidV4(text))
        {
            return id;
        }
        r.Invalid("instanceId", $"instanceId {TaskReader.Quote(text)} is not a UUID v4; give {what} " +
                                "(it is the secret part of the control page address).", "UUID v4");
        return null;
    }

    private static void RefuseOtherOperationsFields(TaskReader r, JsonObject task, string operation)
    {
        var own = s_fieldsByOperation[operation];
        foreach (var (name, _) in task)
        {
            if (Array.IndexOf(s_common, name) >= 0 || Array.IndexOf(own, name) >= 0 || !s_allFields.Contains(name))
            {
                continue;
            }
            var owner = s_fieldsByOperation.First(p => Array.IndexOf(p.Value, name) >= 0).Key;
            r.Add(ErrorCodes.UnknownParameter,
                $"'{name}' belongs to operation '{owner}', not '{operation}'." +
                (own.Length > 0 ? $" Operation '{operation}' takes: {string.Join(", ", own)}." : $" Operation '{operation}' takes no other field."),
                name, TaskReader.Strings(own));
        }
    }

    private static string? Label(TaskReader r, JsonObject task, string name, string what)
    {
        var text = r.String(TaskReader.Get(task, name), name, what);
        if (text is not null && text.Length > MaxLabelLength)
        {
            r.Invalid(name, $"'{name}' has {text.Length} characters; at most {MaxLabelLength} are kept.", $"at most {MaxLabelLength} characters");
            return null;
        }
        return text;
    }

    private static SessionView? ReadView(TaskReader r, JsonObject task)
    {
        var node = r.Object(r.Required(task, "view", "view", "the whole SessionView the page shows"), "view", "a SessionView");
        if (node is null)
        {
            return null;
        }
        SessionView? view;
        try
        {
            view = node.Deserialize(ContractsJson.Default.SessionView);
        }
        catch (JsonException ex)
        {
            r.Invalid("view", $"'view' is not a SessionView: {ex.Message}");
            return null;
        }
        if (view is null)
        {
            r.Invalid("view", "'view' is not a SessionView.");
            return null;
        }
        view = WithDefaults(view);
        for (var i = 0; i < view.Takes.Count; i++)
        {
            if (!IsValidTakeId(view.Takes[i]?.Id))
            {
                r.Invalid($"view.takes[{i}].id",
                    $"view.takes[{i}].id {TaskReader.Quote(view.Takes[i]?.Id ?? "")} must be 1 to {MaxTakeIdLength} of A–Z a–z 0–9 . _ - (it is part of the audio URL).");
            }
        }
        return view;
    }

    /// <summary>
    /// Fields the plugin left out come back null from the source-generated reader (init-only properties); the page
    /// and the engine read the documented defaults instead.
    /// </summary>
    private static SessionView WithDefaults(SessionView view) => view with
    {
        Context = (view.Context ?? new SessionContext()) with { BarLines = view.Context?.BarLines ?? [] },
        Capture = view.Capture is { } capture ? capture with { Peaks = capture.Peaks ?? [] } : null,
        Settings = view.Settings ?? new SessionSettings(),
        Job = view.Job ?? new SessionJob(),
        Listen = view.Listen ?? "take",
        Takes = [.. (view.Takes ?? []).Select(take => take is null ? null! : take with
        {
            Settings = take.Settings ?? new SessionSettings(),
            Waveform = take.Waveform is { } wave ? wave with { Peaks = wave.Peaks ?? [] } : null,
        })],
    };

    private static string? ReadTakeId(TaskReader r, JsonObject task)
    {
        var text = r.String(r.Required(task, "takeId", "takeId", "the take the audio belongs to"), "takeId", "a take id");
        if (text is not null && !IsValidTakeId(text))
        {
            r.Invalid("takeId", $"takeId {TaskReader.Quote(text)} must be 1 to {MaxTakeIdLength} of A–Z a–z 0–9 . _ - (it is part of the audio URL).");
            return null;
        }
        return text;
    }

    private static string? ReadAttachment(TaskReader r, JsonObject task)
    {
        const string what = "'attachment:<n>', a PCM_F32 attachment sent before the request";
        var text = r.String(r.Required(task, "audio", "audio", what), "audio", what);
        if (text is not null && AudioInputs.Classify(text.Trim(), out _, out _) != AudioInputKind.Attachment)
        {
            r.Invalid("audio", $"audio {TaskReader.Quote(text)} is not {what}.");
            return null;
        }
        return text?.Trim();
    }
}

/// <summary>
/// Validates a command the control page posts (<see cref="SessionCommand"/> without its sequence): the command name,
/// the fields it needs and the ranges of its settings, with messages a producer can read.
/// </summary>
public static class SessionCommandValidator
{
    /// <summary>Longest prompt, as audioInference's positivePrompt.</summary>
    public const int MaxPromptLength = 2000;

    /// <summary>Longest lyrics.</summary>
    public const int MaxLyricsLength = 8000;

    /// <summary>Modes a take can be made in.</summary>
    public static IReadOnlyList<string> Modes { get; } = ["repaint", "cover", "generate", "lego", "extract", "complete"];

    private static readonly string[] s_commands =
    [
        SessionCommands.Generate, SessionCommands.Cancel, SessionCommands.Settings, SessionCommands.SelectTake,
        SessionCommands.Listen, SessionCommands.DeleteTake,
    ];

    private static readonly HashSet<string> s_fields = new(StringComparer.Ordinal) { "command", "settings", "takeId", "listen" };

    private static readonly HashSet<string> s_settingsFields = new(StringComparer.Ordinal)
    {
        "mode", "prompt", "lyrics", "keyScale", "bpm", "strength", "coverScale", "steps", "seed", "language", "model", "trackName", "trackClasses",
    };

    /// <summary>The command, or every problem found in it (messages in words).</summary>
    public static TaskValidation<SessionCommand> Validate(JsonObject command)
    {
        ArgumentNullException.ThrowIfNull(command);
        // Reported like a task's errors so messages read the same; the page shows only the message.
        var r = TaskReader.Start(new JsonObject { ["taskType"] = "sessionCommand" }, "sessionCommand");
        if (command.ContainsKey("sequence"))
        {
            r.Invalid("sequence", "'sequence' is set by the engine; send the command without it.");
        }
        var known = new HashSet<string>(s_fields) { "sequence" };
        r.UnknownFields(command, "", known);
        var name = r.String(r.Required(command, "command", "command", "one of " + string.Join(", ", s_commands)), "command", "a command name");
        if (name is not null && Array.IndexOf(s_commands, name) < 0)
        {
            r.Invalid("command", $"'{name}' is not a command; allowed: {string.Join(", ", s_commands)}.", TaskReader.Strings(s_commands));
            name = null;
        }
        if (name is null)
        {
            return TaskValidation.Failure<SessionCommand>(r.Errors);
        }

        SessionSettings? settings = null;
        string? takeId = null;
        string? listen = null;
        switch (name)
        {
            case SessionCommands.Generate or SessionCommands.Settings:
                settings = ReadSettings(r, r.Object(r.Required(command, "settings", "settings", "the take's settings"), "settings", "the settings"));
                break;
            case SessionCommands.SelectTake or SessionCommands.DeleteTake:
                var takeNode = name == SessionCommands.DeleteTake
                    ? r.Required(command, "takeId", "takeId", "the take to delete")
                    : TaskReader.Get(command, "takeId");
                takeId = r.String(takeNode, "takeId", "a take id");
                if (takeId is not null && !PluginSessionValidator.IsValidTakeId(takeId))
                {
                    r.Invalid("takeId", $"takeId {TaskReader.Quote(takeId)} is not a take id.");
                }
                break;
            case SessionCommands.Listen:
                listen = r.String(r.Required(command, "listen", "listen", "'take' or 'original'"), "listen", "'take' or 'original'");
                if (listen is not null and not ("take" or "original"))
                {
                    r.Invalid("listen", $"listen is {TaskReader.Quote(listen)}; it must be 'take' or 'original'.", TaskReader.Strings("take", "original"));
                }
                break;
        }
        return r.HasErrors
            ? TaskValidation.Failure<SessionCommand>(r.Errors)
            : TaskValidation.Success(new SessionCommand { Command = name, Settings = settings, TakeId = takeId, Listen = listen });
    }

    private static SessionSettings? ReadSettings(TaskReader r, JsonObject? node)
    {
        if (node is null)
        {
            return null;
        }
        r.UnknownFields(node, "settings", s_settingsFields);
        var defaults = new SessionSettings();
        var mode = r.String(TaskReader.Get(node, "mode"), "settings.mode", "repaint, cover, generate, lego, extract or complete");
        if (mode is not null && !Modes.Contains(mode))
        {
            r.Invalid("settings.mode", $"The mode {TaskReader.Quote(mode)} is not known; choose repaint, cover, generate, lego (add a part), extract (a stem) or complete.", TaskReader.Strings(Modes));
        }
        var prompt = r.String(TaskReader.Get(node, "prompt"), "settings.prompt", "the style prompt");
        if (prompt is not null && TaskReader.CountCharacters(prompt) > MaxPromptLength)
        {
            r.Invalid("settings.prompt", $"The prompt has {TaskReader.CountCharacters(prompt)} characters; keep it to {MaxPromptLength}.");
        }
        var lyrics = r.String(TaskReader.Get(node, "lyrics"), "settings.lyrics", "the lyrics");
        if (lyrics is not null && TaskReader.CountCharacters(lyrics) > MaxLyricsLength)
        {
            r.Invalid("settings.lyrics", $"The lyrics have {TaskReader.CountCharacters(lyrics)} characters; keep them to {MaxLyricsLength}.");
        }
        var keyText = r.String(TaskReader.Get(node, "keyScale"), "settings.keyScale", "a key such as 'A minor', or 'auto'");
        string? key = null;
        if (keyText is not null)
        {
            if (keyText.Trim().Equals("auto", StringComparison.OrdinalIgnoreCase))
            {
                key = "auto";
            }
            else if (KeyScales.TryNormalize(keyText, out var normal))
            {
                key = normal;
            }
            else
            {
                r.Invalid("settings.keyScale", $"The key {TaskReader.Quote(keyText)} is not a key; use e.g. 'A minor', 'F# major', or 'auto'.");
            }
        }
        var bpm = r.Number(TaskReader.Get(node, "bpm"), "settings.bpm", 30, 300, 2, " BPM");
        var strength = r.Number(TaskReader.Get(node, "strength"), "settings.strength", 0, 1, 2);
        var coverScale = r.Number(TaskReader.Get(node, "coverScale"), "settings.coverScale", 0, 1, 2);
        var steps = r.Integer(TaskReader.Get(node, "steps"), "settings.steps", 1, 300, " steps");
        var seed = r.Integer(TaskReader.Get(node, "seed"), "settings.seed", 0, int.MaxValue);
        var model = r.String(TaskReader.Get(node, "model"), "settings.model", "base or turbo");
        if (model is not null && model is not ("base" or "turbo"))
        {
            r.Invalid("settings.model", $"The model {TaskReader.Quote(model)} is not known; choose base or turbo.", TaskReader.Strings(["base", "turbo"]));
        }
        var languageText = r.String(TaskReader.Get(node, "language"), "settings.language", "a language code such as 'en'");
        string? language = null;
        if (languageText is not null)
        {
            language = VocalLanguages.Normalize(languageText.Trim());
            if (language is null)
            {
                r.Invalid("settings.language", $"The language {TaskReader.Quote(languageText)} is not supported; use one of: {string.Join(" ", VocalLanguages.All)}.",
                    TaskReader.Strings(VocalLanguages.All));
            }
        }
        var trackText = r.String(TaskReader.Get(node, "trackName"), "settings.trackName", "a stem such as 'drums'");
        string? trackName = null;
        if (trackText is not null)
        {
            trackName = StemTracks.Normalize(trackText);
            if (trackName is null)
            {
                r.Invalid("settings.trackName", $"The track {TaskReader.Quote(trackText)} is not a stem the model knows; use one of: {string.Join(", ", StemTracks.All)}.",
                    TaskReader.Strings(StemTracks.All));
            }
        }
        var trackClasses = ReadTrackClasses(r, TaskReader.Get(node, "trackClasses"));
        return new SessionSettings
        {
            Mode = mode ?? defaults.Mode,
            Prompt = prompt ?? defaults.Prompt,
            Lyrics = lyrics ?? defaults.Lyrics,
            KeyScale = key ?? defaults.KeyScale,
            Bpm = bpm,
            Strength = strength ?? defaults.Strength,
            CoverScale = coverScale ?? defaults.CoverScale,
            Steps = (int)(steps ?? defaults.Steps),
            Seed = seed ?? defaults.Seed,
            Language = language ?? defaults.Language,
            Model = model ?? defaults.Model,
            TrackName = trackName ?? defaults.TrackName,
            TrackClasses = trackClasses ?? defaults.TrackClasses,
        };
    }

    // An array of distinct known stems (empty allowed: complete then lets the model choose).
    private static List<string>? ReadTrackClasses(TaskReader r, JsonNode? node)
    {
        if (node is null)
        {
            return null;
        }
        if (node is not JsonArray array)
        {
            r.Invalid("settings.trackClasses", "trackClasses must be an array of stems such as [\"drums\", \"bass\"].", TaskReader.Strings(StemTracks.All));
            return null;
        }
        var classes = new List<string>();
        foreach (var item in array)
        {
            var text = item is JsonValue value && value.TryGetValue<string>(out var s) ? s : null;
            var stem = text is null ? null : StemTracks.Normalize(text);
            if (stem is null)
            {
                r.Invalid("settings.trackClasses", $"trackClasses holds {TaskReader.Quote(item?.ToJsonString() ?? "null")}, not a stem the model knows; use: {string.Join(", ", StemTracks.All)}.",
                    TaskReader.Strings(StemTracks.All));
                return null;
            }
            if (!classes.Contains(stem))
            {
                classes.Add(stem);
            }
        }
        return classes;
    }
}
