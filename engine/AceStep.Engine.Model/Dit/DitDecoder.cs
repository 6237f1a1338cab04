using AceStep.Engine.Model.Modules;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Dit;

/// <summary>
/// The ACE-Step DiT decoder (<c>AceStepDiTModel</c>, spec §4.5, §4.10): predicts the flow velocity v [B, T, 64] from
/// the noisy latent x_t, timesteps t and r, the packed condition and the context latents. Parameter names equal the
/// checkpoint's under <c>decoder.</c> (spec §4.9): <c>proj_in.1.*</c>, <c>time_embed.*</c>, <c>time_embed_r.*</c>,
/// <c>condition_embedder.*</c>, <c>layers.{i}.*</c>, <c>norm_out.weight</c>, <c>scale_shift_table</c> [1, 2, hidden],
/// <c>proj_out.1.*</c>.
/// </summary>
public sealed class DitDecoder : nn.Module
{
    private readonly PatchSlot _projIn;
    private readonly Conv1d _patchConv;
    private readonly TimestepEmbedding _timeEmbed;
    private readonly TimestepEmbedding _timeEmbedR;
    private readonly Linear _conditionEmbedder;
    private readonly ModuleList<DitLayer> _layers;
    private readonly DitLayer[] _layerArray;
    private readonly RmsNorm _normOut;
    private readonly PatchSlot _projOut;
    private readonly ConvTranspose1d _patchDeconv;
    private readonly RotaryEmbedding _rope;

    /// <summary>Creates the decoder with TorchSharp's default (seeded) initialisation.</summary>
    /// <param name="options">Sizes; null means the shipped 2B configuration.</param>
    public DitDecoder(DitDecoderOptions? options = null) : base(nameof(DitDecoder))
    {
        Options = options ?? new DitDecoderOptions();
        var o = Options;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(o.Layers);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(o.PatchSize);

        _patchConv = nn.Conv1d(o.ContextChannels + o.LatentChannels, o.Hidden, o.PatchSize, stride: o.PatchSize);
        _projIn = new PatchSlot(_patchConv);
        _timeEmbed = new TimestepEmbedding(o.TimestepChannels, o.Hidden);
        _timeEmbedR = new TimestepEmbedding(o.TimestepChannels, o.Hidden);
        _conditionEmbedder = nn.Linear(o.Hidden, o.Hidden, hasBias: true);
        _layerArray = Enumerable.Range(0, o.Layers)
            .Select(i => new DitLayer(i, o.Hidden, o.Intermediate, o.Heads, o.KvHeads, o.HeadDim, o.SlidingWindow, o.Eps))
            .ToArray();
        _layers = new ModuleList<DitLayer>(_layerArray);
        _normOut = new RmsNorm(o.Hidden, o.Eps);
        _patchDeconv = nn.ConvTranspose1d(o.Hidden, o.LatentChannels, o.PatchSize, stride: o.PatchSize);
        _projOut = new PatchSlot(_patchDeconv);
        _rope = new RotaryEmbedding(o.HeadDim, o.RopeTheta);

        register_module(TensorNames.ProjIn, _projIn);
        register_module(TensorNames.TimeEmbed, _timeEmbed);
        register_module(TensorNames.TimeEmbedR, _timeEmbedR);
        register_module(TensorNames.ConditionEmbedder, _conditionEmbedder);
        register_module(TensorNames.Layers, _layers);
        register_module(TensorNames.NormOut, _normOut);
        register_parameter(TensorNames.ScaleShiftTable, new Parameter(randn(1, 2, o.Hidden) / Math.Sqrt(o.Hidden)));
        register_module(TensorNames.ProjOut, _projOut);
    }

    /// <summary>The sizes this decoder was built with.</summary>
    public DitDecoderOptions Options { get; }

    /// <summary>The layer stack, in order.</summary>
    public IReadOnlyList<DitLayer> Layers => _layerArray;

    /// <summary>The output modulation table <c>scale_shift_table</c> [1, 2, hidden] (shift, scale).</summary>
    public Parameter ScaleShiftTable =>
        get_parameter(TensorNames.ScaleShiftTable) ?? throw new InvalidOperationException("DitDecoder lost its scale_shift_table.");

    /// <summary>
    /// Embeds the packed condition enc [B, Lc, hidden] with <c>condition_embedder</c> and projects every layer's
    /// cross-attention K/V once, for reuse on every sampler step of a generation.
    /// </summary>
    public CrossAttentionCache PrepareCrossAttention(Tensor encoderStates)
    {
        ArgumentNullException.ThrowIfNull(encoderStates);
        using var scope = NewDisposeScope();
        var embedded = _conditionEmbedder.forward(encoderStates);                                             // [B, Lc, H]
        return new CrossAttentionCache(_layerArray.Select(layer => layer.CrossKeyValue(embedded)).ToList());
    }

