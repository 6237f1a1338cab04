using static TorchSharp.torch;

namespace AceStep.Engine.Model.Generation;

/// <summary>
/// One condition set of a generation: the packed encoder states and the context latents the decoder reads at every step
/// (a cover run has two: the cover set and, after the switch, the text-only set). Owns its tensors.
/// </summary>
public sealed class ConditionSet : IDisposable
{
    /// <summary>Takes ownership of the tensors.</summary>
    /// <param name="encoderStates">Packed condition [B, Lc, hidden] (before the decoder's condition embedder).</param>
    /// <param name="context">[B, T, 128]: source/hint latents then chunk mask.</param>
    public ConditionSet(Tensor encoderStates, Tensor context)
    {
        ArgumentNullException.ThrowIfNull(encoderStates);
        ArgumentNullException.ThrowIfNull(context);
        if (encoderStates.shape[0] != context.shape[0])
            throw new ArgumentException($"Condition batch {encoderStates.shape[0]} differs from context batch {context.shape[0]}.", nameof(context));
        EncoderStates = encoderStates;
        Context = context;
    }

    /// <summary>Packed condition [B, Lc, hidden].</summary>
    public Tensor EncoderStates { get; }

    /// <summary>Context [B, T, 128].</summary>
    public Tensor Context { get; }

    /// <summary>
    /// Encoder states of the unconditional branch: the learned null condition over every token (spec §8.5), as upstream.
    /// Owned by this set.
    /// </summary>
    public Tensor? Unconditional { get; private set; }

    /// <summary>
    /// Encoder states of the negative prompt (its caption with the same lyrics and timbre), for the guidance's separate
    /// negative term (<see cref="Sampling.Guidance"/>); null without one. Owned by this set.
    /// </summary>
    public Tensor? Negative { get; private set; }

    /// <summary>Batch size.</summary>
    public long Batch => Context.shape[0];

    /// <summary>Latent frames T.</summary>
    public long Frames => Context.shape[1];

    /// <summary>Sets the unconditional encoder states [B, Lu, hidden], taking ownership (replacing any earlier ones).</summary>
    public void SetUnconditional(Tensor unconditional)
    {
        ArgumentNullException.ThrowIfNull(unconditional);
        if (unconditional.shape[0] != Batch)
            throw new ArgumentException($"Unconditional batch {unconditional.shape[0]} differs from {Batch}.", nameof(unconditional));
        Unconditional?.Dispose();
        Unconditional = unconditional;
    }

    /// <summary>Sets the negative prompt's encoder states [B, Ln, hidden], taking ownership (replacing any earlier ones).</summary>
    public void SetNegative(Tensor negative)
    {
        ArgumentNullException.ThrowIfNull(negative);
        if (negative.shape[0] != Batch)
            throw new ArgumentException($"Negative batch {negative.shape[0]} differs from {Batch}.", nameof(negative));
        Negative?.Dispose();
        Negative = negative;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        EncoderStates.Dispose();
        Context.Dispose();
        Unconditional?.Dispose();
        Negative?.Dispose();
    }
}
