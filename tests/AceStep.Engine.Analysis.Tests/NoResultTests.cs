namespace AceStep.Engine.Analysis.Tests;

/// <summary>Audio with no key or no pulse gets "none found", never a confident wrong answer.</summary>
public sealed class NoResultTests
{
    [Fact]
    public void Silence_has_no_key_and_no_tempo()
    {
        var analysis = AudioAnalyzer.Analyze(Synth.Stereo(new float[Synth.Rate * 8]));
        Assert.Null(analysis.Key.Key);
        Assert.Null(analysis.Tempo.Bpm);
        Assert.Equal(0, analysis.Key.Confidence);
        Assert.Equal(0, analysis.Tempo.Confidence);
        Assert.Equal(8, analysis.Duration, 3);
    }

    [Fact]
    public void White_noise_has_no_key_and_no_tempo()
    {
        var analysis = AudioAnalyzer.Analyze(Synth.Stereo(Synth.Noise(15, 0.3)));
        Assert.Null(analysis.Key.Key);
        Assert.Null(analysis.Tempo.Bpm);
        Assert.True(analysis.Tempo.Confidence < 0.1, $"tempo confidence {analysis.Tempo.Confidence:0.00}");
    }

    [Fact]
    public void A_sustained_chord_has_a_key_but_no_tempo()
    {
        // One chord held for 10 s: no attacks to count.
        var analysis = AudioAnalyzer.Analyze(Synth.Stereo(Synth.Cadence(0, false, 10, chordSeconds: 10)));
        Assert.Null(analysis.Tempo.Bpm);
    }

    [Fact]
    public void Drums_alone_name_no_key_or_only_with_low_confidence()
    {
        foreach (var bpm in new[] { 90.0, 128, 174 })
        {
            var key = AudioAnalyzer.Analyze(Synth.Stereo(Synth.Drums(bpm, 15))).Key;
            Assert.True(key.Key is null || key.Confidence < 0.1, $"{bpm} BPM drums: {key}");
        }
    }

    [Fact]
    public void Audio_too_short_to_judge_is_a_typed_error()
    {
        var error = Assert.Throws<AudioTooShortException>(() => AudioAnalyzer.Analyze(Synth.Stereo(Synth.Clicks(120, 2.5))));
        Assert.Equal(2.5, error.Seconds, 3);
        Assert.Contains("at least 3 s", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cancellation_stops_an_analysis()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => AudioAnalyzer.Analyze(Synth.Stereo(Synth.Clicks(120, 5)), cancelled.Token));
    }
}
