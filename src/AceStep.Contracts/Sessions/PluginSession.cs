using System.Text.Json.Serialization;

namespace AceStep.Contracts.Sessions;

/// <summary>
/// The operations of the <c>pluginSession</c> task (engine extension, pipe only): how a plugin instance publishes
/// what its control page shows and collects what the producer did on that page. The engine only stores and relays;
/// the plugin stays the one that captures, runs takes and plays them.
/// </summary>
public static class SessionOperations
{
    /// <summary>Register (or re-register after a reconnect) an instance; answers its control page address.</summary>
    public const string Open = "open";

    /// <summary>Replace what the page shows (<see cref="SessionView"/>).</summary>
    public const string Update = "update";

    /// <summary>Hand over a take's audio (a PCM_F32 attachment) so the page can audition it.</summary>
    public const string PutTake = "putTake";

    /// <summary>Wait (long poll) for commands the page sent after a sequence number.</summary>
    public const string Poll = "poll";

    /// <summary>The instance is going away; the page says so.</summary>
    public const string Close = "close";
}

/// <summary>What the page asks the plugin to do.</summary>
public static class SessionCommands
{
    /// <summary>Make a take with the command's settings (they also become the instance's settings).</summary>
    public const string Generate = "generate";

    /// <summary>Stop the running take.</summary>
    public const string Cancel = "cancel";

    /// <summary>Store the command's settings (prompt, lyrics, …) in the instance without generating.</summary>
    public const string Settings = "settings";

    /// <summary>Make <see cref="SessionCommand.TakeId"/> the active take ("use this take"); null = none.</summary>
    public const string SelectTake = "selectTake";

    /// <summary>A/B: <see cref="SessionCommand.Listen"/> is <c>take</c> or <c>original</c>.</summary>
    public const string Listen = "listen";

    /// <summary>Forget <see cref="SessionCommand.TakeId"/> (its WAV file stays on disk).</summary>
    public const string DeleteTake = "deleteTake";
}

/// <summary>A <c>pluginSession</c> task. Which fields are required depends on <see cref="Operation"/>.</summary>
public sealed record PluginSessionRequest
{
    /// <summary>Always <c>pluginSession</c>.</summary>
    [JsonPropertyName("taskType")]
    public string TaskType { get; init; } = TaskTypes.PluginSession;

    /// <summary>Optional UUID echoed in the reply.</summary>
    [JsonPropertyName("taskUUID")]
    public Guid? TaskUuid { get; init; }

    /// <summary>One of <see cref="SessionOperations"/>.</summary>
    [JsonPropertyName("operation")]
    public required string Operation { get; init; }

    /// <summary>
    /// The plugin instance: a random UUID v4 the instance keeps for its life (and in its saved state). It is also the
    /// secret part of the page address, so only whoever the plugin shows the address to can drive the instance.
    /// </summary>
    [JsonPropertyName("instanceId")]
    public required Guid InstanceId { get; init; }

    /// <summary><c>open</c>: the host's name (e.g. REAPER), for the page title.</summary>
    [JsonPropertyName("hostName")]
    public string? HostName { get; init; }

    /// <summary><c>open</c>: a label for the instance (track name where the host tells it).</summary>
    [JsonPropertyName("title")]
    public string? Title { get; init; }

    /// <summary><c>update</c>: the whole view.</summary>
    [JsonPropertyName("view")]
    public SessionView? View { get; init; }

    /// <summary><c>putTake</c>: which take the audio belongs to.</summary>
    [JsonPropertyName("takeId")]
    public string? TakeId { get; init; }

    /// <summary><c>putTake</c>: <c>attachment:&lt;n&gt;</c>, a PCM_F32 attachment (interleaved, rate and channels in its header).</summary>
    [JsonPropertyName("audio")]
    public string? Audio { get; init; }

    /// <summary><c>poll</c>: answer commands with a sequence number above this (0 = all that are kept).</summary>
    [JsonPropertyName("afterSequence")]
    public long? AfterSequence { get; init; }

