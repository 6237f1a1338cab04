using AceStep.Engine.Model.Config;
using AceStep.Engine.Model.Modules;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.AudioCodes;

/// <summary>
/// <c>AudioTokenDetokenizer</c> (spec §4.7): 5 Hz quantized tokens [B, T5, hidden] → <c>embed_tokens</c> (Linear, bias) →
/// each token repeated 5× plus the learned per-position <c>special_tokens</c> [1, 5, hidden] → 2 encoder layers over each
/// 5-token group (positions 0..4) → <c>norm</c> → <c>proj_out</c> (Linear → 64, bias) → 25 Hz "LM hints" [B, 5·T5, 64].
/// </summary>
public sealed class AudioDetokenizer : StackedEncoder
{
    private readonly Linear _embedTokens;
    private readonly Linear _projOut;

    /// <summary>Creates the detokenizer with TorchSharp's default (seeded) initialisation.</summary>
    public AudioDetokenizer(AceStepConfig config) : base(nameof(AudioDetokenizer), (config ?? throw new ArgumentNullException(nameof(config))).StackSizes, config.PoolerLayers)
    {
        PoolWindow = config.PoolWindow;
        _embedTokens = nn.Linear(config.Hidden, config.Hidden, hasBias: true);
        _projOut = nn.Linear(config.Hidden, config.LatentChannels, hasBias: true);
        register_module(TensorNames.EmbedTokens, _embedTokens);
        register_parameter(TensorNames.SpecialTokens, new Parameter(randn(1, config.PoolWindow, config.Hidden) * 0.02, requires_grad: false));
        register_module(TensorNames.ProjOut, _projOut);
    }

    /// <summary>25 Hz frames per code (5).</summary>
    public int PoolWindow { get; }

    /// <summary>The learned per-position tokens [1, 5, hidden].</summary>
    public Parameter SpecialTokens =>
        get_parameter(TensorNames.SpecialTokens) ?? throw new InvalidOperationException("AudioDetokenizer lost its special_tokens.");

    /// <summary>Expands quantized tokens [B, T5, hidden] → hints [B, 5·T5, 64].</summary>
    public Tensor Forward(Tensor quantized)
    {
        ArgumentNullException.ThrowIfNull(quantized);
        using var scope = NewDisposeScope();
        var (batch, codes, hidden) = (quantized.shape[0], quantized.shape[1], quantized.shape[2]);
        var h = _embedTokens.forward(quantized).unsqueeze(2).expand(batch, codes, PoolWindow, hidden);     // [B, T5, 5, H]
        h = (h + SpecialTokens.to_type(h.dtype).unsqueeze(0)).reshape(batch * codes, PoolWindow, hidden);   // [B·T5, 5, H]
        h = RunLayers(h);
        return _projOut.forward(h).reshape(batch, codes * PoolWindow, -1).MoveToOuterDisposeScope();       // [B, 5·T5, 64]
    }
}
