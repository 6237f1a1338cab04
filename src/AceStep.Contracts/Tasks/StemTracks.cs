namespace AceStep.Contracts.Tasks;

/// <summary>
/// The stems the ACE-Step v1.5 base model was trained to generate (lego), isolate (extract) and add (complete), as
/// <c>settings.trackName</c> and <c>settings.trackClasses</c> name them. These are model inputs: the prompt carries the
/// name upper-cased, so the list must be upstream's, word for word — <c>TRACK_NAMES</c> in upstream's
/// <c>acestep/constants.py</c> (ace-step/ACE-Step-1.5; the same at f30aee4 and at the 2026-05 HEAD). The one list in
/// this repository: the validator and the prompt builder (<c>TaskInstruction</c>) both read it.
/// </summary>
public static class StemTracks
{
    /// <summary>The track names, lower case, in upstream's order.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        "woodwinds", "brass", "fx", "synth", "strings", "percussion",
        "keyboard", "guitar", "bass", "drums", "backing_vocals", "vocals",
    ];

    /// <summary>The list's spelling of <paramref name="name"/> (letter case and surrounding spaces ignored), or null.</summary>
    public static string? Normalize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var trimmed = name.Trim();
        return All.FirstOrDefault(t => string.Equals(t, trimmed, StringComparison.OrdinalIgnoreCase));
    }
}