    /// <summary><c>poll</c>: how long to wait for a command when none is waiting, 0–30 s (default 20).</summary>
    [JsonPropertyName("waitSeconds")]
    public double? WaitSeconds { get; init; }
}

/// <summary>The answer to a <c>pluginSession</c> task (fields by operation).</summary>
public sealed record PluginSessionResult
{
    /// <summary>Always <c>pluginSession</c>.</summary>
    [JsonPropertyName("taskType")]
    public string TaskType { get; init; } = TaskTypes.PluginSession;

    /// <summary>The task's UUID when it had one.</summary>
    [JsonPropertyName("taskUUID")]
    public Guid? TaskUuid { get; init; }

    /// <summary>The operation answered.</summary>
    [JsonPropertyName("operation")]
    public required string Operation { get; init; }

    /// <summary>The instance.</summary>
    [JsonPropertyName("instanceId")]
    public required Guid InstanceId { get; init; }

    /// <summary><c>open</c>: the control page, e.g. <c>http://127.0.0.1:8001/control/&lt;instanceId&gt;</c>.</summary>
    [JsonPropertyName("controlUrl")]
    public Uri? ControlUrl { get; init; }

    /// <summary><c>update</c>: the view's revision number (the page long-polls on it).</summary>
    [JsonPropertyName("revision")]
    public long? Revision { get; init; }

    /// <summary><c>putTake</c>: where the page fetches the take as WAV.</summary>
    [JsonPropertyName("audioUrl")]
    public Uri? AudioUrl { get; init; }

    /// <summary><c>poll</c>: the commands after <c>afterSequence</c>, oldest first (empty when the wait ran out).</summary>
    [JsonPropertyName("commands")]
    public IReadOnlyList<SessionCommand>? Commands { get; init; }
}

/// <summary>Something the producer did on the control page, numbered by the engine in arrival order.</summary>
public sealed record SessionCommand
{
    /// <summary>Arrival order, from 1, per instance; the plugin polls after the last one it handled.</summary>
    [JsonPropertyName("sequence")]
    public long Sequence { get; init; }

    /// <summary>One of <see cref="SessionCommands"/>.</summary>
    [JsonPropertyName("command")]
    public required string Command { get; init; }

    /// <summary><c>generate</c> and <c>settings</c>: the settings.</summary>
    [JsonPropertyName("settings")]
    public SessionSettings? Settings { get; init; }

    /// <summary><c>selectTake</c> and <c>deleteTake</c>: the take (null in selectTake = no take).</summary>
    [JsonPropertyName("takeId")]
    public string? TakeId { get; init; }

    /// <summary><c>listen</c>: <c>take</c> or <c>original</c>.</summary>
    [JsonPropertyName("listen")]
    public string? Listen { get; init; }
}

/// <summary>What a take is made with: the producer's settings (saved in the host project by the plugin).</summary>
public sealed record SessionSettings
{
    /// <summary>
    /// <c>repaint</c>, <c>cover</c>, <c>generate</c>, or the base model's stem jobs <c>lego</c> (add a part),
    /// <c>extract</c> (a stem) and <c>complete</c> (task API <c>settings.task</c>).
    /// </summary>
    [JsonPropertyName("mode")]
    public string Mode { get; init; } = "repaint";

    /// <summary>The caption / style prompt.</summary>
    [JsonPropertyName("prompt")]
    public string Prompt { get; init; } = "";

    /// <summary>Lyrics; empty = instrumental.</summary>
    [JsonPropertyName("lyrics")]
    public string Lyrics { get; init; } = "";

    /// <summary>A key scale such as <c>A minor</c>, or <c>auto</c> (the engine estimates it from the audio).</summary>
    [JsonPropertyName("keyScale")]
    public string KeyScale { get; init; } = "auto";

    /// <summary>BPM to use instead of the host's tempo; null = the host's.</summary>
    [JsonPropertyName("bpm")]
    public double? Bpm { get; init; }

    /// <summary>Repaint/cover strength 0–1.</summary>
    [JsonPropertyName("strength")]
    public double Strength { get; init; } = 0.5;

