using AceStep.Contracts.Sessions;
using AceStep.Contracts.Tasks;
using AceStep.Plugin.EngineLink;
using AceStep.Plugin.Parameters;

namespace AceStep.Plugin.Session;

/// <summary>The texts and values no parameter holds (saved in the state from version 3), swapped whole between threads.</summary>
/// <param name="Prompt">The caption.</param>
/// <param name="Lyrics">The lyrics (empty = instrumental).</param>
/// <param name="Language">Vocal language code.</param>
/// <param name="Bpm">A BPM replacing the host's tempo for the engine, or null.</param>
internal sealed record TextSettings(string Prompt, string Lyrics, string Language, double? Bpm)
{
    /// <summary>The stems a complete take adds (state version 4); empty lets the model choose.</summary>
    public IReadOnlyList<string> TrackClasses { get; init; } = [];

    public static TextSettings Default { get; } = new("", "", "en", null);
}

/// <summary>Between the parameters (plain values) plus <see cref="TextSettings"/>, and the page's <see cref="SessionSettings"/>.</summary>
internal static class SettingsMapping
{
    // The page's names of the Mode parameter's items, in plain-value order (PluginParameters.Modes).
    private static readonly string[] s_modes = ["repaint", "cover", "generate", "lego", "extract", "complete"];

    /// <summary>The settings the parameters and texts describe now.</summary>
    public static SessionSettings From(Func<ParameterId, double> plain, TextSettings texts)
    {
        int key = (int)plain(ParameterId.Key);
        return new SessionSettings
        {
            Mode = s_modes[Math.Clamp((int)plain(ParameterId.Mode), 0, s_modes.Length - 1)],
            TrackName = StemTracks.All[Math.Clamp((int)plain(ParameterId.Track), 0, StemTracks.All.Count - 1)],
            TrackClasses = texts.TrackClasses,
            Prompt = texts.Prompt,
            Lyrics = texts.Lyrics,
            KeyScale = key <= 0 ? "auto" : KeyScales.NormalForms[key - 1],
            Bpm = texts.Bpm,
            Strength = plain(ParameterId.Strength),
            CoverScale = plain(ParameterId.CoverScale),
            Steps = (int)plain(ParameterId.Steps),
            Seed = (long)plain(ParameterId.Seed),
            Language = texts.Language,
            Model = plain(ParameterId.Model) >= 1 ? "turbo" : "base",
        };
    }

    /// <summary>The parameter values (plain) of page settings; values out of range are clamped, an unknown key is Auto.</summary>
    public static IEnumerable<(ParameterId Id, double Plain)> Parameters(SessionSettings settings)
    {
        int mode = Array.IndexOf(s_modes, settings.Mode.Trim().ToLowerInvariant());
        if (mode >= 0)
            yield return (ParameterId.Mode, mode);
        yield return (ParameterId.Strength, Math.Clamp(settings.Strength, 0, 1));
        yield return (ParameterId.CoverScale, Math.Clamp(settings.CoverScale, 0, 1));
        yield return (ParameterId.Steps, Math.Clamp(settings.Steps, 1, 100));
        yield return (ParameterId.Seed, Math.Clamp(settings.Seed, 0, int.MaxValue));
        yield return (ParameterId.Key, KeyIndex(settings.KeyScale));
        yield return (ParameterId.Model, IsTurbo(settings) ? 1 : 0);
        // The engine validated the page's command; an unknown name (only a bug could send one) leaves the track as it is.
        if (settings.TrackName is { } track && StemTracks.Normalize(track) is { } stem)
            yield return (ParameterId.Track, StemTracks.All.ToList().IndexOf(stem));
    }

    /// <summary>The texts of page settings.</summary>
    public static TextSettings Texts(SessionSettings settings) =>
        new(settings.Prompt ?? "", settings.Lyrics ?? "", string.IsNullOrWhiteSpace(settings.Language) ? "en" : settings.Language,
            settings.Bpm is > 0 and <= 1000 ? settings.Bpm : null)
        {
            TrackClasses = [.. (settings.TrackClasses ?? []).Select(StemTracks.Normalize).OfType<string>().Distinct()],
        };

    /// <summary>Whether the settings ask for the turbo model.</summary>
    public static bool IsTurbo(SessionSettings settings) => string.Equals(settings.Model?.Trim(), "turbo", StringComparison.OrdinalIgnoreCase);

    /// <summary>The engine's take mode.</summary>
    public static TakeMode Mode(SessionSettings settings) => settings.Mode switch
    {
        "cover" => TakeMode.Cover,
        "generate" => TakeMode.Generate,
        "lego" => TakeMode.Lego,
        "extract" => TakeMode.Extract,
        "complete" => TakeMode.Complete,
        _ => TakeMode.Repaint,
    };

    private static int KeyIndex(string? key)
    {
        if (key is null || key.Trim().Equals("auto", StringComparison.OrdinalIgnoreCase) || !KeyScales.TryNormalize(key, out var normal))
            return 0;
        int index = KeyScales.NormalForms.ToList().IndexOf(normal!);
        return index < 0 ? 0 : index + 1;
    }
}
