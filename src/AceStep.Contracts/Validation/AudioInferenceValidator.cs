using System.Text.Json.Nodes;
using AceStep.Contracts.Tasks;

namespace AceStep.Contracts.Validation;

/// <summary>
/// Validates one raw <c>audioInference</c> task against the seed document and the task-API decisions, reporting every
/// error of the task (not just the first), and yields the normalised <see cref="AudioInferenceRequest"/>. The rules are
/// listed in <c>docs/task-api.md</c>.
/// </summary>
public static class AudioInferenceValidator
{
    private const string Type = TaskTypes.AudioInference;

    private static readonly HashSet<string> s_topLevel = new(StringComparer.Ordinal)
    {
        "taskType", "taskUUID", "model", "positivePrompt", "negativePrompt", "duration", "seed", "steps", "CFGScale",
        "strength", "numberResults", "outputType", "outputFormat", "audioSettings", "webhookURL", "deliveryMethod",
        "uploadEndpoint", "ttl", "includeCost", "inputs", "settings",
    };

    private static readonly HashSet<string> s_settings = new(StringComparer.Ordinal)
    {
        "bpm", "coverConditioningScale", "guidanceType", "keyScale", "lyrics", "repaintingEnd", "repaintingStart",
        "timeSignature", "vocalLanguage", "task", "trackName", "trackClasses",
    };

    private static readonly HashSet<string> s_inputs = new(StringComparer.Ordinal) { "audio" };

    private static readonly HashSet<string> s_audioSettings = new(StringComparer.Ordinal) { "bitrate", "channels", "sampleRate" };

    private static readonly int[] s_timeSignatures = [2, 3, 4, 6];
    private static readonly OutputType[] s_httpOutputTypes = [OutputType.Url, OutputType.Base64Data, OutputType.DataUri];
    private static readonly OutputType[] s_pipeOutputTypes = Enum.GetValues<OutputType>();
    private static readonly OutputFormat[] s_httpOutputFormats = [OutputFormat.Mp3, OutputFormat.Wav, OutputFormat.Flac, OutputFormat.Ogg];
    private static readonly OutputFormat[] s_pipeOutputFormats = Enum.GetValues<OutputFormat>();
    private static readonly DeliveryMethod[] s_deliveryMethods = Enum.GetValues<DeliveryMethod>();
    private static readonly GuidanceType[] s_guidanceTypes = Enum.GetValues<GuidanceType>();

    /// <summary>Validates with the models of <see cref="AudioModelCatalog.Default"/>.</summary>
    public static TaskValidation<AudioInferenceRequest> Validate(JsonObject task, TransportKind transport) =>
        Validate(task, transport, AudioModelCatalog.Default);

    /// <summary>Validates one task object; <paramref name="models"/> lists the model ids the engine serves.</summary>
    public static TaskValidation<AudioInferenceRequest> Validate(JsonObject task, TransportKind transport, AudioModelCatalog models)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(models);
        var r = TaskReader.Start(task, Type);
        var taskUuid = r.TaskUuidV4(task, required: true);
        r.UnknownFields(task, "", s_topLevel);
        List<string>? ignored = null;

        // Model.
        var modelText = r.String(r.Required(task, "model", "model", "the model id, e.g. 'runware:ace-step@v1.5-base'"), "model", "a model id");
        AudioModel? model = null;
        if (modelText is not null)
        {
            model = models.Find(modelText);
            if (model is null)
            {
                var served = models.Models.Select(m => m.Id).ToArray();
                r.Unsupported("model", $"This engine does not serve the model {TaskReader.Quote(modelText)}. Served: {string.Join(", ", served)}.",
                    TaskReader.Strings(served));
            }
        }
        var turbo = model?.IsTurbo == true;

