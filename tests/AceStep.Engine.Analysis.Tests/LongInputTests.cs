namespace AceStep.Engine.Analysis.Tests;

/// <summary>Ten minutes of music, the engine's longest input (speed is measured in docs/analysis.md, not asserted here).</summary>
public sealed class LongInputTests
{
    [Fact]
    public void Ten_minutes_of_music_are_still_read_right()
    {
        // 30 s of C major at 120 BPM (chords on the bar), tiled to 600 s: cheap to make, as long as the longest input.
        var clip = Synth.Mix(Synth.Cadence(0, false, 32, chordSeconds: 2), Synth.Drums(120, 32));
        var song = new float[Synth.Rate * 600];
        for (var i = 0; i < song.Length; i += clip.Length)
        {
            clip.AsSpan(0, Math.Min(clip.Length, song.Length - i)).CopyTo(song.AsSpan(i));
        }
        var audio = Synth.Stereo(song);

        var analysis = AudioAnalyzer.Analyze(audio);

        Assert.Equal("C major", analysis.Key.Key?.Name);
        Assert.InRange(analysis.Tempo.Bpm!.Value, 119, 121);
    }
}
