using AceStep.Contracts.Tasks;

namespace AceStep.Engine.Text.Prompts;

/// <summary>
/// The instruction line that selects the DiT's task in the caption prompt (spec §9.1 item 2): upstream's
/// <c>TASK_INSTRUCTIONS</c> in <c>acestep/constants.py</c>, filled as its <c>generate_instruction</c>
/// (<c>acestep/core/generation/handler/task_utils.py</c>) fills them: the track name upper-cased, complete's classes
/// upper-cased and joined by <c>" | "</c>. The model was trained on exactly these sentences, so they must match
/// character for character.
/// </summary>
public static class TaskInstruction
{
    /// <summary>text2music without LM codes.</summary>
    public const string Text2Music = "Fill the audio semantic mask based on the given conditions:";

    /// <summary>repaint (inpaint, outpaint, extend).</summary>
    public const string Repaint = "Repaint the mask area based on the given conditions:";

    /// <summary>cover, cover-nofsq, and text2music driven by LM audio codes.</summary>
    public const string Cover = "Generate audio semantic tokens based on the given conditions:";

    /// <summary>The stems the base model knows, in the reference's order (lower case, as they are named):
    /// <see cref="StemTracks.All"/>.</summary>
    public static IReadOnlyList<string> TrackNames => StemTracks.All;

    /// <summary>extract (base model): isolate one stem; no track = "Extract the track from the audio:".</summary>
    /// <exception cref="ArgumentException"><paramref name="trackName"/> is not one of <see cref="TrackNames"/>.</exception>
    public static string Extract(string? trackName = null) =>
        trackName is null
            ? "Extract the track from the audio:"
            : $"Extract the {TrackLabel(trackName, nameof(trackName))} track from the audio:";

    /// <summary>lego (base model): generate one stem over the context; no track = "Generate the track based on the audio context:".</summary>
    /// <exception cref="ArgumentException"><paramref name="trackName"/> is not one of <see cref="TrackNames"/>.</exception>
    public static string Lego(string? trackName = null) =>
        trackName is null
            ? "Generate the track based on the audio context:"
            : $"Generate the {TrackLabel(trackName, nameof(trackName))} track based on the audio context:";

    /// <summary>
    /// complete (base model): add accompaniment; classes upper-cased and joined by <c>" | "</c>; none =
    /// "Complete the input track:".
    /// </summary>
    /// <exception cref="ArgumentException">A class is not one of <see cref="TrackNames"/>.</exception>
    public static string Complete(IReadOnlyList<string>? trackClasses = null) =>
        trackClasses is null || trackClasses.Count == 0
            ? "Complete the input track:"
            : $"Complete the input track with {string.Join(" | ", trackClasses.Select(c => TrackLabel(c, nameof(trackClasses))))}:";

    /// <summary>
    /// The instruction as the prompt writes it: forced to end with <c>:</c> (the reference appends one when missing).
    /// </summary>
    public static string Format(string instruction)
    {
        ArgumentNullException.ThrowIfNull(instruction);
        return instruction.EndsWith(':') ? instruction : instruction + ":";
    }

    private static string TrackLabel(string trackName, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(trackName, parameterName);
        var known = TrackNames.FirstOrDefault(t => string.Equals(t, trackName, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"Unknown track \"{trackName}\"; expected one of: {string.Join(", ", TrackNames)}.", parameterName);
        return known.ToUpperInvariant();
    }
}
