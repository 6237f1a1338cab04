using AceStep.Audio;
using AceStep.Contracts.Tasks;
using AceStep.Engine.Generation;
using AceStep.Engine.Pipelines.Planning;

namespace AceStep.Engine.Pipelines.Tests;

/// <summary>
/// The diagnostic tone (<c>--diagnostic-tone</c>) answers a request's shape as the model does (issue 17), so the plugin,
/// the CLI and the API can be checked end to end without weights.
/// </summary>
public sealed class ToneGeneratorTests
{
    private const int Rate = 48_000;

    /// <summary>Deterministic noise, 48 kHz stereo: every sample differs from a tone.</summary>
    private static AudioBuffer Noise(double seconds, int seed = 7)
    {
        var random = new Random(seed);
        var samples = new float[(int)Math.Round(seconds * Rate) * 2];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = (float)(random.NextDouble() - 0.5) * 0.5f;
        }
        return new AudioBuffer(samples, Rate, 2);
    }

    private static AudioBuffer Run(AudioInferenceRequest request, AudioBuffer? source, uint seed = 5) =>
        ToneGenerator.Result(new GenerationJob(request, [seed], source), seed);

    [Theory]
    [InlineData(2.0, 4.0)]     // inside the source
    [InlineData(0.0, 1.5)]     // from the very start: no fade at the left edge
    [InlineData(4.5, 6.0)]     // to the very end
    public void A_repaint_keeps_the_source_outside_the_span_bit_for_bit_and_puts_the_tone_inside(double start, double end)
    {
        var source = Noise(6);
        var request = PlannerTests.Request(JobKind.Repaint, start: start, end: end);
        var result = Run(request, source);
        var plan = JobPlanner.Plan(request, source.Frames);

        Assert.Equal(plan.OutputSamples, result.Frames);
        Assert.Equal(source.Frames, result.Frames);
        for (var f = 0; f < result.Frames; f++)
        {
            if (f < plan.SpanStartSample || f >= plan.SpanEndSample)
            {
                Assert.True(source.Samples[2 * f] == result.Samples[2 * f] && source.Samples[2 * f + 1] == result.Samples[2 * f + 1],
                    $"frame {f} outside the span {plan.SpanStartSample}–{plan.SpanEndSample} changed");
            }
        }
        // Past the crossfade the span is the tone itself.
        var middle = (plan.SpanStartSample + plan.SpanEndSample) / 2;
        var expected = ToneGenerator.Level * (float)Math.Sin(2 * Math.PI * ToneGenerator.Pitch(5) * middle / Rate);
        Assert.Equal(expected, result.Samples[2 * middle], 6);
    }

    [Fact]
    public void A_repaint_uses_the_models_splice_sample_for_sample()
    {
        // Input: a 2.5–4.1 s span at strength 0.8 over an odd-length source, as the pipeline tests use.
        var source = Noise(336_013 / (double)Rate);
        var request = PlannerTests.Request(JobKind.Repaint, start: 2.5, end: 4.1, strength: 0.8);
        var plan = JobPlanner.Plan(request, source.Frames);
        var result = Run(request, source);

        var tone = Run(PlannerTests.Request(JobKind.TextToMusic, duration: plan.OutputSamples / (double)Rate), null);
        var spliced = RepaintSplice.Splice(source.Samples, tone.Samples.AsSpan(0, plan.OutputSamples * 2), 2,
            plan.SpanStartSample, plan.SpanEndSample, plan.WaveCrossfadeSamples);
        Assert.Equal(spliced, result.Samples);
        // The crossfade is a blend: neither the source nor the tone at the first sample inside the span.
        var f = plan.SpanStartSample;
        Assert.NotEqual(source.Samples[2 * f], result.Samples[2 * f]);
        Assert.NotEqual(tone.Samples[2 * f], result.Samples[2 * f]);
    }

    [Theory]
    [InlineData(-1.5, 2.0, 1.5, 0.0)]   // extend before: 1.5 s of new audio ahead of the source
    [InlineData(4.0, 8.25, 0.0, 2.25)]  // extend after: the result ends exactly at 8.25 s
    [InlineData(-1.0, 7.0, 1.0, 1.0)]   // both
    public void A_repaint_extends_before_and_after_as_the_model_does(double start, double end, double before, double after)
    {
        var source = Noise(6);
        var request = PlannerTests.Request(JobKind.Repaint, start: start, end: end);
        var result = Run(request, source);
        var plan = JobPlanner.Plan(request, source.Frames);

        Assert.Equal(plan.OutputSamples, result.Frames);
        Assert.Equal((int)Math.Round((6 + before + after) * Rate), result.Frames);
        Assert.Equal(plan.LeftPadSamples, (int)Math.Round(before * Rate));
        // The source sits after the left pad, untouched outside the span.
        for (var f = plan.SpanEndSample; f < plan.LeftPadSamples + source.Frames; f++)
        {
            Assert.Equal(source.Samples[2 * (f - plan.LeftPadSamples)], result.Samples[2 * f]);
        }
        for (var f = plan.LeftPadSamples; f < plan.SpanStartSample; f++)
        {
            Assert.Equal(source.Samples[2 * (f - plan.LeftPadSamples)], result.Samples[2 * f]);
        }
    }

    [Fact]
    public void A_cover_is_a_tone_shaped_by_the_source_as_long_as_the_source()
    {
        // Input: 2 s of noise, then 2 s of silence.
        var loud = Noise(2);
        var source = new AudioBuffer([.. loud.Samples, .. new float[2 * Rate * 2]], Rate, 2);
        var result = Run(PlannerTests.Request(JobKind.Cover), source);

        Assert.Equal(source.Frames, result.Frames);
        Assert.True(result.Samples.AsSpan(0, 2 * Rate * 2).ToArray().Max(Math.Abs) > 0.1f, "the loud half is silent");
        Assert.All(result.Samples.AsSpan(2 * Rate * 2).ToArray(), s => Assert.Equal(0f, s));
        Assert.NotEqual(source.Samples[1000], result.Samples[1000]);   // new audio, not the source
    }

    [Fact]
    public void Text_to_music_is_the_tone_of_the_asked_duration()
    {
        var result = Run(PlannerTests.Request(JobKind.TextToMusic, duration: 6.3), null);
        Assert.Equal(JobPlanner.Plan(PlannerTests.Request(JobKind.TextToMusic, duration: 6.3)).OutputSamples, result.Frames);
    }
}
