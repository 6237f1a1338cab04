using AceStep.Engine.Model.Sampling;
using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Pipelines.Audio;

/// <summary>
/// The latent side of a repaint, as upstream's <c>generate_audio</c> does it (spec §9.4; <c>_repaint_step_injection</c>,
/// <c>_repaint_boundary_blend</c>): during the first steps the sample outside the span is reset to the source noised to
/// the step's time, and after sampling the generated latents are blended into the source over ramps outside the span.
/// </summary>
public static class RepaintLatents
{
    /// <summary>
    /// How many of the schedule's steps re-inject the source outside the span — upstream's
    /// <c>round(injection_ratio · steps)</c>, Python's round, half to even (0.5 · 5 → 2, 0.5 · 7 → 4). The task API's
    /// <c>strength</c> is upstream's injection ratio (its <c>repaint_strength</c> is 1 − strength).
    /// </summary>
    public static int InjectionSteps(double strength, int scheduleSteps) =>
        (int)Math.Round(strength * scheduleSteps, MidpointRounding.ToEven);

    /// <summary>
    /// The after-step hook: while the step index is below <paramref name="injectSteps"/>, frames outside
    /// [<paramref name="start"/>, <paramref name="end"/>) become t′·ε + (1 − t′)·x_src.
    /// </summary>
    /// <param name="noise">ε, the run's initial noise [B, T, C].</param>
    /// <param name="sourceLatents">x_src [1 or B, T, C].</param>
    /// <param name="start">First frame of the span.</param>
    /// <param name="end">End of the span (exclusive).</param>
    /// <param name="injectSteps">Steps that re-inject (<see cref="InjectionSteps"/>).</param>
    /// <param name="precision">The schedule's dtype.</param>
    /// <param name="roundComplement">Round 1 − t′ to <paramref name="precision"/> first: the base model's t′ is a tensor
    /// of the model's dtype, so upstream's <c>1.0 - t_next</c> is computed in it; turbo's t′ is a Python float.</param>
    public static SamplerStepHook Reinjection(Tensor noise, Tensor sourceLatents, int start, int end, int injectSteps,
        ScalarType precision = ScalarType.Float64, bool roundComplement = false)
    {
        ArgumentNullException.ThrowIfNull(noise);
        ArgumentNullException.ThrowIfNull(sourceLatents);
        var frames = (int)noise.shape[1];
        var outside = ones(1, frames, 1, dtype: ScalarType.Bool, device: noise.device);
        outside[.., start..end, ..] = false;
        return (x, step, _, tNext) =>
        {
            if (step >= injectSteps)
                return;
            using var stepScope = NewDisposeScope();
            var complement = roundComplement ? TimestepSchedule.RoundTo(1.0 - tNext, precision) : 1.0 - tNext;
            var noised = (noise * tNext) + (sourceLatents * complement);
            x.copy_(where(outside, noised, x));
        };
    }

    /// <summary>
    /// The per-frame weight of the generated latents after a repaint: 1 inside [start, end), then ramps of at most
    /// <paramref name="crossfade"/> frames outside each edge — linspace(0, 1, n + 2)[1:−1] before the span and
    /// linspace(1, 0, n + 2)[1:−1] after it, n = the frames available up to the sequence's end, so a ramp cut short
    /// by an edge still falls all the way — and 0 elsewhere. Null when nothing is blended (crossfade ≤ 0, or a span
    /// covering every frame), as upstream.
    /// </summary>
    public static float[]? BoundaryWeights(int frames, int start, int end, int crossfade)
    {
        if (crossfade <= 0 || (start <= 0 && end >= frames) || end <= start)
            return null;
        var weights = new float[frames];
        for (var f = start; f < end; f++)
            weights[f] = 1f;
        var before = start - Math.Max(start - crossfade, 0);
        for (var k = 1; k <= before; k++)
            weights[start - before - 1 + k] = k / (before + 1f);
        var after = Math.Min(end + crossfade, frames) - end;
        for (var k = 1; k <= after; k++)
            weights[end + k - 1] = 1f - (k / (after + 1f));
        return weights;
    }

    /// <summary>m·latents + (1 − m)·source with m = <paramref name="weights"/> per frame; null weights return the latents.</summary>
    public static Tensor Blend(Tensor latents, Tensor sourceLatents, float[]? weights)
    {
        ArgumentNullException.ThrowIfNull(latents);
        ArgumentNullException.ThrowIfNull(sourceLatents);
        if (weights is null)
            return latents;
        var m = tensor(weights, [1, weights.Length, 1]).to(ScalarType.Float32, latents.device);
        // As upstream: the float32 mask times the latents (promoted), then back to the latents' dtype.
        return ((m * latents) + ((1 - m) * sourceLatents)).to_type(latents.dtype);
    }
}
