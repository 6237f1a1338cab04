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
public abstract class Guidance : IDisposable
{
    /// <summary>Sets the scale and the CFG interval shared by all kinds.</summary>
    /// <param name="scale">Guidance scale g; ≤ 1 disables guidance.</param>
    /// <param name="intervalStart">Smallest t at which guidance applies.</param>
    /// <param name="intervalEnd">Largest t at which guidance applies.</param>
    protected Guidance(double scale, double intervalStart, double intervalEnd)
    {
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

    /// <summary>Guidance scale g.</summary>
    public double Scale { get; }

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
    public static Guidance PlainCfg(double scale, double intervalStart = 0.0, double intervalEnd = 1.0) =>
        new PlainCfgGuidance(scale, intervalStart, intervalEnd);

    /// <summary>Adaptive projected guidance (APG) with a momentum buffer; see <see cref="ApgGuidance"/>.</summary>
    /// <param name="scale">Guidance scale g; ≤ 1 disables guidance.</param>
    /// <param name="momentum">Momentum μ of the running difference (upstream −0.75).</param>
    /// <param name="normThreshold">L2-norm clip τ of the difference over time (upstream 2.5).</param>
    /// <param name="eta">Weight η of the parallel component (upstream 0).</param>
    /// <param name="intervalStart">Smallest t at which guidance applies (default 0).</param>
    /// <param name="intervalEnd">Largest t at which guidance applies (default 1).</param>
    public static ApgGuidance Apg(
        double scale,
        double momentum = -0.75,
        double normThreshold = 2.5,
        double eta = 0.0,
        double intervalStart = 0.0,
        double intervalEnd = 1.0) =>
        new(scale, momentum, normThreshold, eta, intervalStart, intervalEnd);

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

    /// <summary>Clears per-generation state (e.g. the APG momentum buffer). Stateless kinds do nothing.</summary>
    public virtual void Reset()
    {
    }

    /// <summary>The guided velocity while guidance is active; both inputs have the same shape.</summary>
    /// <param name="vCond">Conditional velocity.</param>
    /// <param name="vUncond">Unconditional velocity.</param>
    protected abstract Tensor Combine(Tensor vCond, Tensor vUncond);

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

    private sealed class PlainCfgGuidance(double scale, double intervalStart, double intervalEnd)
        : Guidance(scale, intervalStart, intervalEnd)
    {
        protected override Tensor Combine(Tensor vCond, Tensor vUncond)
        {
            using var scope = NewDisposeScope();
            return (vUncond + Scale * (vCond - vUncond)).MoveToOuterDisposeScope();
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

    internal ApgGuidance(double scale, double momentum, double normThreshold, double eta, double intervalStart, double intervalEnd)
        : base(scale, intervalStart, intervalEnd)
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
    }

    /// <inheritdoc />
    protected override Tensor Combine(Tensor vCond, Tensor vUncond)
    {
        using var scope = NewDisposeScope();
        const int timeDim = 1;
        var diff = vCond - vUncond;

        if (_momentumBuffer is not null)
        {
            if (!_momentumBuffer.shape.SequenceEqual(diff.shape))
            {
                throw new InvalidOperationException("APG momentum buffer shape changed within a generation; call Reset between generations.");
            }

            diff = diff + Momentum * _momentumBuffer;
        }

        var running = diff.detach().clone().DetachFromDisposeScope();
        _momentumBuffer?.Dispose();
        _momentumBuffer = running;

        var norm = diff.norm(timeDim, keepdim: true, p: 2);
        var factor = minimum(ones_like(norm), NormThreshold / norm);
        diff = diff * factor;

        var d64 = diff.to_type(ScalarType.Float64);
        var c64 = vCond.to_type(ScalarType.Float64);
        var unit = c64 / c64.norm(timeDim, keepdim: true, p: 2).clamp_min(1e-12);
        var parallel = (d64 * unit).sum([(long)timeDim], keepdim: true) * unit;
        var orthogonal = d64 - parallel;
        var update = (orthogonal + Eta * parallel).to_type(vCond.dtype);

        return (vCond + (Scale - 1.0) * update).MoveToOuterDisposeScope();
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
