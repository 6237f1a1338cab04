namespace AceStep.Engine.Analysis;

/// <summary>Major or minor.</summary>
public enum KeyMode
{
    /// <summary>A major key.</summary>
    Major,

    /// <summary>A (natural/harmonic) minor key.</summary>
    Minor,
}

/// <summary>One of the 24 keys: a tonic pitch class (0 = C … 11 = B) and a mode.</summary>
/// <param name="Tonic">Pitch class of the tonic, 0 = C, 1 = C♯/D♭, … 11 = B.</param>
/// <param name="Mode">Major or minor.</param>
public readonly record struct MusicalKey(int Tonic, KeyMode Mode)
{
    // One spelling per pitch class and mode, the one with the fewest accidentals in the key signature; the two ties
    // (6 sharps or 6 flats) take F# major and Eb minor. Every name is a normal form of the task API's keyScale
    // (checked by a test against AceStep.Contracts' KeyScales), so a client can send it back unchanged.
    private static readonly string[] s_major = ["C", "Db", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"];
    private static readonly string[] s_minor = ["C", "C#", "D", "Eb", "E", "F", "F#", "G", "G#", "A", "Bb", "B"];

    /// <summary>The key's name as the task API spells it, e.g. <c>"F# major"</c>, <c>"Eb minor"</c>.</summary>
    public string Name
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(Tonic);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(Tonic, 11);
            return Mode == KeyMode.Major ? s_major[Tonic] + " major" : s_minor[Tonic] + " minor";
        }
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}

/// <summary>The estimated key of a piece.</summary>
/// <param name="Key">The best key, or null when the audio has too little tonal content to name one.</param>
/// <param name="Confidence">
/// The margin between the best and the second-best key's correlation with its profile, 0 to 1. Near 0 the two are
/// tied (often the relative major/minor); above about 0.1 the key is clear. 0 when <paramref name="Key"/> is null.
/// </param>
/// <param name="Correlation">The best key's Pearson correlation with its profile, -1 to 1 (0 when none).</param>
public sealed record KeyEstimate(MusicalKey? Key, double Confidence, double Correlation);

/// <summary>The estimated tempo of a piece.</summary>
/// <param name="Bpm">Beats per minute (resolution 0.1), or null when the audio has no steady pulse.</param>
/// <param name="Confidence">
/// How periodic the onset envelope is at the chosen beat period: the weighted mean autocorrelation coefficient at
/// its multiples, 0 (no pulse, e.g. noise) to 1 (a metronome).
/// </param>
public sealed record TempoEstimate(double? Bpm, double Confidence);

/// <summary>What <see cref="AudioAnalyzer"/> found in one piece of audio.</summary>
/// <param name="Key">The key estimate.</param>
/// <param name="Tempo">The tempo estimate.</param>
/// <param name="Duration">The analysed audio's length in seconds.</param>
public sealed record AudioAnalysis(KeyEstimate Key, TempoEstimate Tempo, double Duration);
