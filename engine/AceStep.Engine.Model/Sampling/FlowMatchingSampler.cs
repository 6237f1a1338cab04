using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Sampling;

/// <summary>The velocities the model predicts for one step.</summary>
/// <param name="Conditional">v_c [B, T, C].</param>
/// <param name="Unconditional">v_u [B, T, C] under the learned null condition, or null when the step was called
/// without needing it.</param>
/// <param name="Negative">v_n [B, T, C] under the negative prompt's condition, or null (no negative prompt, or guidance
/// inactive).</param>
public readonly record struct VelocityPrediction(Tensor Conditional, Tensor? Unconditional, Tensor? Negative = null);

/// <summary>
/// The model as the sampler sees it: predicts velocities for the current sample <paramref name="x"/> at time
/// <paramref name="t"/> (the DiT's timestep and timestep_r). Tensors it returns may be disposed by the sampler when the
/// step ends, so return fresh tensors.
/// </summary>
/// <param name="x">The current sample x_t [B, T, C]; do not modify or dispose it.</param>
/// <param name="t">The step's current time.</param>
/// <param name="needsUnconditional">True when guidance is active at t and v_u must be returned.</param>
/// <param name="cancellationToken">Cancels a long model call.</param>
public delegate VelocityPrediction VelocityFunction(Tensor x, double t, bool needsUnconditional, CancellationToken cancellationToken);

/// <summary>Called after each completed step.</summary>
/// <param name="step">1-based number of the step just completed.</param>
/// <param name="total">Total steps of this run.</param>
/// <param name="t">The time the step started from.</param>
public delegate void SamplerProgress(int step, int total, double t);

/// <summary>Settings of one sampling run besides the noise and the model.</summary>
public sealed class SamplerOptions
{
    /// <summary>The time schedule (before any SDEdit trimming).</summary>
    public required TimestepSchedule Schedule { get; init; }

    /// <summary>Guidance; null means none. Its state is reset at the start of every run.</summary>
    public Guidance? Guidance { get; init; }

    /// <summary>
    /// audio_cover_strength (spec §8.6): at step index cover_steps = floor(N × this) the caller should switch to the
    /// non-cover condition set; 1 (default) never switches.
    /// </summary>
    public double CoverConditioningScale { get; init; } = 1.0;

    /// <summary>Invoked once, before the step with index cover_steps runs, with that index; the caller switches its
    /// condition set (and resets its cross-attention cache) there.</summary>
    public Action<int>? OnConditionSwitch { get; init; }

    /// <summary>cover_noise_strength c (spec §8.7); &gt; 0 starts from the source latents at t* ≈ 1 − c.</summary>
    public double SdEditStrength { get; init; }

    /// <summary>Source latents [B, T, C] for the SDEdit start; required when <see cref="SdEditStrength"/> &gt; 0.</summary>
    public Tensor? SdEditSource { get; init; }

    /// <summary>Called after each step.</summary>
    public SamplerProgress? Progress { get; init; }

    /// <summary>DCW after every step (spec §8.4); latest upstream's default, on. <see cref="WaveletCorrection.Off"/>
    /// gives the plain Euler sampler.</summary>
    public WaveletCorrection Dcw { get; init; } = WaveletCorrection.Upstream;

    /// <summary>
    /// Called after each step's update with the new sample x (at time t'), which it may modify in place: repaint
    /// re-injects the noised source outside the repainted span here (task API <c>strength</c>).
    /// </summary>
    public SamplerStepHook? AfterStep { get; init; }
}

/// <summary>Modifies the sample after a step, in place.</summary>
/// <param name="x">The sample at time <paramref name="tNext"/> [B, T, C]; modify in place, do not dispose.</param>
/// <param name="stepIndex">0-based index of the step just taken.</param>
/// <param name="totalSteps">Steps in this run.</param>
/// <param name="tNext">The time x is now at.</param>
public delegate void SamplerStepHook(Tensor x, int stepIndex, int totalSteps, double tNext);

