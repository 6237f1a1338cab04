using AceStep.Contracts.Tasks;
using AceStep.Vst3;

namespace AceStep.Plugin.Parameters;

/// <summary>The plugin's parameters, indexed by <see cref="ParameterId"/> (the IDs are 0…Count−1 on purpose).</summary>
internal static class PluginParameters
{
    /// <summary>
    /// Items of <see cref="ParameterId.Mode"/>, in plain-value order. New modes are appended: the state saves the
    /// plain value, so a project saved with Generate (2) still loads Generate.
    /// </summary>
    public static readonly IReadOnlyList<string> Modes = ["Repaint", "Cover", "Generate", "Add a Part", "Extract a Stem", "Complete"];

    /// <summary>Items of <see cref="ParameterId.Track"/>: the engine's stem list (<see cref="StemTracks.All"/>), as the host shows them.</summary>
    public static readonly IReadOnlyList<string> TrackItems = [.. StemTracks.All.Select(TrackLabel)];

    /// <summary>The default stem of <see cref="ParameterId.Track"/>: drums, the part the guide adds.</summary>
    public static readonly int DefaultTrack = StemTracks.All.ToList().IndexOf("drums");

    /// <summary>The "let the engine decide" item of <see cref="ParameterId.Key"/> (plain value 0).</summary>
    public const string AutoKey = "Auto";

    /// <summary>Items of <see cref="ParameterId.Listen"/>, in plain-value order.</summary>
    public static readonly IReadOnlyList<string> ListenItems = ["Original", "Take"];

    /// <summary>Items of <see cref="ParameterId.Model"/>, in plain-value order.</summary>
    public static readonly IReadOnlyList<string> ModelItems = ["Base", "Turbo"];

    /// <summary>Items of the trigger parameters (<see cref="ParameterId.Generate"/>, <see cref="ParameterId.OpenPage"/>).</summary>
    public static readonly IReadOnlyList<string> TriggerItems = ["Off", "On"];

    /// <summary>
    /// Default diffusion steps. The engine serves the base model, whose own default is 100; 8 is the turbo model's
    /// schedule and too few for the base model. 32 makes a round trip from the DAW about three times shorter than 100
    /// while keeping most of the base model's schedule; users who want the full quality raise it.
    /// </summary>
    public const int DefaultSteps = 32;

    /// <summary>Every parameter; <c>All[(int)id].Id == id</c>.</summary>
    public static IReadOnlyList<ParameterDefinition> All { get; } =
    [
        new ListParameter(ParameterId.Bypass, "Bypass", "Bypass", ["Off", "On"], 0, ParameterFlags.CanAutomate | ParameterFlags.IsBypass),
        new ListParameter(ParameterId.Mode, "Mode", "Mode", Modes, 0, ParameterFlags.CanAutomate | ParameterFlags.IsList),
        new RangeParameter(ParameterId.Strength, "Strength", "Strength", "", 0, 1, 0.5, 2),
        new RangeParameter(ParameterId.CoverScale, "Cover Scale", "Cover", "", 0, 1, 1, 2),
        new RangeParameter(ParameterId.Steps, "Steps", "Steps", "steps", 1, 100, DefaultSteps, 0),
        new RangeParameter(ParameterId.Seed, "Seed", "Seed", "", 0, int.MaxValue, 0, 0, zeroLabel: "Random"),
        new ListParameter(ParameterId.Key, "Key", "Key", [AutoKey, .. KeyScales.NormalForms], 0, ParameterFlags.CanAutomate | ParameterFlags.IsList, CanonicalKey),
        new RangeParameter(ParameterId.StartBar, "Start Bar", "Start", "", 1, 999, 1, 0),
        new RangeParameter(ParameterId.LengthBars, "Length", "Length", "bars", 1, 128, 4, 0),
        new ListParameter(ParameterId.Listen, "Listen", "Listen", ListenItems, 1, ParameterFlags.CanAutomate | ParameterFlags.IsList),
        // Triggers, not settings: a momentary switch. Off → On in process() is one press, and the processor puts it
        // back to Off at once (and tells the host through the block's output changes), so the project saves Off; an
        // On restored from an older project arrives while triggers are held and starts nothing. Automatable
        // although automating them makes little sense: Ardour 7 shows no VST3 parameter without kCanAutomate, and a
        // trigger nobody can see is no trigger.
        new ListParameter(ParameterId.Generate, "Generate", "Generate", TriggerItems, 0, ParameterFlags.CanAutomate | ParameterFlags.IsList),
        new ListParameter(ParameterId.OpenPage, "Open Control Page", "Page", TriggerItems, 0, ParameterFlags.CanAutomate | ParameterFlags.IsList),
        new ListParameter(ParameterId.Model, "Model", "Model", ModelItems, 0, ParameterFlags.CanAutomate | ParameterFlags.IsList),
        new ListParameter(ParameterId.Track, "Track", "Track", TrackItems, DefaultTrack, ParameterFlags.CanAutomate | ParameterFlags.IsList, CanonicalTrack),
    ];

    public static int Count => All.Count;

    /// <summary>Whether <paramref name="id"/> is a momentary trigger (Generate, Open Control Page), not a setting.</summary>
    public static bool IsTrigger(ParameterId id) => id is ParameterId.Generate or ParameterId.OpenPage;

    /// <summary>Sets every trigger in a normalized value array to Off (what a state saves and restores).</summary>
    public static void ResetTriggers(Span<double> normalized)
    {
        normalized[(int)ParameterId.Generate] = 0;
        normalized[(int)ParameterId.OpenPage] = 0;
    }

    /// <summary>The definition of <paramref name="id"/>, or null for an ID the plugin does not have. Allocation-free.</summary>
    public static ParameterDefinition? Find(uint id) => id < (uint)All.Count ? All[(int)id] : null;

    /// <summary>"backing_vocals" → "Backing Vocals": the engine's name as a host shows it.</summary>
    public static string TrackLabel(string stem) =>
        string.Join(' ', stem.Split('_').Select(w => w.Length == 0 ? w : char.ToUpperInvariant(w[0]) + w[1..]));

    // Host text back to an item: the label, or the engine's own spelling ("backing_vocals").
    private static string? CanonicalTrack(string text) =>
        StemTracks.Normalize(text.Replace(' ', '_')) is { } stem ? TrackLabel(stem) : null;

    private static string? CanonicalKey(string text) => KeyScales.TryNormalize(text, out string? normal) ? normal : null;
}