        // Prompts. A stem job's instruction names the task and the part ("Extract the DRUMS track from the audio:"), and
        // upstream's captions are optional for every task (its API's prompt defaults to ""), so with settings.task the
        // caption may be left out or empty; every other task keeps the seed document's required positivePrompt.
        var positiveNode = TaskReader.Get(task, "positivePrompt");
        var positivePrompt = NamesStemTask(task) && IsAbsentOrEmpty(positiveNode)
            ? ""
            : r.Text(r.Required(task, "positivePrompt", "positivePrompt", "a text of 2 to 3000 characters describing the music"),
                "positivePrompt", 2, 3000, "a text");
        var negativeNode = TaskReader.Get(task, "negativePrompt");
        string? negativePrompt = null;
        if (negativeNode is not null && turbo)
        {
            r.Unsupported("negativePrompt", $"The turbo model '{model!.Id}' has no guidance, so it takes no negativePrompt; remove it.");
        }
        else
        {
            negativePrompt = r.Text(negativeNode, "negativePrompt", 2, 3000, "a text");
        }

        // Numbers.
        var durationNode = TaskReader.Get(task, "duration");
        var duration = r.Number(durationNode, "duration", 6, 300, 1, " seconds");
        var seed = r.Integer(TaskReader.Get(task, "seed"), "seed", 0, int.MaxValue);
        var steps = r.Integer(TaskReader.Get(task, "steps"), "steps", 1, 300);
        var cfgNode = TaskReader.Get(task, "CFGScale");
        double? cfgScale = null;
        if (cfgNode is not null && turbo)
        {
            r.Unsupported("CFGScale", $"The turbo model '{model!.Id}' has no classifier-free guidance, so it takes no CFGScale; remove it.");
        }
        else
        {
            cfgScale = r.Number(cfgNode, "CFGScale", 1, 30, 2);
        }
        var strengthNode = TaskReader.Get(task, "strength");
        var strength = r.Number(strengthNode, "strength", 0, 1, 2);
        var numberResults = r.Integer(TaskReader.Get(task, "numberResults"), "numberResults", 1, 4);

        // Output.
        var outputType = ReadOutputType(r, task, transport);
        var outputFormat = ReadOutputFormat(r, task, transport);
        var effectiveType = outputType ?? (TaskReader.Get(task, "outputType") is null ? OutputType.Url : null);
        var effectiveFormat = outputFormat ?? (TaskReader.Get(task, "outputFormat") is null ? OutputFormat.Mp3 : null);
        if (effectiveFormat == OutputFormat.PcmF32 && effectiveType is { } type && type != OutputType.Attachment)
        {
            r.Incompatible($"outputFormat 'PCM_F32' (raw float32 samples) is delivered only as outputType 'attachment', not '{type.ToWire()}'. " +
                           "Use outputType 'attachment', or an encoded outputFormat (MP3, WAV, FLAC, OGG).", "outputFormat", "outputType");
        }
        var audioSettings = ReadAudioSettings(r, task, effectiveFormat, transport);

        // Delivery.
        var webhookUrl = r.HttpUri(TaskReader.Get(task, "webhookURL"), "webhookURL", "where each finished result is POSTed");
        var deliveryMethod = ReadEnum(r, task, "deliveryMethod", WireNames.TryParseDeliveryMethod, s_deliveryMethods, v => v.ToWire());
        var uploadEndpoint = r.HttpUri(TaskReader.Get(task, "uploadEndpoint"), "uploadEndpoint", "where each finished file is PUT");
        var ttlNode = TaskReader.Get(task, "ttl");
        var ttl = r.Integer(ttlNode, "ttl", 60, int.MaxValue, " seconds");
        var includeCost = r.Boolean(TaskReader.Get(task, "includeCost"), "includeCost");

        // Inputs.
        var inputs = r.Object(TaskReader.Get(task, "inputs"), "inputs", "with the input audio as 'audio'");
        string? inputAudio = null;
        AudioInputKind? inputKind = null;
        Guid? inputUuid = null;
        int? inputAttachment = null;
        var hasAudio = false;
        if (inputs is not null)
        {
            r.UnknownFields(inputs, "inputs", s_inputs);
            var audioNode = TaskReader.Get(inputs, "audio");
            hasAudio = audioNode is not null;
            var audioText = r.String(audioNode, "inputs.audio", "a mediaUUID/audioUUID, an http(s) URL, a data URI or base64 data");
            if (audioText is not null)
            {
                inputAudio = audioText.Trim();
                inputKind = ReadAudioReference(r, inputAudio, transport, out var uuid, out var attachment);
                inputUuid = inputKind == AudioInputKind.Uuid ? uuid : null;
                inputAttachment = inputKind == AudioInputKind.Attachment ? attachment : null;
            }
        }

