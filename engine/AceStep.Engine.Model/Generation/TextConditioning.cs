using AceStep.Engine.Model.Conditioning;
using AceStep.Engine.Model.Qwen;
using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Generation;

/// <summary>
/// Turns tokenized caption and lyric prompts into <see cref="ConditionInputs"/> with the Qwen3-Embedding text model
/// (spec §5): captions through the full causal forward, lyrics through the embedding table only; each batch is
/// right-padded with the pad id and masked, as upstream's <c>_pad_sequences</c> does.
/// </summary>
public static class TextConditioning
{
    /// <summary>Encodes one batch.</summary>
    /// <param name="textModel">The loaded Qwen3-Embedding model.</param>
    /// <param name="captionIds">Caption prompt ids per item (already truncated to 256).</param>
    /// <param name="lyricIds">Lyric prompt ids per item (already truncated to 2048).</param>
    /// <param name="padId">Pad id (151643, <c>&lt;|endoftext|&gt;</c>).</param>
    /// <param name="referenceLatents">Packed reference clips [N, 750, 64] (silence when none).</param>
    /// <param name="referenceOwner">Batch item of each clip.</param>
    public static ConditionInputs Encode(Qwen3TextModel textModel, IReadOnlyList<IReadOnlyList<int>> captionIds,
        IReadOnlyList<IReadOnlyList<int>> lyricIds, long padId, Tensor referenceLatents, IReadOnlyList<int> referenceOwner)
    {
        ArgumentNullException.ThrowIfNull(textModel);
        ArgumentNullException.ThrowIfNull(captionIds);
        ArgumentNullException.ThrowIfNull(lyricIds);
        ArgumentNullException.ThrowIfNull(referenceLatents);
        ArgumentNullException.ThrowIfNull(referenceOwner);
        if (captionIds.Count == 0 || captionIds.Count != lyricIds.Count)
            throw new ArgumentException($"{captionIds.Count} captions and {lyricIds.Count} lyric prompts; one of each per item is required.", nameof(lyricIds));

        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var device = referenceLatents.device;
        var (captions, captionMask) = Pad(captionIds, padId, device);
        var (lyrics, lyricMask) = Pad(lyricIds, padId, device);
        var textHidden = textModel.Forward(captions);                                                      // [B, Lt, 1024]
        var lyricEmbeddings = textModel.Embed(lyrics);                                                     // [B, Ll, 1024]
        return new ConditionInputs(
            textHidden.MoveToOuterDisposeScope(),
            captionMask.MoveToOuterDisposeScope(),
            lyricEmbeddings.MoveToOuterDisposeScope(),
            lyricMask.MoveToOuterDisposeScope(),
            referenceLatents,
            referenceOwner);
    }

    /// <summary>Right-pads id lists to the longest: ids [B, L] int64 and mask [B, L] int64 (1 = real token).</summary>
    public static (Tensor Ids, Tensor Mask) Pad(IReadOnlyList<IReadOnlyList<int>> sequences, long padId, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        var length = sequences.Max(s => s.Count);
        if (length == 0)
            throw new ArgumentException("Every prompt tokenized to nothing; at least one token is required.", nameof(sequences));
        var ids = new long[sequences.Count * length];
        var mask = new long[ids.Length];
        for (var b = 0; b < sequences.Count; b++)
        {
            var row = sequences[b];
            if (row.Count == 0)
                throw new ArgumentException($"Prompt {b} tokenized to nothing.", nameof(sequences));
            for (var i = 0; i < length; i++)
            {
                ids[(b * length) + i] = i < row.Count ? row[i] : padId;
                mask[(b * length) + i] = i < row.Count ? 1 : 0;
            }
        }

        return (tensor(ids, [sequences.Count, length], device: device), tensor(mask, [sequences.Count, length], device: device));
    }
}
