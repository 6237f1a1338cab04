using AceStep.Contracts.Tasks;
using AceStep.Engine.Model.Generation;
using static TorchSharp.torch;

namespace AceStep.Engine.Pipelines.Planning;

/// <summary>
/// The DiT's per-job target (spec §9.1 items 5–7, §9.4, §9.5): the context latents, the chunk mask (1 = generate,
/// 0 = keep) and the cover flags, built from the plan and the source's latents. Pure tensor arithmetic, so the
/// conditioning of every job is checked against upstream's without a model (<c>tests/AceStep.Engine.Parity.Tests</c>).
/// LM codes (text-to-music planned by the LM) need the DiT to decode them and are built by <see cref="MusicPipeline"/>.
/// </summary>
public static class JobTarget
{
    /// <summary>The target of <paramref name="plan"/> for <paramref name="batch"/> results.</summary>
    /// <param name="plan">The plan (not one carrying LM codes).</param>
    /// <param name="sourceLatents">[1, T, 64] latents of the (extended) source; null for text-to-music.</param>
    /// <param name="silence">[1, ≥T, 64] the checkpoint's silence latent.</param>
    /// <param name="batch">Results in the batch.</param>
    /// <exception cref="ArgumentException">A job that needs a source without one, or a plan with LM codes.</exception>
    public static TargetInputs For(JobPlan plan, Tensor? sourceLatents, Tensor silence, int batch)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(silence);
        if (plan.AudioCodes is not null)
            throw new ArgumentException("A plan with LM codes takes its context from the codes.", nameof(plan));
        if (plan.Kind != JobKind.TextToMusic && sourceLatents is null)
            throw new ArgumentException($"A {plan.Kind} job needs the source's latents.", nameof(sourceLatents));
        var frames = plan.Frames;
        Tensor All() => ones(batch, frames, dtype: silence.dtype, device: silence.device);
        Tensor Span()
        {
            var mask = zeros(batch, frames, dtype: silence.dtype, device: silence.device);
            mask[.., plan.MaskStartFrame..plan.MaskEndFrame] = 1.0f;
            return mask;
        }

        bool[] Covers(bool value) => Enumerable.Repeat(value, batch).ToArray();
        switch (plan.Kind)
        {
            case JobKind.TextToMusic:
                return new TargetInputs(silence[.., 0..frames, ..].expand(batch, frames, -1), All(), Covers(false));
            case JobKind.Cover:
                // The source's 5 Hz FSQ codes are the context (is_cover).
                return new TargetInputs(sourceLatents!.expand(batch, -1, -1), All(), Covers(true));
            case JobKind.Extract or JobKind.Complete:
                // Spec §9.5: the source's own latents (no FSQ: is_cover false) are the context, every frame generated.
                return new TargetInputs(sourceLatents!.expand(batch, -1, -1), All(), Covers(false));
            case JobKind.Lego:
                // A repaint's mask over the span, but the context keeps the source inside the span too: the new stem is
                // played over it (latest upstream's conditioning_masks.py skips the silencing for lego).
                return new TargetInputs(sourceLatents!.expand(batch, -1, -1), Span(), Covers(false));
            case JobKind.Repaint:
                // Spec §9.4: the span's source latents are replaced by silence.
                var src = sourceLatents!.clone();
                src[.., plan.MaskStartFrame..plan.MaskEndFrame, ..] = silence[.., plan.MaskStartFrame..plan.MaskEndFrame, ..];
                return new TargetInputs(src.expand(batch, -1, -1), Span(), Covers(false));
            default:
                throw new ArgumentOutOfRangeException(nameof(plan), plan.Kind, "Unknown job kind.");
        }
    }
}