/// <summary>
/// Flow-matching Euler ODE sampler (spec §8.4): starts from noise at t = 1 (or the SDEdit start) and for each schedule pair
/// (t, t') computes the guided velocity v and updates x ← x − v·dt with dt = t − t' in the schedule's precision, then
/// (by default, as latest upstream) applies DCW against x̂₀ = x − v·t, ending at t = 0 with the predicted clean latents.
/// </summary>
public static class FlowMatchingSampler
{
    /// <summary>cover_steps = floor(steps × coverConditioningScale), clamped to [0, steps].</summary>
    /// <param name="steps">Number of steps in the (possibly trimmed) schedule.</param>
    /// <param name="coverConditioningScale">audio_cover_strength.</param>
    public static int CoverSteps(int steps, double coverConditioningScale)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        if (double.IsNaN(coverConditioningScale))
        {
            throw new ArgumentOutOfRangeException(nameof(coverConditioningScale), "Cover conditioning scale is NaN.");
        }

        return (int)Math.Clamp(Math.Floor(steps * coverConditioningScale), 0, steps);
    }

    /// <summary>The SDEdit start x_init = t*·ε + (1 − t*)·src.</summary>
    /// <param name="noise">ε [B, T, C].</param>
    /// <param name="source">src [B, T, C].</param>
    /// <param name="tStar">Starting time t*.</param>
    public static Tensor SdEditStart(Tensor noise, Tensor source, double tStar)
    {
        ArgumentNullException.ThrowIfNull(noise);
        ArgumentNullException.ThrowIfNull(source);
        using var scope = NewDisposeScope();
        return (tStar * noise + (1.0 - tStar) * source.to_type(noise.dtype)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Runs the sampler. The result is a new tensor with the noise's shape and dtype (in the caller's dispose scope); the
    /// noise is not modified. Cancellation is checked before every step and throws <see cref="OperationCanceledException"/>.
    /// </summary>
    /// <param name="noise">ε [B, T, C].</param>
    /// <param name="velocity">The model.</param>
    /// <param name="options">Schedule, guidance, callbacks, SDEdit and cover settings.</param>
    /// <param name="cancellationToken">Cancels between steps (and is passed to the model).</param>
    public static Tensor Sample(Tensor noise, VelocityFunction velocity, SamplerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(noise);
        ArgumentNullException.ThrowIfNull(velocity);
        ArgumentNullException.ThrowIfNull(options);

        var schedule = options.Schedule ?? throw new ArgumentException("A schedule is required.", nameof(options));
        var guidance = options.Guidance;
        guidance?.Reset();

        using var outer = NewDisposeScope();
        Tensor x;
        if (options.SdEditStrength > 0.0)
        {
            var source = options.SdEditSource
                ?? throw new ArgumentException("SdEditSource is required when SdEditStrength > 0.", nameof(options));
            if (!source.shape.SequenceEqual(noise.shape))
            {
                throw new ArgumentException("SdEditSource must have the noise's shape.", nameof(options));
            }

            schedule = schedule.StartingAtStrength(options.SdEditStrength);
            x = SdEditStart(noise, source, schedule.NoisingStart);
        }
        else
        {
            x = noise.clone();
        }

        var total = schedule.Steps;
        var coverSteps = CoverSteps(total, options.CoverConditioningScale);
        var values = schedule.Values;
        for (var i = 0; i < total; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (i == coverSteps)
            {
                options.OnConditionSwitch?.Invoke(i);
            }

            var t = values[i];
            var tNext = values[i + 1];
            using (var step = NewDisposeScope())
            {
                var active = guidance?.IsActiveAt(t) ?? false;
                var prediction = velocity(x, t, active, cancellationToken);
                var v = guidance is null
                    ? prediction.Conditional
                    : guidance.Apply(prediction.Conditional, prediction.Unconditional, prediction.Negative, t);
                var next = x - (v * schedule.StepSize(i));
                if (options.Dcw.IsActive)
                {
                    // x̂₀ from the state before the step and the step's (guided) velocity, as upstream's DCW hook.
                    var denoised = x - (v * t);
                    next = options.Dcw.Apply(next, denoised, t);
                }

                next = next.MoveToOuterDisposeScope();
                x.Dispose();
                x = next;
                options.AfterStep?.Invoke(x, i, total, tNext);
            }

            options.Progress?.Invoke(i + 1, total, t);
        }

        return x.MoveToOuterDisposeScope();
    }
}
