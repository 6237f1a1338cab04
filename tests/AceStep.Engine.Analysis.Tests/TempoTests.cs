namespace AceStep.Engine.Analysis.Tests;

/// <summary>
/// The tempo a drummer would count. The reported tempo is the beat level; the documented octave behaviour (a pulse is
/// never halved or doubled when the audio settles it; the prior around 120 BPM decides only true ties) is what these
/// patterns check.
/// </summary>
public sealed class TempoTests
{
    [Theory]
    [InlineData(70)]
    [InlineData(90)]
    [InlineData(120)]
    [InlineData(128)]
    [InlineData(150)]
    [InlineData(174)]
    public void A_metronome_reads_its_tempo(double bpm)
    {
        var tempo = AudioAnalyzer.Analyze(Synth.Stereo(Synth.Clicks(bpm, 20))).Tempo;
        Assert.NotNull(tempo.Bpm);
        Assert.InRange(tempo.Bpm.Value, bpm - 1, bpm + 1);
        Assert.True(tempo.Confidence > 0.5, $"confidence {tempo.Confidence:0.00}");
    }

    [Theory]
    [InlineData(70, 0.0)]
    [InlineData(90, 0.0)]
    [InlineData(120, 0.0)]
    [InlineData(128, 0.0)]
    [InlineData(150, 0.0)]
    [InlineData(174, 0.0)]
    [InlineData(90, 1 / 3.0)]
    [InlineData(120, 1 / 3.0)]
    [InlineData(150, 0.2)]
    public void An_accented_drum_pattern_with_or_without_swing_reads_its_tempo(double bpm, double swing)
    {
        // Kick on 1 and 3, snare on 2 and 4, hi-hats on the eighths, the bar's first beat accented.
        var tempo = AudioAnalyzer.Analyze(Synth.Stereo(Synth.Drums(bpm, 20, swing))).Tempo;
        Assert.NotNull(tempo.Bpm);
        Assert.InRange(tempo.Bpm.Value, bpm - 1, bpm + 1);
    }

    [Fact]
    public void A_waltz_click_reads_the_beat_not_the_bar()
    {
        var tempo = AudioAnalyzer.Analyze(Synth.Stereo(Synth.Clicks(105, 20, beatsPerBar: 3))).Tempo;
        Assert.InRange(tempo.Bpm!.Value, 104, 106);
    }
}
