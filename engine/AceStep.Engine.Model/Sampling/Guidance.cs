using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Sampling;

/// <summary>
/// Classifier-free guidance: combines the conditional and unconditional velocities of one step (spec §8.5). Guidance is
/// active only when the scale is above 1 and the step's time lies in the CFG interval [start, end] (inclusive, on t
/// values); otherwise the result is v_c, the unconditional velocity is not needed, and no state changes.
/// Tensors are [B, T, C] with time on dim 1. Stateful kinds (APG) keep their state between steps of one generation;
/// call <see cref="Reset"/> before each generation (the sampler does).
/// </summary>
/// <remarks>
/// <para>The unconditional branch is always upstream's: the learned <c>null_condition_emb</c> in place of every
/// condition token, so the guidance pushes along the caption, the lyrics and the timbre together. A negative prompt
/// (task API <c>negativePrompt</c>, which upstream's DiT has no use for) is its own, additional term: with v_n the
/// velocity under the negative caption (same lyrics and timbre),</para>
/// <para>v = G(v_c, v_u) + w·(G′(v_c, v_n) − v_c),</para>
/// <para>where G is this guidance (CFG or APG) against the null condition and G′ the same kind against the negative
/// condition with its own state (APG: its own momentum buffer). For CFG that is
/// v = v_u + g·(v_c − v_u) + w·(g − 1)·(v_c − v_n): composable guidance, one term pushing away from "nothing" and one
/// from the negative caption. w = <see cref="NegativeWeight"/> (1 by default). Without a negative prompt the result is
/// exactly upstream's.</para>
/// </remarks>
public abstract class Guidance : IDisposable
{
    /// <summary>Sets the scale and the CFG interval shared by all kinds.</summary>
    /// <param name="scale">Guidance scale g; ≤ 1 disables guidance.</param>
    /// <param name="intervalStart">Smallest t at which guidance applies.</param>
    /// <param name="intervalEnd">Largest t at which guidance applies.</param>
    /// <param name="negativeWeight">Weight w of the negative prompt's term (finite, ≥ 0).</param>
    protected Guidance(double scale, double intervalStart, double intervalEnd, double negativeWeight = DefaultNegativeWeight)
    {
        if (!double.IsFinite(negativeWeight) || negativeWeight < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(negativeWeight), negativeWeight, "The negative prompt's weight must be finite and ≥ 0.");
        }

