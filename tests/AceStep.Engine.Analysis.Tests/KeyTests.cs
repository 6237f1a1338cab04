using AceStep.Audio;
using AceStep.Contracts.Tasks;

namespace AceStep.Engine.Analysis.Tests;

/// <summary>The key a musician would name for chord progressions in a known key.</summary>
public sealed class KeyTests
{
    [Theory]
    [InlineData(0, false, "C major")]
    [InlineData(9, true, "A minor")]
    [InlineData(6, false, "F# major")]
    [InlineData(3, true, "Eb minor")]
    [InlineData(10, false, "Bb major")]
    [InlineData(8, true, "G# minor")]
    [InlineData(2, true, "D minor")]
    [InlineData(4, false, "E major")]
    [InlineData(8, false, "Ab major")]
    [InlineData(1, true, "C# minor")]
    [InlineData(11, false, "B major")]
    [InlineData(5, true, "F minor")]
    public void A_cadence_in_a_key_is_named_with_that_key(int tonic, bool minor, string expected)
    {
        var analysis = AudioAnalyzer.Analyze(Synth.Stereo(Synth.Cadence(tonic, minor, 12)));
        Assert.Equal(expected, analysis.Key.Key?.Name);
        // Clear over the runner-up (the relative or parallel key), not a coin toss.
        Assert.True(analysis.Key.Confidence > 0.1, $"confidence {analysis.Key.Confidence:0.000}");
    }

    [Theory]
    [InlineData(-40)]
    [InlineData(35)]
    public void A_detuned_recording_still_gets_its_key(double cents)
    {
        // A band tuned to A = 430 Hz or A = 449 Hz: every note is off the equal-tempered grid by the same amount.
        var analysis = AudioAnalyzer.Analyze(Synth.Stereo(Synth.Cadence(7, false, 12, tuningCents: cents)));
        Assert.Equal("G major", analysis.Key.Key?.Name);
    }

    [Fact]
    public void Drums_under_a_progression_do_not_change_the_key()
    {
        var music = Synth.Mix(Synth.Cadence(9, true, 16, chordSeconds: 2), Synth.Drums(120, 16));
        Assert.Equal("A minor", AudioAnalyzer.Analyze(Synth.Stereo(music)).Key.Key?.Name);
    }

    [Fact]
    public void Every_key_name_is_a_keyScale_the_task_api_takes_unchanged()
    {
        foreach (var mode in Enum.GetValues<KeyMode>())
        {
            for (var tonic = 0; tonic < 12; tonic++)
            {
                var name = new MusicalKey(tonic, mode).Name;
                Assert.True(KeyScales.TryNormalize(name, out var normal), name);
                Assert.Equal(name, normal);
                Assert.Contains(name, KeyScales.NormalForms);
            }
        }
    }

    [Fact]
    public void Mono_audio_at_another_rate_is_analysed_too()
    {
        // 44.1 kHz mono, as a file might arrive before the engine resamples it.
        var source = Synth.Cadence(2, false, 10);
        var mono = new float[(int)(source.Length * 44_100L / Synth.Rate)];
        for (var j = 0; j < mono.Length; j++)
        {
            // Linear interpolation is plenty for a test signal under 2 kHz.
            var x = j * (double)Synth.Rate / 44_100;
            var i = Math.Min((int)x, source.Length - 2);
            mono[j] = (float)(source[i] + (x - i) * (source[i + 1] - source[i]));
        }
        var analysis = AudioAnalyzer.Analyze(new AudioBuffer(mono, 44_100, 1));
        Assert.Equal("D major", analysis.Key.Key?.Name);
    }
}
