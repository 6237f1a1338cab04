using AceStep.Engine.Model.Modules;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Conditioning;

/// <summary>
/// <c>AceStepLyricEncoder</c> (spec §4.6 item 2): the Qwen3-Embedding token embeddings of the lyric prompt [B, Ll, 1024] →
/// <c>embed_tokens</c> (Linear 1024→2048, bias) → 8 encoder layers with a key-padding mask → <c>norm</c> → [B, Ll, 2048].
/// In fp16 the last layer's <c>mlp.down_proj</c>, its residual add and the final norm run in float32 (the weights upcast
/// on the fly): that projection's output reaches ~505 000 on real lyrics, past fp16's 65 504, and turns every lyric
/// run into NaN on GPUs without bf16 (issue 18; measured by the V100/T4 FP16 study cited in docs/parity.md). Other
/// dtypes are unchanged.
/// </summary>
public sealed class LyricEncoder : StackedEncoder
{
    private readonly Linear _embedTokens;

    /// <summary>Creates the encoder with TorchSharp's default (seeded) initialisation.</summary>
    /// <param name="sizes">Stack widths.</param>
    /// <param name="layers">Depth (8).</param>
    /// <param name="textHidden">Width of the text embeddings (1024).</param>
    public LyricEncoder(EncoderStackSizes sizes, int layers, long textHidden) : base(nameof(LyricEncoder), sizes, layers)
    {
        _embedTokens = nn.Linear(textHidden, sizes.Hidden, hasBias: true);
        register_module(TensorNames.EmbedTokens, _embedTokens);
    }

    /// <summary>Encodes lyric embeddings [B, Ll, textHidden] with validity mask [B, Ll] → [B, Ll, hidden].</summary>
    public Tensor Forward(Tensor lyricEmbeddings, Tensor lyricMask)
    {
        ArgumentNullException.ThrowIfNull(lyricEmbeddings);
        ArgumentNullException.ThrowIfNull(lyricMask);
        using var scope = NewDisposeScope();
        var h = _embedTokens.forward(lyricEmbeddings);
        return RunLayers(h, lyricMask, float32LastProjection: h.dtype == ScalarType.Float16).MoveToOuterDisposeScope();
    }
}
