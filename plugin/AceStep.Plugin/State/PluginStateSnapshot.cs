using AceStep.Contracts.Sessions;
using AceStep.Plugin.Parameters;

namespace AceStep.Plugin.State;

/// <summary>Everything the plugin saves: the parameter values, the texts the user typed, and (from version 3) the
/// instance's identity, the settings no parameter holds and its takes.</summary>
/// <param name="Normalized">One normalized value per parameter, indexed by <see cref="ParameterId"/>.</param>
/// <param name="Prompt">The style prompt (engine <c>positivePrompt</c>).</param>
/// <param name="Lyrics">The lyrics.</param>
internal sealed record PluginStateSnapshot(double[] Normalized, string Prompt, string Lyrics)
{
    /// <summary>The instance's id (its control page address); <see cref="Guid.Empty"/> in a state older than version 3,
    /// which means "keep the id the instance has".</summary>
    public Guid InstanceId { get; init; }

    /// <summary>Vocal language code (no parameter holds it).</summary>
    public string Language { get; init; } = "en";

    /// <summary>A BPM that replaces the host's tempo for the engine, or null for the host's.</summary>
    public double? Bpm { get; init; }

    /// <summary>The takes, oldest first.</summary>
    public IReadOnlyList<SavedTake> Takes { get; init; } = [];

    /// <summary>The id of the take that plays, or null.</summary>
    public string? ActiveTakeId { get; init; }

    /// <summary>The stems a complete take adds (version 4; empty = the model chooses).</summary>
    public IReadOnlyList<string> TrackClasses { get; init; } = [];

    /// <summary>A fresh instance's state: every parameter at its default, no texts, no takes.</summary>
    public static PluginStateSnapshot Default() =>
        new([.. PluginParameters.All.Select(p => p.DefaultNormalized)], "", "");
}

/// <summary>A take as the project remembers it: where its audio file is and what it was made with.</summary>
/// <param name="Id">The plugin's id for it (commands and the control page use it).</param>
/// <param name="File">Full path of the WAV file.</param>
/// <param name="Position">Project sample of its first frame.</param>
/// <param name="SampleRate">The rate it was rendered at.</param>
/// <param name="Channels">1 or 2.</param>
/// <param name="Frames">Length in frames.</param>
/// <param name="Seed">The seed the engine used.</param>
/// <param name="Settings">What it was made with.</param>
internal sealed record SavedTake(string Id, string File, long Position, double SampleRate, int Channels, long Frames, long Seed, SessionSettings Settings);
