using AceStep.Engine.Model.Modules;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.AudioCodes;

/// <summary>
/// The tokenizer's <c>AttentionPooler</c> (spec §4.7 step 3): each group of W frames [B, T5, W, hidden] is embedded
/// (<c>embed_tokens</c>, Linear, bias), gets the learned <c>special_token</c> prepended (W + 1 tokens, positions 0..W),
/// runs through 2 encoder layers and <c>norm</c>, and is summarised by the output at position 0 → [B, T5, hidden].
/// </summary>
public sealed class AttentionPooler : StackedEncoder
{
    private readonly Linear _embedTokens;

    /// <summary>Creates the pooler with TorchSharp's default (seeded) initialisation.</summary>
    public AttentionPooler(EncoderStackSizes sizes, int layers) : base(nameof(AttentionPooler), sizes, layers)
    {
        _embedTokens = nn.Linear(sizes.Hidden, sizes.Hidden, hasBias: true);
        register_module(TensorNames.EmbedTokens, _embedTokens);
        register_parameter(TensorNames.SpecialToken, new Parameter(randn(1, 1, sizes.Hidden) * 0.02, requires_grad: false));
    }

    /// <summary>The learned summary token [1, 1, hidden].</summary>
    public Parameter SpecialToken =>
        get_parameter(TensorNames.SpecialToken) ?? throw new InvalidOperationException("AttentionPooler lost its special_token.");

    /// <summary>Pools frame groups [B, T5, W, hidden] → [B, T5, hidden].</summary>
    public Tensor Forward(Tensor groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        if (groups.dim() != 4)
            throw new ArgumentException($"Expected frame groups [B, T5, W, hidden], got {groups.dim()} dimensions.", nameof(groups));
        using var scope = NewDisposeScope();
        var (batch, codes, window, hidden) = (groups.shape[0], groups.shape[1], groups.shape[2], groups.shape[3]);
        var h = _embedTokens.forward(groups).reshape(batch * codes, window, hidden);                        // [B·T5, W, H]
        var special = SpecialToken.to_type(h.dtype).expand(batch * codes, 1, hidden);                       // [B·T5, 1, H]
        h = RunLayers(cat([special, h], dim: 1));                                                            // [B·T5, W+1, H]
        return h[.., 0, ..].reshape(batch, codes, hidden).MoveToOuterDisposeScope();                         // [B, T5, H]
    }
}
