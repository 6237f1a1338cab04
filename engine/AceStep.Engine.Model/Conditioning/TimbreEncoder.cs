using AceStep.Engine.Model.Modules;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Conditioning;

/// <summary>
/// <c>AceStepTimbreEncoder</c> (spec §4.6 item 3): reference latents [N, 750, 64] → <c>embed_tokens</c> (Linear 64→2048, bias)
/// → 4 encoder layers (no padding mask) → <c>norm</c> → the output at position 0 [N, 2048]. The checkpoint's
/// <c>special_token</c> is loaded but not used: upstream commented its prepend out.
/// </summary>
public sealed class TimbreEncoder : StackedEncoder
{
    private readonly Linear _embedTokens;

    /// <summary>Creates the encoder with TorchSharp's default (seeded) initialisation.</summary>
    /// <param name="sizes">Stack widths.</param>
    /// <param name="layers">Depth (4).</param>
    /// <param name="timbreChannels">Reference latent channels (64).</param>
    public TimbreEncoder(EncoderStackSizes sizes, int layers, long timbreChannels) : base(nameof(TimbreEncoder), sizes, layers)
    {
        _embedTokens = nn.Linear(timbreChannels, sizes.Hidden, hasBias: true);
        register_module(TensorNames.EmbedTokens, _embedTokens);
        register_parameter(TensorNames.SpecialToken, new Parameter(zeros(1, 1, sizes.Hidden), requires_grad: false));
    }

    /// <summary>Encodes packed reference clips [N, frames, 64] → one timbre vector per clip [N, hidden].</summary>
    public Tensor Forward(Tensor referenceLatents)
    {
        ArgumentNullException.ThrowIfNull(referenceLatents);
        using var scope = NewDisposeScope();
        var h = RunLayers(_embedTokens.forward(referenceLatents));                                           // [N, F, H]
        return h[.., 0, ..].contiguous().MoveToOuterDisposeScope();                                          // [N, H]
    }

    /// <summary>
    /// Unpacks per-clip vectors [N, hidden] into [B, maxClipsPerItem, hidden] plus a validity mask [B, maxClipsPerItem],
    /// keeping each item's clips in their packed order (upstream's <c>refer_audio_order_mask</c>).
    /// </summary>
    /// <param name="clipVectors">[N, hidden].</param>
    /// <param name="clipOwner">Batch index of each clip, length N; every item 0..B−1 must own at least one clip.</param>
    /// <param name="batch">B.</param>
    public static (Tensor Vectors, Tensor Mask) Unpack(Tensor clipVectors, IReadOnlyList<int> clipOwner, int batch)
    {
        ArgumentNullException.ThrowIfNull(clipVectors);
        ArgumentNullException.ThrowIfNull(clipOwner);
        if (clipOwner.Count != clipVectors.shape[0])
            throw new ArgumentException($"{clipOwner.Count} owners for {clipVectors.shape[0]} clips.", nameof(clipOwner));
        var counts = new int[batch];
        foreach (var owner in clipOwner)
        {
            if (owner < 0 || owner >= batch)
                throw new ArgumentOutOfRangeException(nameof(clipOwner), owner, $"A clip belongs to item {owner}, the batch has {batch}.");
            counts[owner]++;
        }

        if (counts.Any(c => c == 0))
            throw new ArgumentException("Every batch item needs a reference clip (silence when the user gave none).", nameof(clipOwner));

        using var scope = NewDisposeScope();
        var width = counts.Max();
        var vectors = zeros([batch, width, clipVectors.shape[1]], clipVectors.dtype, clipVectors.device);
        var mask = zeros([batch, width], ScalarType.Int64, clipVectors.device);
        var next = new int[batch];
        for (var n = 0; n < clipOwner.Count; n++)
        {
            var b = clipOwner[n];
            vectors[b, next[b]] = clipVectors[n];
            mask[b, next[b]] = 1;
            next[b]++;
        }

        return (vectors.MoveToOuterDisposeScope(), mask.MoveToOuterDisposeScope());
    }
}