        // Settings.
        var settingsObject = r.Object(TaskReader.Get(task, "settings"), "settings", "the musical settings");
        var settings = new GenerationSettings();
        JsonNode? startNode = null, endNode = null, coverNode = null;
        StemJob stem = default;
        if (settingsObject is not null)
        {
            r.UnknownFields(settingsObject, "settings", s_settings);
            var bpm = r.Integer(TaskReader.Get(settingsObject, "bpm"), "settings.bpm", 30, 300, " beats per minute");
            coverNode = TaskReader.Get(settingsObject, "coverConditioningScale");
            var cover = r.Number(coverNode, "settings.coverConditioningScale", 0, 1, 2);
            GuidanceType? guidance = null;
            var guidanceNode = TaskReader.Get(settingsObject, "guidanceType");
            if (guidanceNode is not null && turbo)
            {
                r.Unsupported("settings.guidanceType", $"The turbo model '{model!.Id}' has no guidance, so it takes no settings.guidanceType; remove it.");
            }
            else
            {
                guidance = ReadEnum(r, settingsObject, "settings.guidanceType", WireNames.TryParseGuidanceType, s_guidanceTypes, v => v.ToWire());
            }
            var keyScale = ReadKeyScale(r, TaskReader.Get(settingsObject, "keyScale"));
            var lyrics = r.Text(TaskReader.Get(settingsObject, "lyrics"), "settings.lyrics", 10, 3000, "a lyrics text");
            startNode = TaskReader.Get(settingsObject, "repaintingStart");
            endNode = TaskReader.Get(settingsObject, "repaintingEnd");
            var start = r.Number(startNode, "settings.repaintingStart", -300, 300, null, " seconds");
            var end = r.Number(endNode, "settings.repaintingEnd", 0, 300, null, " seconds");
            if (start is { } s && end is { } e && s >= e)
            {
                r.Incompatible($"settings.repaintingStart ({TaskReader.Format(s)} s) must be less than settings.repaintingEnd ({TaskReader.Format(e)} s).",
                    "settings.repaintingStart", "settings.repaintingEnd");
            }
            else if (startNode is null && end is 0)
            {
                r.Invalid("settings.repaintingEnd",
                    "settings.repaintingEnd is 0, but without settings.repaintingStart the region starts at 0, so it would be empty; " +
                    "give an end greater than 0 (seconds).", "greater than 0 to 300 seconds");
            }
            var timeSignature = ReadTimeSignature(r, TaskReader.Get(settingsObject, "timeSignature"));
            var language = ReadVocalLanguage(r, TaskReader.Get(settingsObject, "vocalLanguage"));
            stem = ReadStemJob(r, settingsObject, model, hasAudio,
                startNode is not null, endNode is not null);
            settings = new GenerationSettings
            {
                Bpm = (int?)bpm,
                CoverConditioningScale = cover ?? 1,
                GuidanceType = guidance ?? GuidanceType.Apg,
                KeyScale = keyScale,
                Lyrics = lyrics,
                RepaintingStart = start,
                RepaintingEnd = end,
                TimeSignature = timeSignature,
                VocalLanguage = language ?? VocalLanguages.Default,
                TrackName = stem.TrackName,
                TrackClasses = stem.TrackClasses,
            };
        }

        // Cross-field rules and the job kind.
        var repainting = startNode is not null || endNode is not null;
        if (repainting && !hasAudio && stem.Kind is null)
        {
            string[] paths = [.. startNode is null ? [] : new[] { "settings.repaintingStart" },
                              .. endNode is null ? [] : new[] { "settings.repaintingEnd" }, "inputs.audio"];
            r.Incompatible("settings.repaintingStart and settings.repaintingEnd select the region of inputs.audio to repaint, " +
                           "but the task has no inputs.audio. Add the source audio, or remove the repainting fields to generate from text.",
                paths);
        }
        var kind = stem.Kind ?? (!hasAudio ? JobKind.TextToMusic : repainting ? JobKind.Repaint : JobKind.Cover);