    /// <summary>Cover conditioning scale 0–1.</summary>
    [JsonPropertyName("coverScale")]
    public double CoverScale { get; init; } = 1.0;

    /// <summary>Denoising steps.</summary>
    [JsonPropertyName("steps")]
    public int Steps { get; init; } = 32;

    /// <summary>Seed; 0 = a new one each take.</summary>
    [JsonPropertyName("seed")]
    public long Seed { get; init; }

    /// <summary>Vocal language code.</summary>
    [JsonPropertyName("language")]
    public string Language { get; init; } = "en";

    /// <summary>
    /// <c>base</c> (the default: best quality, <see cref="Steps"/> steps) or <c>turbo</c> (the distilled model: its own
    /// 8-step schedule, several times faster — the practical choice on a CPU).
    /// </summary>
    [JsonPropertyName("model")]
    public string Model { get; init; } = "base";

    /// <summary>
    /// The stem a <c>lego</c> take adds or an <c>extract</c> take isolates: one of <c>StemTracks.All</c> (task API
    /// <c>settings.trackName</c>). Kept in the other modes, so switching back finds it again.
    /// </summary>
    [JsonPropertyName("trackName")]
    public string TrackName { get; init; } = "drums";

    /// <summary>The stems a <c>complete</c> take adds (task API <c>settings.trackClasses</c>); empty = let the model choose.</summary>
    [JsonPropertyName("trackClasses")]
    public IReadOnlyList<string> TrackClasses { get; init; } = [];
}

/// <summary>Everything the control page shows for one instance; the plugin replaces it whenever something changes.</summary>
public sealed record SessionView
{
    /// <summary>The host's name.</summary>
    [JsonPropertyName("hostName")]
    public string? HostName { get; init; }

    /// <summary>The track the instance is on, as the host names it (VST3 IInfoListener), or null.</summary>
    [JsonPropertyName("trackName")]
    public string? TrackName { get; init; }

    /// <summary>The track's colour as <c>#rrggbb</c>, or null.</summary>
    [JsonPropertyName("trackColor")]
    public string? TrackColor { get; init; }

    /// <summary>The host's sample rate (0 before the first setupProcessing).</summary>
    [JsonPropertyName("sampleRate")]
    public double SampleRate { get; init; }

    /// <summary>The DAW context at the range.</summary>
    [JsonPropertyName("context")]
    public SessionContext Context { get; init; } = new();

    /// <summary>The captured audio around the range, as a waveform overview.</summary>
    [JsonPropertyName("capture")]
    public SessionWaveform? Capture { get; init; }

    /// <summary>The instance's current settings.</summary>
    [JsonPropertyName("settings")]
    public SessionSettings Settings { get; init; } = new();

    /// <summary>The current or last job.</summary>
    [JsonPropertyName("job")]
    public SessionJob Job { get; init; } = new();

    /// <summary>The takes, oldest first.</summary>
    [JsonPropertyName("takes")]
    public IReadOnlyList<SessionTake> Takes { get; init; } = [];

    /// <summary><c>take</c> or <c>original</c> (the A/B switch).</summary>
    [JsonPropertyName("listen")]
    public string Listen { get; init; } = "take";

    /// <summary>
    /// Set by the engine on <c>update</c>: increases with every update, so the page can wait for the next one.
    /// Ignored when the plugin sends it.
    /// </summary>
    [JsonPropertyName("revision")]
    public long Revision { get; init; }
}

/// <summary>Tempo, metre and the range, as the host reported them.</summary>
public sealed record SessionContext
{
    /// <summary>BPM, or null when the host gave none.</summary>
    [JsonPropertyName("tempo")]
    public double? Tempo { get; init; }

    /// <summary>Time-signature numerator.</summary>
    [JsonPropertyName("numerator")]
    public int? Numerator { get; init; }

    /// <summary>Time-signature denominator.</summary>
    [JsonPropertyName("denominator")]
    public int? Denominator { get; init; }

    /// <summary>Range start, seconds on the project timeline; null when there is no range.</summary>
    [JsonPropertyName("rangeStart")]
    public double? RangeStart { get; init; }