    /// <summary>One DiT call, embedding the condition and projecting cross-attention K/V on the fly.</summary>
    /// <param name="noisyLatent">x_t [B, T, 64].</param>
    /// <param name="timestep">t [B].</param>
    /// <param name="timestepR">r [B] (equal to t at inference).</param>
    /// <param name="encoderStates">Packed condition enc [B, Lc, hidden].</param>
    /// <param name="context">Context latents [B, T, 128]: source/hint latents (0–63) then chunk mask (64–127).</param>
    /// <returns>Velocity v [B, T, 64].</returns>
    public Tensor Forward(Tensor noisyLatent, Tensor timestep, Tensor timestepR, Tensor encoderStates, Tensor context)
    {
        using var cache = PrepareCrossAttention(encoderStates);
        return Forward(noisyLatent, timestep, timestepR, cache, context);
    }

    /// <summary>One DiT call with cross-attention K/V from <see cref="PrepareCrossAttention"/>.</summary>
    /// <param name="noisyLatent">x_t [B, T, 64].</param>
    /// <param name="timestep">t [B].</param>
    /// <param name="timestepR">r [B] (equal to t at inference).</param>
    /// <param name="cache">Cross-attention K/V of this generation's condition, same batch size.</param>
    /// <param name="context">Context latents [B, T, 128].</param>
    /// <returns>Velocity v [B, T, 64].</returns>
    public Tensor Forward(Tensor noisyLatent, Tensor timestep, Tensor timestepR, CrossAttentionCache cache, Tensor context)
    {
        ArgumentNullException.ThrowIfNull(noisyLatent);
        ArgumentNullException.ThrowIfNull(timestep);
        ArgumentNullException.ThrowIfNull(timestepR);
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(context);
        if (cache.Count != _layerArray.Length)
        {
            throw new ArgumentException($"The cache holds {cache.Count} layers, the decoder has {_layerArray.Length}.", nameof(cache));
        }

        using var scope = NewDisposeScope();
        var frames = noisyLatent.shape[1];

        // time_embed_r sees t − r (0 at inference); its output is a constant but belongs to the sum.
        var (tembT, projT) = _timeEmbed.Forward(timestep);
        var (tembR, projR) = _timeEmbedR.Forward(timestep - timestepR);
        var temb = tembT + tembR;                                                                            // [B, H]
        var proj = projT + projR;                                                                            // [B, 6, H]

        // Channel order [context 0–127 | x_t 128–191]; the conv wants channels first.
        var h = cat([context, noisyLatent], dim: -1).transpose(1, 2);                                         // [B, 192, T]
        var remainder = frames % Options.PatchSize;
        if (remainder != 0)
        {
            // Right-pad zero frames so the stride-P conv covers the last frame; the output is cropped back to T.
            h = nn.functional.pad(h, [0, Options.PatchSize - remainder]);                                    // [B, 192, T']
        }

        h = _patchConv.forward(h).transpose(1, 2);                                                           // [B, T'/P, H]
        var tokens = h.shape[1];

        foreach (var layer in _layerArray)
        {
            var mask = layer.SelfAttentionMask(tokens, h.device, h.dtype);                                   // band or null
            h = layer.Forward(h, proj, _rope, mask, cache[layer.LayerIndex]);
        }

        // Output AdaLN: (shift, scale) = split_2(table [1, 2, H] + temb[:, None, :]).
        var modulation = (ScaleShiftTable + temb.unsqueeze(1)).chunk(2, dim: 1);                             // 2 × [B, 1, H]
        h = _normOut.forward(h) * (1 + modulation[1]) + modulation[0];                                       // [B, T'/P, H]
        var v = _patchDeconv.forward(h.transpose(1, 2)).transpose(1, 2);                                     // [B, T', 64]
        return v[.., ..(int)frames, ..].contiguous().MoveToOuterDisposeScope();                            // [B, T, 64]
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _rope.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>
    /// Holds a patch (de)convolution under the child name <c>1</c>, reproducing upstream's nn.Sequential whose index 0
    /// is a parameterless transpose, so parameter names come out as <c>proj_in.1.weight</c> without a rename table.
    /// </summary>
    private sealed class PatchSlot : nn.Module
    {
        public PatchSlot(nn.Module conv) : base(nameof(PatchSlot)) => register_module(TensorNames.PatchConvIndex, conv);
    }
}