        NegativeWeight = negativeWeight;
        if (!double.IsFinite(scale))
        {
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "Guidance scale must be finite.");
        }

        if (double.IsNaN(intervalStart) || double.IsNaN(intervalEnd) || intervalStart > intervalEnd)
        {
            throw new ArgumentException($"CFG interval [{intervalStart}, {intervalEnd}] is empty or invalid.");
        }

        Scale = scale;
        IntervalStart = intervalStart;
        IntervalEnd = intervalEnd;
    }

    /// <summary>The default weight w of a negative prompt's term.</summary>
    public const double DefaultNegativeWeight = 1.0;

    /// <summary>Guidance scale g.</summary>
    public double Scale { get; }

    /// <summary>Weight w of the negative prompt's term (see the remarks); 1 by default, 0 ignores the negative prompt.</summary>
    public double NegativeWeight { get; }

    /// <summary>Lower end of the CFG interval on t (inclusive).</summary>
    public double IntervalStart { get; }

    /// <summary>Upper end of the CFG interval on t (inclusive).</summary>
    public double IntervalEnd { get; }

    /// <summary>A new guidance that never guides: every step uses v_c.</summary>
    public static Guidance None => new PlainCfgGuidance(1.0, 0.0, 1.0);

    /// <summary>Plain CFG, v = v_u + g·(v_c − v_u).</summary>
    /// <param name="scale">Guidance scale g; ≤ 1 disables guidance.</param>
    /// <param name="intervalStart">Smallest t at which guidance applies (default 0).</param>
    /// <param name="intervalEnd">Largest t at which guidance applies (default 1).</param>
    /// <param name="negativeWeight">Weight w of a negative prompt's term (default 1).</param>
    public static Guidance PlainCfg(double scale, double intervalStart = 0.0, double intervalEnd = 1.0, double negativeWeight = DefaultNegativeWeight) =>
        new PlainCfgGuidance(scale, intervalStart, intervalEnd, negativeWeight);

    /// <summary>Adaptive projected guidance (APG) with a momentum buffer; see <see cref="ApgGuidance"/>.</summary>
    /// <param name="scale">Guidance scale g; ≤ 1 disables guidance.</param>
    /// <param name="momentum">Momentum μ of the running difference (upstream −0.75).</param>
    /// <param name="normThreshold">L2-norm clip τ of the difference over time (upstream 2.5).</param>
    /// <param name="eta">Weight η of the parallel component (upstream 0).</param>
    /// <param name="intervalStart">Smallest t at which guidance applies (default 0).</param>
    /// <param name="intervalEnd">Largest t at which guidance applies (default 1).</param>
    /// <param name="negativeWeight">Weight w of a negative prompt's term (default 1).</param>
    public static ApgGuidance Apg(
        double scale,
        double momentum = -0.75,
        double normThreshold = 2.5,
        double eta = 0.0,
        double intervalStart = 0.0,
        double intervalEnd = 1.0,
        double negativeWeight = DefaultNegativeWeight) =>
        new(scale, momentum, normThreshold, eta, intervalStart, intervalEnd, negativeWeight);

    /// <summary>Whether guidance applies at time <paramref name="t"/> (scale &gt; 1 and t inside the interval), i.e. whether
    /// the step needs the unconditional velocity.</summary>
    /// <param name="t">The step's current time.</param>
    public bool IsActiveAt(double t) => Scale > 1.0 && t >= IntervalStart && t <= IntervalEnd;

    /// <summary>
    /// The guided velocity for a step at time <paramref name="t"/>. When guidance is inactive this returns a new handle to
    /// v_c (v_u may then be null); when active, v_u is required.
    /// </summary>
    /// <param name="vCond">Conditional velocity [B, T, C].</param>
    /// <param name="vUncond">Unconditional velocity [B, T, C], or null when guidance is inactive at t.</param>
    /// <param name="t">The step's current time.</param>
    public Tensor Apply(Tensor vCond, Tensor? vUncond, double t)
    {
        ArgumentNullException.ThrowIfNull(vCond);
        if (!IsActiveAt(t))
        {
            return vCond.alias();
        }

        if (vUncond is null)
        {
            throw new ArgumentNullException(nameof(vUncond), $"Guidance is active at t = {t} but no unconditional velocity was given.");
        }

        if (!vUncond.shape.SequenceEqual(vCond.shape))
        {
            throw new ArgumentException(
                $"Velocity shapes differ: cond [{string.Join(", ", vCond.shape)}], uncond [{string.Join(", ", vUncond.shape)}].",
                nameof(vUncond));
        }

        return Combine(vCond, vUncond);
    }

    /// <summary>
    /// The guided velocity with a negative prompt's own term (see the remarks): <see cref="Apply(Tensor, Tensor?, double)"/>
    /// plus w·(G′(v_c, v_n) − v_c). Without <paramref name="vNegative"/>, or while guidance is inactive, it is
    /// <see cref="Apply(Tensor, Tensor?, double)"/>.
    /// </summary>
    /// <param name="vCond">Conditional velocity [B, T, C].</param>
    /// <param name="vUncond">Velocity under the learned null condition, or null when guidance is inactive at t.</param>
    /// <param name="vNegative">Velocity under the negative prompt's condition, or null for none.</param>
    /// <param name="t">The step's current time.</param>
    public Tensor Apply(Tensor vCond, Tensor? vUncond, Tensor? vNegative, double t)
    {
        var guided = Apply(vCond, vUncond, t);
        if (vNegative is null || !IsActiveAt(t) || NegativeWeight == 0.0)
        {
            return guided;
        }

        if (!vNegative.shape.SequenceEqual(vCond.shape))
        {
            throw new ArgumentException(
                $"Velocity shapes differ: cond [{string.Join(", ", vCond.shape)}], negative [{string.Join(", ", vNegative.shape)}].",
                nameof(vNegative));
        }

        using var scope = NewDisposeScope();
        var term = NegativeDelta(vCond, vNegative);
        var result = guided + (NegativeWeight * term);
        guided.Dispose();
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>Clears per-generation state (e.g. the APG momentum buffer). Stateless kinds do nothing.</summary>
    public virtual void Reset()
    {
    }

    /// <summary>The guided velocity while guidance is active; both inputs have the same shape.</summary>
    /// <param name="vCond">Conditional velocity.</param>
    /// <param name="vUncond">Unconditional velocity.</param>
    protected abstract Tensor Combine(Tensor vCond, Tensor vUncond);

    /// <summary>G′(v_c, v_n) − v_c: what this kind of guidance adds to v_c when v_n is the baseline (with its own state).</summary>
    /// <param name="vCond">Conditional velocity.</param>
    /// <param name="vNegative">Velocity under the negative prompt.</param>
    protected abstract Tensor NegativeDelta(Tensor vCond, Tensor vNegative);

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases held tensors.</summary>
    /// <param name="disposing">True when called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
    }

    private sealed class PlainCfgGuidance(double scale, double intervalStart, double intervalEnd, double negativeWeight = DefaultNegativeWeight)
        : Guidance(scale, intervalStart, intervalEnd, negativeWeight)
    {
        protected override Tensor Combine(Tensor vCond, Tensor vUncond)
        {
            using var scope = NewDisposeScope();
            return (vUncond + Scale * (vCond - vUncond)).MoveToOuterDisposeScope();
        }

        protected override Tensor NegativeDelta(Tensor vCond, Tensor vNegative)
        {
            using var scope = NewDisposeScope();
            return ((Scale - 1.0) * (vCond - vNegative)).MoveToOuterDisposeScope();
        }
    }
}