    /// <summary>Range end, seconds on the project timeline.</summary>
    [JsonPropertyName("rangeEnd")]
    public double? RangeEnd { get; init; }

    /// <summary>Range start as bar.beat.sixteenth on the host's ruler (e.g. <c>3.1.1</c>); null without tempo and metre.</summary>
    [JsonPropertyName("rangeStartBar")]
    public string? RangeStartBar { get; init; }

    /// <summary>Range end as bar.beat.sixteenth (the first position after the range).</summary>
    [JsonPropertyName("rangeEndBar")]
    public string? RangeEndBar { get; init; }

    /// <summary>Where the range came from: <c>hostSelection</c>, <c>cycle</c> or <c>parameters</c>.</summary>
    [JsonPropertyName("rangeSource")]
    public string? RangeSource { get; init; }

    /// <summary>Bar lines inside the shown waveform, seconds on the project timeline (from the host's tempo and metre).</summary>
    [JsonPropertyName("barLines")]
    public IReadOnlyList<double> BarLines { get; init; } = [];
}

/// <summary>A waveform overview: <see cref="Peaks"/> holds min,max pairs, one pair per bucket, of the mixed-down channels.</summary>
public sealed record SessionWaveform
{
    /// <summary>Seconds on the project timeline of the first bucket.</summary>
    [JsonPropertyName("start")]
    public double Start { get; init; }

    /// <summary>Seconds covered.</summary>
    [JsonPropertyName("duration")]
    public double Duration { get; init; }

    /// <summary>min0, max0, min1, max1, … in −1…1.</summary>
    [JsonPropertyName("peaks")]
    public IReadOnlyList<float> Peaks { get; init; } = [];
}

/// <summary>The current or last job as the producer sees it.</summary>
public sealed record SessionJob
{
    /// <summary><c>idle</c>, <c>connecting</c>, <c>running</c>, <c>done</c>, <c>failed</c> or <c>cancelled</c>.</summary>
    [JsonPropertyName("state")]
    public string State { get; init; } = "idle";

    /// <summary>0–100.</summary>
    [JsonPropertyName("progress")]
    public double Progress { get; init; }

    /// <summary>The engine's stage (text-encoder, diffusion, …).</summary>
    [JsonPropertyName("stage")]
    public string Stage { get; init; } = "";

    /// <summary>For a failure: what went wrong, in words.</summary>
    [JsonPropertyName("message")]
    public string Message { get; init; } = "";
}

/// <summary>One take of the instance.</summary>
public sealed record SessionTake
{
    /// <summary>Stable id (the plugin's), used in commands and audio URLs.</summary>
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    /// <summary>Project position of its first sample, seconds.</summary>
    [JsonPropertyName("start")]
    public double Start { get; init; }

    /// <summary>Its first sample as bar.beat.sixteenth on the host's ruler; null without tempo and metre.</summary>
    [JsonPropertyName("startBar")]
    public string? StartBar { get; init; }

    /// <summary>Length in seconds.</summary>
    [JsonPropertyName("duration")]
    public double Duration { get; init; }

    /// <summary>The seed the engine used.</summary>
    [JsonPropertyName("seed")]
    public long Seed { get; init; }

    /// <summary>What it was made with.</summary>
    [JsonPropertyName("settings")]
    public SessionSettings Settings { get; init; } = new();

    /// <summary>True for the take that plays.</summary>
    [JsonPropertyName("active")]
    public bool Active { get; init; }

    /// <summary>The WAV file the plugin saved, or null.</summary>
    [JsonPropertyName("file")]
    public string? File { get; init; }

    /// <summary>True when the project lists this take but its file could not be read (moved or deleted): it does not play.</summary>
    [JsonPropertyName("missing")]
    public bool Missing { get; init; }

    /// <summary>The take's waveform overview.</summary>
    [JsonPropertyName("waveform")]
    public SessionWaveform? Waveform { get; init; }

    /// <summary>Set by the engine: where the page fetches the audio (after <c>putTake</c>), or null.</summary>
    [JsonPropertyName("audioUrl")]
    public Uri? AudioUrl { get; init; }
}
