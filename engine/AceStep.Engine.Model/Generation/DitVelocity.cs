using AceStep.Engine.Model.Dit;
using AceStep.Engine.Model.Sampling;
using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Generation;

/// <summary>
/// The DiT as the sampler calls it during one generation: holds the active <see cref="ConditionSet"/> and the decoder's
/// cross-attention K/V for it (computed once, reused on every step, dropped when the condition switches), and runs the
/// conditional, unconditional (null condition) and, with a negative prompt, negative rows as one batch when their
/// condition lengths agree (spec §8.5); a negative prompt of another length runs as its own call.
/// Not thread-safe; one instance per generation.
/// </summary>
public sealed class DitVelocity : IDisposable
{
    private readonly DitDecoder _decoder;
    private ConditionSet _condition;
    private CrossAttentionCache? _conditional;
    private CrossAttentionCache? _negative;
    private CrossAttentionCache? _doubled;
    private CrossAttentionCache? _tripled;

    /// <summary>Creates the velocity function over <paramref name="condition"/> (not owned).</summary>
    public DitVelocity(DitDecoder decoder, ConditionSet condition)
    {
        ArgumentNullException.ThrowIfNull(decoder);
        ArgumentNullException.ThrowIfNull(condition);
        _decoder = decoder;
        _condition = condition;
    }

    /// <summary>Number of decoder forward calls made so far (a doubled batch counts once).</summary>
    public int DecoderCalls { get; private set; }

    /// <summary>Switches to another condition set (cover → text-only, spec §8.6) and drops the cached K/V.</summary>
    public void SwitchTo(ConditionSet condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        if (condition.Batch != _condition.Batch || condition.Frames != _condition.Frames)
            throw new ArgumentException("The new condition set must have the same batch and frames.", nameof(condition));
        ResetCache();
        _condition = condition;
    }

    /// <summary>The <see cref="VelocityFunction"/> for <see cref="FlowMatchingSampler"/>.</summary>
    public VelocityPrediction Predict(Tensor x, double t, bool needsUnconditional, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(x);
        cancellationToken.ThrowIfCancellationRequested();
        using var scope = NewDisposeScope();
        var batch = x.shape[0];
        var context = _condition.Context.to_type(x.dtype);
        if (!needsUnconditional)
        {
            _conditional ??= _decoder.PrepareCrossAttention(_condition.EncoderStates);
            var v = Call(x, t, _conditional, context);
            return new VelocityPrediction(v.MoveToOuterDisposeScope(), null);
        }

        var unconditional = _condition.Unconditional
            ?? throw new InvalidOperationException("Guidance needs unconditional encoder states; set them on the condition set.");
        if (!unconditional.shape.SequenceEqual(_condition.EncoderStates.shape))
            throw new InvalidOperationException("The null condition must cover the condition's tokens exactly.");
        var negative = _condition.Negative;
        if (negative is not null && negative.shape.SequenceEqual(_condition.EncoderStates.shape))
        {
            _tripled ??= Prepare(_condition.EncoderStates, unconditional, negative);
            var rows = Call(cat([x, x, x]), t, _tripled, cat([context, context, context])).split(batch);   // 3 × [B, T, 64]
            return new VelocityPrediction(rows[0].MoveToOuterDisposeScope(), rows[1].MoveToOuterDisposeScope(), rows[2].MoveToOuterDisposeScope());
        }

        _doubled ??= Prepare(_condition.EncoderStates, unconditional);
        var halves = Call(cat([x, x]), t, _doubled, cat([context, context])).split(batch);                 // 2 × [B, T, 64]
        Tensor? vn = null;
        if (negative is not null)
        {
            // A negative prompt of another length cannot share the batch without padding, which the unmasked
            // cross-attention would see; it runs as its own call.
            cancellationToken.ThrowIfCancellationRequested();
            _negative ??= _decoder.PrepareCrossAttention(negative);
            vn = Call(x, t, _negative, context);
        }

        return new VelocityPrediction(halves[0].MoveToOuterDisposeScope(), halves[1].MoveToOuterDisposeScope(), vn?.MoveToOuterDisposeScope());
    }

    /// <inheritdoc />
    public void Dispose() => ResetCache();

    private CrossAttentionCache Prepare(params Tensor[] rows)
    {
        using var scope = NewDisposeScope();
        return _decoder.PrepareCrossAttention(cat(rows));
    }

    private Tensor Call(Tensor x, double t, CrossAttentionCache cache, Tensor context)
    {
        // The DiT always gets timestep = timestep_r = t at inference (spec §8.1).
        var timestep = full([x.shape[0]], t, x.dtype, x.device);
        DecoderCalls++;
        return _decoder.Forward(x, timestep, timestep, cache, context);
    }

    private void ResetCache()
    {
        _conditional?.Dispose();
        _negative?.Dispose();
        _doubled?.Dispose();
        _tripled?.Dispose();
        _conditional = _negative = _doubled = _tripled = null;
    }
}