/// <summary>
/// Adaptive projected guidance (spec §8.5), with reductions over dim 1 (time) separately per (batch, channel):
/// d = v_c − v_u; momentum m ← d + μ·m (m starts at 0 each generation), d ← m; clip d ← d·min(1, τ/‖d‖₂);
/// project in float64 against û = v_c/‖v_c‖₂: d_par = (Σ d·û)·û, d_orth = d − d_par;
/// v = v_c + (g − 1)·(d_orth + η·d_par). The momentum is only updated on steps where guidance is active.
/// </summary>
public sealed class ApgGuidance : Guidance
{
    private Tensor? _momentumBuffer;
    private Tensor? _negativeMomentumBuffer;

    internal ApgGuidance(double scale, double momentum, double normThreshold, double eta, double intervalStart, double intervalEnd,
        double negativeWeight = DefaultNegativeWeight)
        : base(scale, intervalStart, intervalEnd, negativeWeight)
    {
        if (!double.IsFinite(momentum) || !double.IsFinite(eta))
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), "Momentum and eta must be finite.");
        }

        if (!(normThreshold > 0.0))
        {
            throw new ArgumentOutOfRangeException(nameof(normThreshold), normThreshold, "Norm threshold must be positive.");
        }

        Momentum = momentum;
        NormThreshold = normThreshold;
        Eta = eta;
    }

    /// <summary>Momentum μ.</summary>
    public double Momentum { get; }

    /// <summary>Norm clip threshold τ.</summary>
    public double NormThreshold { get; }

    /// <summary>Weight η of the parallel component.</summary>
    public double Eta { get; }

    /// <summary>A copy of the running momentum average (null before the first guided step of a generation).</summary>
    public Tensor? MomentumBuffer => _momentumBuffer?.clone();

    /// <inheritdoc />
    public override void Reset()
    {
        _momentumBuffer?.Dispose();
        _momentumBuffer = null;
        _negativeMomentumBuffer?.Dispose();
        _negativeMomentumBuffer = null;
    }

    /// <inheritdoc />
    protected override Tensor Combine(Tensor vCond, Tensor vUncond)
    {
        using var scope = NewDisposeScope();
        return (vCond + (Scale - 1.0) * Update(vCond, vUncond, ref _momentumBuffer)).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    protected override Tensor NegativeDelta(Tensor vCond, Tensor vNegative)
    {
        using var scope = NewDisposeScope();
        return ((Scale - 1.0) * Update(vCond, vNegative, ref _negativeMomentumBuffer)).MoveToOuterDisposeScope();
    }

    // d_orth + η·d_par of the momentum-averaged, clipped difference v_c − v_other (in vCond's dtype).
    private Tensor Update(Tensor vCond, Tensor vOther, ref Tensor? momentumBuffer)
    {
        const int timeDim = 1;
        var diff = vCond - vOther;

        if (momentumBuffer is not null)
        {
            if (!momentumBuffer.shape.SequenceEqual(diff.shape))
            {
                throw new InvalidOperationException("APG momentum buffer shape changed within a generation; call Reset between generations.");
            }

            diff = diff + Momentum * momentumBuffer;
        }

        var running = diff.detach().clone().DetachFromDisposeScope();
        momentumBuffer?.Dispose();
        momentumBuffer = running;

        var norm = diff.norm(timeDim, keepdim: true, p: 2);
        var factor = minimum(ones_like(norm), NormThreshold / norm);
        diff = diff * factor;

        var d64 = diff.to_type(ScalarType.Float64);
        var c64 = vCond.to_type(ScalarType.Float64);
        var unit = c64 / c64.norm(timeDim, keepdim: true, p: 2).clamp_min(1e-12);
        var parallel = (d64 * unit).sum([(long)timeDim], keepdim: true) * unit;
        var orthogonal = d64 - parallel;
        return (orthogonal + Eta * parallel).to_type(vCond.dtype);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Reset();
        }

        base.Dispose(disposing);
    }
}
