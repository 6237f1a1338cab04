using AceStep.Engine.Generation;
using AceStep.Engine.Pipelines.Audio;

namespace AceStep.Engine.Pipelines.Tests;

public class AudioFinishingTests
{
    private static float[] Ramp(int frames, float scale) => Enumerable.Range(0, frames * 2).Select(i => scale * MathF.Sin(i * 0.37f)).ToArray();

    [Fact]
    public void Outside_the_span_the_splice_is_the_source_bit_for_bit()
    {
        var source = Ramp(1000, 0.5f);
        var generated = Ramp(1000, 0.9f).Select(x => x + 0.1f).ToArray();
        var result = RepaintSplice.Splice(source, generated, 2, spanStart: 300, spanEnd: 700, crossfadeFrames: 50);
        Assert.True(result.AsSpan(0, 600).SequenceEqual(source.AsSpan(0, 600)));
        Assert.True(result.AsSpan(1400).SequenceEqual(source.AsSpan(1400)));
        Assert.True(result.AsSpan(2 * 350, 2 * 300).SequenceEqual(generated.AsSpan(2 * 350, 2 * 300)), "The span's middle is the new audio.");
        // The fade stays inside the span and moves monotonically from source to generated.
        var weights = Enumerable.Range(300, 50).Select(f => (result[2 * f] - source[2 * f]) / (generated[2 * f] - source[2 * f])).ToArray();
        Assert.All(weights, w => Assert.InRange(w, 0f, 1f));
        Assert.True(weights.Zip(weights.Skip(1)).All(p => p.Second > p.First));
    }

    [Fact]
    public void A_span_at_the_very_start_or_end_has_no_fade_on_that_side()
    {
        var source = Ramp(100, 0.5f);
        var generated = Ramp(100, 0.2f);
        var result = RepaintSplice.Splice(source, generated, 2, spanStart: 0, spanEnd: 100, crossfadeFrames: 10);
        Assert.True(result.AsSpan().SequenceEqual(generated), "An extension has no source to fade from.");
    }

    [Fact]
    public void A_crossfade_longer_than_half_the_span_is_shortened()
    {
        var source = new float[200];
        var generated = Enumerable.Repeat(1f, 200).ToArray();
        var result = RepaintSplice.Splice(source, generated, 2, spanStart: 40, spanEnd: 60, crossfadeFrames: 100);
        // Two 10-frame fades meet in the middle of the 20-frame span, symmetric, never past the span.
        Assert.Equal(10f / 11f, result[2 * 49], 6);
        Assert.Equal(10f / 11f, result[2 * 50], 6);
        Assert.Equal(1f / 11f, result[2 * 40], 6);
        Assert.Equal(0f, result[2 * 39]);
        Assert.Equal(0f, result[2 * 60]);
    }

    [Fact]
    public void Splicing_mismatched_lengths_or_a_span_outside_the_audio_is_refused()
    {
        // Inputs tried: 10 vs 12 samples; a span 5–20 on 5 frames.
        Assert.Throws<ArgumentException>(() => RepaintSplice.Splice(new float[10], new float[12], 2, 0, 5, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => RepaintSplice.Splice(new float[10], new float[10], 2, 5, 20, 1));
    }

    [Fact]
    public void New_audio_is_peak_normalised_to_minus_one_dbfs_and_silence_is_left_alone()
    {
        var loud = Ramp(500, 3f);
        OutputLevel.AntiClip(loud);
        Assert.Equal(1f, OutputLevel.Peak(loud), 5);
        OutputLevel.Normalize(loud);
        Assert.Equal(-1.0, 20 * Math.Log10(OutputLevel.Peak(loud)), 4);
        var silence = new float[100];
        OutputLevel.Normalize(silence);
        Assert.All(silence, s => Assert.Equal(0f, s));
        var quiet = Ramp(10, 0.5f);
        var before = quiet.ToArray();
        OutputLevel.AntiClip(quiet);
        Assert.Equal(before, quiet);
    }
}
