using System.Globalization;

namespace AceStep.Ardour.Tests;

/// <summary>
/// One producer set-up for the loop workflow: a session rate, tempo and meter, and the loop range (in samples, where
/// Ardour's loop markers sit) over the bars to repaint.
/// </summary>
/// <param name="Name">Short name (folders, messages).</param>
/// <param name="Rate">Session sample rate.</param>
/// <param name="Bpm">Tempo (quarter notes per minute).</param>
/// <param name="Numerator">Meter numerator.</param>
/// <param name="Denominator">Meter denominator.</param>
/// <param name="LoopStart">First sample of the loop.</param>
/// <param name="LoopEnd">End of the loop (exclusive).</param>
/// <param name="Mode">The page's mode when Generate is pressed ("repaint", or "lego" for Add a Part).</param>
/// <param name="Part">The stem Add a Part plays (lego only).</param>
/// <param name="Sidechain">
/// AceStep sits on an empty track ("Parts") and hears the recorded track through its Sidechain bus (Ardour's
/// sidechain input of the insert, fed from the recorded track's outputs), instead of sitting on the recorded track.
/// </param>
/// <param name="LoopFades">
/// Ardour's loop fades as it ships them (Loop Fades: crossfade the loop's end with the audio before its start); false
/// sets them to "no fades" before the loop is played, so the plugin hears the timeline's audio unaltered.
/// </param>
public sealed record LoopScenario(string Name, int Rate, double Bpm, int Numerator, int Denominator, long LoopStart, long LoopEnd,
    string Mode = "repaint", string? Part = null, bool Sidechain = false, bool LoopFades = true)
{
    /// <summary>Bars 3–4 at 100 BPM in 3/4, 48 kHz: 172 800–345 600 (the first report).</summary>
    public static LoopScenario Waltz48k { get; } = Bars("100bpm-3-4-48k", 48_000, 100, 3, 4, 3, 2);

    /// <summary>Bars 3–4 at 120 BPM in 4/4, 48 kHz: 192 000–384 000.</summary>
    public static LoopScenario Common48k { get; } = Bars("120bpm-4-4-48k", 48_000, 120, 4, 4, 3, 2);

    /// <summary>A loop whose edges are on no grid (not bars, not blocks, not multiples of 64): 100 003–203 331.</summary>
    public static LoopScenario OffGrid48k { get; } = new("off-grid-48k", 48_000, 120, 4, 4, 100_003, 203_331);

    /// <summary>Bars 3–4 at 100 BPM in 3/4, 44.1 kHz: 158 760–317 520.</summary>
    public static LoopScenario Waltz44k { get; } = Bars("100bpm-3-4-44k1", 44_100, 100, 3, 4, 3, 2);

    /// <summary>The off-grid loop with Add a Part (lego, drums) pressed on the page instead of a repaint, loop fades off.</summary>
    public static LoopScenario OffGridLego48k { get; } = OffGrid48k with { Name = "off-grid-lego-48k", Mode = "lego", Part = "drums", LoopFades = false };

    /// <summary>
    /// The producer's "add a part" set-up: AceStep on an empty track with the recorded track routed to its sidechain,
    /// Add a Part (lego, drums) over the off-grid loop; the take plays on the empty track.
    /// </summary>
    public static LoopScenario SidechainLego48k { get; } = OffGridLego48k with { Name = "sidechain-lego-48k", Sidechain = true, LoopFades = true };

    /// <summary>Extract a Stem (vocals) over bars 3–4 at 120 BPM: the range replaced by the stem the engine returns.</summary>
    public static LoopScenario Extract48k { get; } = Common48k with { Name = "extract-120bpm-48k", Mode = "extract", Part = "vocals" };

    /// <summary>Complete over the 3/4 bars at 44.1 kHz: the range replaced by the completed arrangement.</summary>
    public static LoopScenario Complete44k { get; } = Waltz44k with { Name = "complete-100bpm-44k1", Mode = "complete" };

    /// <summary>Every scenario of the suite.</summary>
    public static IReadOnlyList<LoopScenario> All { get; } =
        [Waltz48k, Common48k, OffGrid48k, Waltz44k, OffGridLego48k, SidechainLego48k, Extract48k, Complete44k];

    /// <summary>
    /// The most frames at the loop's end that Ardour's loop crossfade may alter in what the plugin hears while looping
    /// (50 ms; Ardour 7.3 crossfades 1 501 frames at 48 kHz).
    /// </summary>
    public long LoopFadeAllowance => LoopFades ? Rate / 20 : 0;

    /// <summary>The track AceStep is on.</summary>
    public string PluginTrack => Sidechain ? "Parts" : "Track";

    /// <summary>Loop length in samples.</summary>
    public long LoopLength => LoopEnd - LoopStart;

    /// <summary>Seconds of transport time to record: past the loop's end, so the loop lies inside the recorded region.</summary>
    public double RecordSeconds => (LoopEnd / (double)Rate) + 1.5;

    /// <summary>Loop passes to play (the first wrap lets the plugin observe the loop's edges); the script plays a bit more.</summary>
    public int LoopPasses => 2;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name} (loop {LoopStart}–{LoopEnd})");

    private static LoopScenario Bars(string name, int rate, double bpm, int numerator, int denominator, int firstBar, int bars)
    {
        double samplesPerBar = numerator * 4.0 / denominator * 60.0 / bpm * rate;
        long start = (long)Math.Round((firstBar - 1) * samplesPerBar);
        return new(name, rate, bpm, numerator, denominator, start, start + (long)Math.Round(bars * samplesPerBar));
    }
}
