using AceStep.Engine.Model.Conditioning;
using AceStep.Engine.Model.Sampling;
using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Generation;

/// <summary>Everything one latent generation needs besides the model (spec §8, §9).</summary>
public sealed record LatentGenerationRequest
{
    /// <summary>Caption, lyrics and references of each batch item.</summary>
    public required ConditionInputs Condition { get; init; }

    /// <summary>Source latents, chunk mask and cover flags; its frame count is the output's.</summary>
    public required TargetInputs Target { get; init; }

    /// <summary>One seed per batch item (negative = unseeded).</summary>
    public required IReadOnlyList<long> Seeds { get; init; }

    /// <summary>The time schedule.</summary>
    public required TimestepSchedule Schedule { get; init; }

    /// <summary>Guidance (CFG or APG); null or scale ≤ 1 means none. Ignored by turbo checkpoints, which are CFG-distilled.</summary>
    public Guidance? Guidance { get; init; }

    /// <summary>
    /// The negative prompt's condition (same lyrics and references, the negative text as caption): with guidance on it
    /// drives the guidance's own negative term (<see cref="Sampling.Guidance"/>), beside the unconditional branch, which
    /// is always the learned <c>null_condition_emb</c> as upstream. Null: no negative term.
    /// </summary>
    public ConditionInputs? NegativeCondition { get; init; }

    /// <summary>DCW after every step (spec §8.4); latest upstream's default, on.</summary>
    public WaveletCorrection Dcw { get; init; } = WaveletCorrection.Upstream;

    /// <summary>audio_cover_strength: fraction of steps on the cover condition before switching to <see cref="NonCoverCondition"/>.</summary>
    public double CoverConditioningScale { get; init; } = 1.0;

    /// <summary>The text-only condition a cover switches to (spec §5.3, §8.6: text2music instruction, same lyrics and
    /// references); required when <see cref="CoverConditioningScale"/> &lt; 1 and an item is a cover.</summary>
    public ConditionInputs? NonCoverCondition { get; init; }

    /// <summary>SDEdit start strength (spec §8.7); &gt; 0 starts from the noised <see cref="TargetInputs.SourceLatents"/>.</summary>
    public double SdEditStrength { get; init; }

    /// <summary>Called after each step.</summary>
    public SamplerProgress? Progress { get; init; }

    /// <summary>Modifies the sample after each step (repaint's source re-injection).</summary>
    public SamplerStepHook? AfterStep { get; init; }
}

/// <summary>
/// Runs one generation on <see cref="AceStepConditionGenerationModel"/>: prepares the condition set(s), draws per-item
/// seeded noise, and drives <see cref="FlowMatchingSampler"/> with the DiT, returning the predicted clean latents
/// [B, T, 64]. The VAE turns them into audio.
/// </summary>
public static class LatentGenerator
{
    /// <summary>Generates latents [B, T, 64] (in the caller's dispose scope).</summary>
    /// <param name="model">The loaded DiT checkpoint.</param>
    /// <param name="silenceLatent">Silence latents [1, F, 64] (for the tokenizer's padding and the cover switch's source).</param>
    /// <param name="request">The generation.</param>
    /// <param name="cancellationToken">Checked between steps and between the two rows of a split CFG call.</param>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public static Tensor Generate(AceStepConditionGenerationModel model, Tensor silenceLatent, LatentGenerationRequest request,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(silenceLatent);
        ArgumentNullException.ThrowIfNull(request);
        var target = request.Target;
        var batch = target.SourceLatents.shape[0];
        if (request.Seeds.Count != batch)
            throw new ArgumentException($"{request.Seeds.Count} seeds for a batch of {batch}.", nameof(request));

        var guidance = model.Config.IsTurbo || request.Guidance is not { Scale: > 1.0 } ? null : request.Guidance;
        var switches = request.CoverConditioningScale < 1.0 && target.IsCover.Any(c => c);
        if (switches && request.NonCoverCondition is null)
            throw new ArgumentException("A cover with coverConditioningScale < 1 needs the text-only condition to switch to.", nameof(request));

        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        using var condition = PrepareSet(model, request.Condition, target, silenceLatent, guidance, request.NegativeCondition);
        using var nonCover = switches
            ? PrepareSet(model, request.NonCoverCondition!, NonCoverTarget(target, silenceLatent), silenceLatent, guidance, request.NegativeCondition)
            : null;

        var frames = target.SourceLatents.shape[1];
        var noise = NoiseSource.Create(request.Seeds, frames, model.Config.LatentChannels, target.SourceLatents.dtype, target.SourceLatents.device);
        using var velocity = new DitVelocity(model.Decoder, condition);
        var options = new SamplerOptions
        {
            Schedule = request.Schedule,
            Guidance = guidance,
            CoverConditioningScale = switches ? request.CoverConditioningScale : 1.0,
            OnConditionSwitch = switches ? _ => velocity.SwitchTo(nonCover!) : null,
            SdEditStrength = request.SdEditStrength,
            SdEditSource = request.SdEditStrength > 0.0 ? target.SourceLatents : null,
            Progress = request.Progress,
            AfterStep = request.AfterStep,
            Dcw = request.Dcw,
        };
        var latents = FlowMatchingSampler.Sample(noise, velocity.Predict, options, cancellationToken);
        return latents.MoveToOuterDisposeScope();
    }

    private static ConditionSet PrepareSet(AceStepConditionGenerationModel model, ConditionInputs inputs, TargetInputs target,
        Tensor silenceLatent, Guidance? guidance, ConditionInputs? negative)
    {
        var set = model.PrepareCondition(inputs, target, silenceLatent);
        if (guidance is null)
            return set;
        try
        {
            set.SetUnconditional(model.NullCondition(set.EncoderStates).DetachFromDisposeScope());
            if (negative is not null)
            {
                var (states, _) = model.Encoder.Forward(negative);
                set.SetNegative(states.DetachFromDisposeScope());
            }

            return set;
        }
        catch
        {
            set.Dispose();
            throw;
        }
    }

    // Spec §8.6: the text-only set keeps the chunk masks, takes silence as source and is never a cover.
    private static TargetInputs NonCoverTarget(TargetInputs target, Tensor silenceLatent)
    {
        var (batch, frames, channels) = (target.SourceLatents.shape[0], target.SourceLatents.shape[1], target.SourceLatents.shape[2]);
        if (silenceLatent.shape[1] < frames)
            throw new ArgumentException($"The silence latent holds {silenceLatent.shape[1]} frames; {frames} are needed.", nameof(silenceLatent));
        var silence = silenceLatent[.., ..(int)frames, ..].to(target.SourceLatents.dtype, target.SourceLatents.device)
            .expand(batch, frames, channels);
        return new TargetInputs(silence, target.ChunkMask, Enumerable.Repeat(false, (int)batch).ToArray());
    }
}
