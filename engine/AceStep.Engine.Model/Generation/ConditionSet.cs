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
    /// Encoder states of the unconditional branch: the learned null condition by default, or the negative prompt's
    /// condition (task API: negativePrompt replaces the caption in the unconditional branch). Owned by this set.
    /// </summary>
    public Tensor? Unconditional { get; private set; }

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

    /// <inheritdoc />
    public void Dispose()
    {
        EncoderStates.Dispose();
        Context.Dispose();
        Unconditional?.Dispose();
    }
}
