using AceStep.Engine.Model.Config;
using AceStep.Engine.Model.Modules;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Conditioning;

/// <summary>
/// <c>AceStepConditionEncoder</c> (spec §4.6): projects the caption's text-encoder states, encodes the lyric embeddings and
/// the reference clips, and packs them as [lyrics | timbre | caption] with valid tokens first. Checkpoint names under
/// <c>encoder.</c>: <c>text_projector.weight</c>, <c>lyric_encoder.*</c>, <c>timbre_encoder.*</c>.
/// </summary>
public sealed class ConditionEncoder : nn.Module
{
    private readonly Linear _textProjector;
    private readonly LyricEncoder _lyricEncoder;
    private readonly TimbreEncoder _timbreEncoder;

    /// <summary>Creates the encoder with TorchSharp's default (seeded) initialisation.</summary>
    public ConditionEncoder(AceStepConfig config) : base(nameof(ConditionEncoder))
    {
        ArgumentNullException.ThrowIfNull(config);
        _textProjector = nn.Linear(config.TextHidden, config.Hidden, hasBias: false);
        _lyricEncoder = new LyricEncoder(config.StackSizes, config.LyricLayers, config.TextHidden);
        _timbreEncoder = new TimbreEncoder(config.StackSizes, config.TimbreLayers, config.TimbreChannels);
        register_module(TensorNames.TextProjector, _textProjector);
        register_module(TensorNames.LyricEncoder, _lyricEncoder);
        register_module(TensorNames.TimbreEncoder, _timbreEncoder);
    }

    /// <summary>Builds the packed condition enc [B, Ll + refs + Lt, hidden] and its mask [B, …] (the DiT ignores the mask).</summary>
    /// <param name="inputs">Caption states, lyric embeddings and reference clips of one batch.</param>
    public (Tensor Hidden, Tensor Mask) Forward(ConditionInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        using var scope = NewDisposeScope();
        var batch = (int)inputs.TextHidden.shape[0];
        var caption = _textProjector.forward(inputs.TextHidden);                                            // [B, Lt, H]
        var lyrics = _lyricEncoder.Forward(inputs.LyricEmbeddings, inputs.LyricMask);                       // [B, Ll, H]
        var clips = _timbreEncoder.Forward(inputs.ReferenceLatents);                                        // [N, H]
        var (timbre, timbreMask) = TimbreEncoder.Unpack(clips, inputs.ReferenceOwner, batch);               // [B, R, H]
        var (lyricTimbre, lyricTimbreMask) = SequencePacking.Pack(lyrics, inputs.LyricMask, timbre, timbreMask);
        var (packed, mask) = SequencePacking.Pack(lyricTimbre, lyricTimbreMask, caption, inputs.TextMask);
        return (packed.MoveToOuterDisposeScope(), mask.MoveToOuterDisposeScope());
    }
}

/// <summary>What the condition encoder reads for one batch.</summary>
/// <param name="TextHidden">Qwen3-Embedding last_hidden_state of the caption prompts [B, Lt, 1024].</param>
/// <param name="TextMask">[B, Lt], 1 = real token.</param>
/// <param name="LyricEmbeddings">Qwen3-Embedding token embeddings of the lyric prompts [B, Ll, 1024].</param>
/// <param name="LyricMask">[B, Ll], 1 = real token.</param>
/// <param name="ReferenceLatents">Packed reference clips [N, 750, 64] (silence latents when the user gave none).</param>
/// <param name="ReferenceOwner">Batch item of each clip, length N.</param>
public sealed record ConditionInputs(
    Tensor TextHidden,
    Tensor TextMask,
    Tensor LyricEmbeddings,
    Tensor LyricMask,
    Tensor ReferenceLatents,
    IReadOnlyList<int> ReferenceOwner);