        if (r.HasErrors)
        {
            return TaskValidation.Failure<AudioInferenceRequest>(r.Errors);
        }

        var cfg = turbo ? 1 : cfgScale ?? 10;
        if (durationNode is not null && hasAudio)
        {
            (ignored ??= []).Add("duration");
        }
        if (strengthNode is not null && (!hasAudio || kind is JobKind.Extract or JobKind.Complete))
        {
            (ignored ??= []).Add("strength");
        }
        if (negativePrompt is not null && cfg <= 1)
        {
            (ignored ??= []).Add("negativePrompt");
        }
        if (coverNode is not null && kind != JobKind.Cover)
        {
            (ignored ??= []).Add("settings.coverConditioningScale");
        }
        if (ttlNode is not null && effectiveType != OutputType.Url)
        {
            (ignored ??= []).Add("ttl");
        }

        return TaskValidation.Success(new AudioInferenceRequest
        {
            TaskUuid = taskUuid!.Value,
            Model = model!.Id,
            IsTurbo = turbo,
            Kind = kind,
            PositivePrompt = positivePrompt!,
            NegativePrompt = negativePrompt,
            Duration = duration ?? 60,
            Seed = seed,
            Steps = (int)(steps ?? model.DefaultSteps),
            CfgScale = cfg,
            Strength = strength ?? 0.5,
            NumberResults = (int)(numberResults ?? 1),
            OutputType = effectiveType!.Value,
            OutputFormat = effectiveFormat!.Value,
            AudioSettings = audioSettings,
            DeliveryMethod = deliveryMethod ?? DeliveryMethod.Sync,
            WebhookUrl = webhookUrl,
            UploadEndpoint = uploadEndpoint,
            Ttl = (int)(ttl ?? 86_400),
            IncludeCost = includeCost ?? false,
            InputAudio = inputAudio,
            InputAudioKind = inputKind,
            InputAudioUuid = inputUuid,
            InputAudioAttachment = inputAttachment,
            Settings = settings,
            IgnoredParameters = ignored ?? (IReadOnlyList<string>)[],
        });
    }

    private delegate bool TryParse<T>(string text, out T value);

    private static T? ReadEnum<T>(TaskReader r, JsonObject obj, string path, TryParse<T> parse, T[] allowed, Func<T, string> wire)
        where T : struct, Enum
    {
        var name = path[(path.LastIndexOf('.') + 1)..];
        var node = TaskReader.Get(obj, name);
        if (node is null)
        {
            return null;
        }
        if (node is JsonValue value && TaskReader.TryGetString(value, out var given) && parse(given.Trim(), out var parsed) &&
            Array.IndexOf(allowed, parsed) >= 0)
        {
            return parsed;
        }
        var names = allowed.Select(wire).ToArray();
        var text = r.String(node, path, "one of " + string.Join(", ", names));
        if (text is null)
        {
            return null;
        }
        r.Invalid(path, $"'{path}' is {TaskReader.Quote(text)}; allowed: {string.Join(", ", names)}.", TaskReader.Strings(names));
        return null;
    }

    private static OutputType? ReadOutputType(TaskReader r, JsonObject task, TransportKind transport)
    {
        var http = s_httpOutputTypes;
        var allowed = transport == TransportKind.Pipe ? s_pipeOutputTypes : http;
        var text = r.String(TaskReader.Get(task, "outputType"), "outputType", "URL, base64Data or dataURI");
        if (text is null)
        {
            return null;
        }
        if (!WireNames.TryParseOutputType(text.Trim(), out var value))
        {
            var names = allowed.Select(v => v.ToWire()).ToArray();
            r.Invalid("outputType", $"outputType is {TaskReader.Quote(text)}; allowed: {string.Join(", ", names)}.", TaskReader.Strings(names));
            return null;
        }
        if (Array.IndexOf(allowed, value) < 0)
        {
            r.Unsupported("outputType",
                "outputType 'attachment' exists on the named pipe only; over HTTP use URL, base64Data or dataURI.",
                TaskReader.Strings(http.Select(v => v.ToWire())));
            return null;
        }
        return value;
    }

    private static OutputFormat? ReadOutputFormat(TaskReader r, JsonObject task, TransportKind transport)
    {
        var http = s_httpOutputFormats;
        var allowed = transport == TransportKind.Pipe ? s_pipeOutputFormats : http;
        var text = r.String(TaskReader.Get(task, "outputFormat"), "outputFormat", "MP3, WAV, FLAC or OGG");
        if (text is null)
        {
            return null;
        }
        if (!WireNames.TryParseOutputFormat(text.Trim(), out var value))
        {
            var names = allowed.Select(v => v.ToWire()).ToArray();
            r.Invalid("outputFormat", $"outputFormat is {TaskReader.Quote(text)}; allowed: {string.Join(", ", names)}.", TaskReader.Strings(names));
            return null;
        }
        if (Array.IndexOf(allowed, value) < 0)
        {
            r.Unsupported("outputFormat",
                "outputFormat 'PCM_F32' (raw float32 samples) exists on the named pipe only; over HTTP use MP3, WAV, FLAC or OGG.",
                TaskReader.Strings(http.Select(v => v.ToWire())));
            return null;
        }
        return value;
    }

    private static AudioSettings? ReadAudioSettings(TaskReader r, JsonObject task, OutputFormat? format, TransportKind transport)
    {
        var node = TaskReader.Get(task, "audioSettings");
        if (node is null)
        {
            return format switch
            {
                OutputFormat.Mp3 or OutputFormat.Ogg => new AudioSettings(AudioFormats.DefaultSampleRate(format.Value), AudioFormats.DefaultBitrate, AudioFormats.DefaultChannels),
                OutputFormat.PcmF32 => new AudioSettings(AudioFormats.NativeSampleRate, null, AudioFormats.DefaultChannels),
                _ => null,
            };
        }
        var obj = r.Object(node, "audioSettings", "sampleRate, bitrate and channels");
        if (obj is null)
        {
            return null;
        }
        r.UnknownFields(obj, "audioSettings", s_audioSettings);
        if (format is OutputFormat.Wav or OutputFormat.Flac)
        {
            string[] takers = transport == TransportKind.Pipe ? ["MP3", "OGG", "PCM_F32"] : ["MP3", "OGG"];
            r.Unsupported("audioSettings",
                $"audioSettings applies to the lossy formats only ({string.Join(", ", takers)}); {format.Value.ToWire()} is written at 48 kHz, stereo, 24-bit " +
                "with nothing to configure. Remove audioSettings or choose another outputFormat.",
                TaskReader.Strings(takers));
            return null;
        }

        var channelsNode = TaskReader.Get(obj, "channels");
        var channels = (int?)r.Integer(channelsNode, "audioSettings.channels", 1, 2);
        var channelsOk = channelsNode is null || channels is not null;
        var effectiveChannels = channels ?? AudioFormats.DefaultChannels;
        var sampleRateNode = TaskReader.Get(obj, "sampleRate");
        var bitrateNode = TaskReader.Get(obj, "bitrate");

        if (format == OutputFormat.PcmF32)
        {
            var rate = r.Integer(sampleRateNode, "audioSettings.sampleRate", AudioFormats.PcmMinSampleRate, AudioFormats.PcmMaxSampleRate, " Hz");
            if (bitrateNode is not null)
            {
                r.Unsupported("audioSettings.bitrate", "PCM_F32 is uncompressed: it has a sample rate and channels but no bitrate; remove audioSettings.bitrate.");
            }
            return new AudioSettings((int)(rate ?? AudioFormats.NativeSampleRate), null, effectiveChannels);
        }

        // Unknown format (already reported): check the types only.
        if (format is not { } lossy)
        {
            r.WholeNumber(sampleRateNode, "audioSettings.sampleRate", "a whole number of Hz");
            r.WholeNumber(bitrateNode, "audioSettings.bitrate", "a whole number of kbps");
            return null;
        }

        var table = AudioFormats.Table(lossy, effectiveChannels);
        var rates = table.Select(row => row.SampleRate).ToArray();
        int? sampleRate = AudioFormats.DefaultSampleRate(lossy);
        if (sampleRateNode is not null)
        {
            var given = r.WholeNumber(sampleRateNode, "audioSettings.sampleRate", $"one of {string.Join(", ", rates)} Hz", TaskReader.Numbers(rates));
            sampleRate = null;
            if (given is { } g)
            {
                if (g is < 1 or > int.MaxValue || AudioFormats.FindRow(table, (int)g) is null)
                {
                    r.Invalid("audioSettings.sampleRate",
                        $"audioSettings.sampleRate {g} Hz is not available for {lossy.ToWire()}; allowed: {string.Join(", ", rates)} Hz.",
                        TaskReader.Numbers(rates));
                }
                else
                {
                    sampleRate = (int)g;
                }
            }
        }
        var bitrate = r.WholeNumber(bitrateNode, "audioSettings.bitrate", "a whole number of kbps within the sample rate's range");
        if (sampleRate is not { } sr || !channelsOk || (bitrateNode is not null && bitrate is null))
        {
            return null; // The row is unknown, or the bitrate is already wrong: nothing more to check.
        }
        var row = AudioFormats.FindRow(table, sr)!.Value;
        if (bitrate is { } b && (b < row.MinBitrate || b > row.MaxBitrate))
        {
            var forWhat = lossy == OutputFormat.Ogg
                ? $"OGG at {sr} Hz with {effectiveChannels} channel{(effectiveChannels == 1 ? "" : "s")}"
                : $"MP3 at {sr} Hz";
            var range = $"{row.MinBitrate} to {row.MaxBitrate} kbps";
            r.Invalid("audioSettings.bitrate", $"audioSettings.bitrate {b} kbps is outside the range for {forWhat}: {range}.", range);
            return null;
        }
        return new AudioSettings(sr, (int?)bitrate ?? row.DefaultBitrate, effectiveChannels);
    }

    /// <summary>Classifies <c>inputs.audio</c>, recording why it is unusable; shared with <see cref="AudioAnalysisValidator"/>.</summary>
    internal static AudioInputKind? ReadAudioReference(TaskReader r, string text, TransportKind transport, out Guid uuid, out int attachment)
    {
        var kind = AudioInputs.Classify(text, out uuid, out attachment);
        const string forms = "a mediaUUID or audioUUID, an http(s) URL, a data:audio/…;base64, URI, or base64 data";
        if (kind is null)
        {
            var extra = text.StartsWith(AudioInputs.AttachmentPrefix, StringComparison.Ordinal)
                ? " An attachment reference is 'attachment:<n>' with n a positive whole number."
                : "";
            r.Invalid("inputs.audio", $"inputs.audio {TaskReader.Quote(text)} is not {forms}" +
                                      (transport == TransportKind.Pipe ? " or 'attachment:<n>'." : ".") + extra);
            return null;
        }
        if (kind == AudioInputKind.Attachment && transport != TransportKind.Pipe)
        {
            r.Unsupported("inputs.audio", $"inputs.audio {TaskReader.Quote(text)} refers to a binary attachment, which exists on the named pipe only; over HTTP send {forms}.");
            return null;
        }
        return kind;
    }

    /// <summary>The engine extension's stem job: <c>settings.task</c> with its track fields, or none.</summary>
    private readonly record struct StemJob(JobKind? Kind, string? TrackName, IReadOnlyList<string>? TrackClasses);

    // settings.task / trackName / trackClasses (docs/task-api.md "Stem jobs"): the base model's lego, extract and
    // complete. Every wrong combination is reported, each naming the fields involved.
    // Whether settings.task names one of the stem jobs (checked in full by ReadStemJob; this only decides whether the
    // caption is optional, before the settings are read).
    private static bool NamesStemTask(JsonObject task) =>
        TaskReader.Get(task, "settings") is JsonObject settings && TaskReader.Get(settings, "task") is JsonValue value &&
        TaskReader.TryGetString(value, out var text) && WireNames.TryParseStemTask(text, out _);

    private static bool IsAbsentOrEmpty(JsonNode? node) =>
        node is null || (node is JsonValue value && TaskReader.TryGetString(value, out var text) && text.Length == 0);

    private static StemJob ReadStemJob(TaskReader r, JsonObject settings, AudioModel? model, bool hasAudio, bool hasStart, bool hasEnd)
    {
        var taskNode = TaskReader.Get(settings, "task");
        var trackNode = TaskReader.Get(settings, "trackName");
        var classesNode = TaskReader.Get(settings, "trackClasses");
        JobKind? kind = null;
        var taskText = r.String(taskNode, "settings.task", "lego, extract or complete");
        if (taskText is not null)
        {
            if (WireNames.TryParseStemTask(taskText, out var parsed))
            {
                kind = parsed;
            }
            else
            {
                r.Invalid("settings.task", $"settings.task is {TaskReader.Quote(taskText)}; allowed: {string.Join(", ", WireNames.StemTaskNames)} " +
                    "(leave it out for text-to-music, repaint and cover, which follow from the other fields).", TaskReader.Strings(WireNames.StemTaskNames));
            }
        }
        var name = kind is null ? (string?)null : WireNames.StemTaskName(kind.Value);
        if (kind is not null && model?.IsTurbo == true)
        {
            r.Unsupported("settings.task", $"settings.task '{name}' runs on the base model only (upstream's TASK_TYPES_BASE); " +
                $"the turbo model '{model.Id}' was not trained for it. Use '{AudioModelCatalog.Base.Id}'.");
        }
        if (kind is not null && !hasAudio)
        {
            r.Incompatible($"settings.task '{name}' works on source audio, but the task has no inputs.audio. Add the audio to {name}.",
                "settings.task", "inputs.audio");
        }
        if (kind is JobKind.Extract or JobKind.Complete && (hasStart || hasEnd))
        {
            string[] paths = [.. hasStart ? new[] { "settings.repaintingStart" } : [], .. hasEnd ? new[] { "settings.repaintingEnd" } : [], "settings.task"];
            r.Incompatible($"settings.task '{name}' works on the whole source; only lego takes a span (settings.repaintingStart/repaintingEnd). " +
                "Remove the repainting fields.", paths);
        }

        string? track = null;
        var trackText = r.String(trackNode, "settings.trackName", "a stem such as 'drums'");
        if (trackText is not null)
        {
            track = StemTracks.Normalize(trackText);
            if (track is null)
            {
                r.Invalid("settings.trackName", $"settings.trackName {TaskReader.Quote(trackText)} is not a stem the model knows; allowed: {string.Join(", ", StemTracks.All)}.",
                    TaskReader.Strings(StemTracks.All));
            }
        }
        if (kind is JobKind.Lego or JobKind.Extract && trackNode is null)
        {
            r.Add(ErrorCodes.Missing("settings.trackName"), $"settings.task '{name}' needs settings.trackName: the stem to " +
                (kind == JobKind.Lego ? "add" : "extract") + $", one of {string.Join(", ", StemTracks.All)}.", "settings.trackName", TaskReader.Strings(StemTracks.All));
        }
        if (trackNode is not null && kind is not (JobKind.Lego or JobKind.Extract) && (taskNode is null || kind is not null))
        {
            r.Incompatible("settings.trackName names the stem of settings.task 'lego' or 'extract' " +
                (kind is null ? "but the task has no settings.task." : $"but settings.task is '{name}' (complete takes settings.trackClasses)."),
                "settings.trackName", "settings.task");
        }

        IReadOnlyList<string>? classes = null;
        if (classesNode is not null)
        {
            classes = ReadTrackClasses(r, classesNode);
            if (kind != JobKind.Complete && (taskNode is null || kind is not null))
            {
                r.Incompatible("settings.trackClasses lists the stems settings.task 'complete' adds " +
                    (kind is null ? "but the task has no settings.task." : $"but settings.task is '{name}' (lego and extract take settings.trackName)."),
                    "settings.trackClasses", "settings.task");
            }
        }
        return new StemJob(kind, kind is JobKind.Lego or JobKind.Extract ? track : null, kind == JobKind.Complete ? classes : null);
    }

    private static List<string>? ReadTrackClasses(TaskReader r, JsonNode node)
    {
        const string path = "settings.trackClasses";
        if (node is not JsonArray array || array.Count == 0 || array.Count > StemTracks.All.Count)
        {
            r.Invalid(path, $"{path} must be an array of 1 to {StemTracks.All.Count} stem names such as [\"drums\", \"bass\"], not {TaskReader.Describe(node)}.",
                TaskReader.Strings(StemTracks.All));
            return null;
        }
        var classes = new List<string>(array.Count);
        foreach (var item in array)
        {
            var known = item is JsonValue value && TaskReader.TryGetString(value, out var text) ? StemTracks.Normalize(text) : null;
            if (known is null)
            {
                r.Invalid(path, $"{path} holds {(item is null ? "null" : TaskReader.Describe(item))}, which is not a stem the model knows; allowed: {string.Join(", ", StemTracks.All)}.",
                    TaskReader.Strings(StemTracks.All));
                return null;
            }
            if (classes.Contains(known))
            {
                r.Invalid(path, $"{path} names '{known}' twice; name each stem once.", TaskReader.Strings(StemTracks.All));
                return null;
            }
            classes.Add(known);
        }
        return classes;
    }

    private static string? ReadKeyScale(TaskReader r, JsonNode? node)
    {
        var text = r.String(node, "settings.keyScale", "a key such as 'C major', 'F# minor' or 'Bb major'");
        if (text is null || text.Trim().Length == 0)
        {
            return null; // "" lets the model decide, like an absent key.
        }
        if (KeyScales.TryNormalize(text, out var normalized))
        {
            return normalized;
        }
        r.Invalid("settings.keyScale",
            $"settings.keyScale {TaskReader.Quote(text)} is not a key: write '{{Note}}{{Accidental}} {{Mode}}' with a note A–G, an optional accidental " +
            "(#, b, ♯ or ♭) and the mode major or minor, e.g. 'C major', 'F# minor', 'Bb major'.",
            TaskReader.Strings(KeyScales.NormalForms));
        return null;
    }

    private static int? ReadTimeSignature(TaskReader r, JsonNode? node)
    {
        const string path = "settings.timeSignature";
        if (node is null)
        {
            return null;
        }
        long value;
        if (node is JsonValue v && TaskReader.TryGetString(v, out var text))
        {
            text = text.Trim();
            if (text.Length == 0)
            {
                return null; // The model decides.
            }
            if (!long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out value))
            {
                value = -1;
            }
        }
        else if (!TaskReader.TryGetInteger(node, out value, out _))
        {
            value = -1;
        }
        if (Array.IndexOf(s_timeSignatures, (int)Math.Clamp(value, -1, 100)) >= 0)
        {
            return (int)value;
        }
        r.Invalid(path,
            $"settings.timeSignature is {TaskReader.Describe(node)}; allowed: 2, 3, 4 or 6 (beats per measure: 2/4, 3/4, 4/4, 6/8), " +
            "as a number or a numeric string, or \"\" to let the model decide.",
            TaskReader.Numbers(s_timeSignatures));
        return null;
    }

    private static string? ReadVocalLanguage(TaskReader r, JsonNode? node)
    {
        var text = r.String(node, "settings.vocalLanguage", "a language code such as 'en'");
        if (text is null)
        {
            return null;
        }
        var code = VocalLanguages.Normalize(text.Trim());
        if (code is null)
        {
            r.Invalid("settings.vocalLanguage",
                $"settings.vocalLanguage {TaskReader.Quote(text)} is not a supported code; use one of: {string.Join(" ", VocalLanguages.All)} " +
                "('unknown' for instrumental or automatic detection).",
                TaskReader.Strings(VocalLanguages.All));
        }
        return code;
    }
}
