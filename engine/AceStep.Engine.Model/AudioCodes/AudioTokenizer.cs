using AceStep.Engine.Model.Config;
using AceStep.Engine.Model.Modules;
using AceStep.Engine.Model.Quantization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.AudioCodes;

/// <summary>
/// <c>AceStepAudioTokenizer</c> (spec §4.7): 25 Hz VAE latents [B, T, 64] → 5 Hz FSQ codes. Frames are padded to a multiple
/// of the pool window with silence latents, projected (<c>audio_acoustic_proj</c>, Linear 64→2048), pooled 5 → 1 by the
/// <see cref="AttentionPooler"/> and quantized by the <see cref="ResidualFsq"/> (<c>quantizer</c>). Used by cover (the
/// source's semantic codes) and to turn audio into LM codes.
/// </summary>
public sealed class AudioTokenizer : nn.Module
{
    private readonly Linear _audioAcousticProj;
    private readonly AttentionPooler _attentionPooler;
    private readonly ResidualFsq _quantizer;

    /// <summary>Creates the tokenizer with TorchSharp's default (seeded) initialisation.</summary>
    public AudioTokenizer(AceStepConfig config) : base(nameof(AudioTokenizer))
    {
        ArgumentNullException.ThrowIfNull(config);
        PoolWindow = config.PoolWindow;
        _audioAcousticProj = nn.Linear(config.LatentChannels, config.Hidden, hasBias: true);
        _attentionPooler = new AttentionPooler(config.StackSizes, config.PoolerLayers);
        _quantizer = new ResidualFsq(config.Hidden, new FsqCodebook(config.FsqLevels));
        register_module(TensorNames.AudioAcousticProj, _audioAcousticProj);
        register_module(TensorNames.AttentionPooler, _attentionPooler);
        register_module(TensorNames.Quantizer, _quantizer);
    }

    /// <summary>25 Hz frames per code (5).</summary>
    public int PoolWindow { get; }

    /// <summary>The FSQ quantizer (also decodes LM code indices).</summary>
    public ResidualFsq Quantizer => _quantizer;

    /// <summary>
    /// Tokenizes latents [B, T, 64] → (quantized [B, ⌈T/5⌉, hidden], indices [B, ⌈T/5⌉, 1]).
    /// </summary>
    /// <param name="latents">VAE latents.</param>
    /// <param name="silenceLatent">Silence latents [1, ≥ 4, 64] whose first frames pad T up to a multiple of 5 (upstream
    /// pads with silence, not zeros, so the last code describes silence rather than a numerical edge).</param>
    public (Tensor Quantized, Tensor Indices) Forward(Tensor latents, Tensor silenceLatent)
    {
        ArgumentNullException.ThrowIfNull(latents);
        ArgumentNullException.ThrowIfNull(silenceLatent);
        using var scope = NewDisposeScope();
        var (batch, frames, channels) = (latents.shape[0], latents.shape[1], latents.shape[2]);
        var remainder = frames % PoolWindow;
        var x = latents;
        if (remainder != 0)
        {
            var pad = PoolWindow - remainder;
            if (silenceLatent.shape[1] < pad)
                throw new ArgumentException($"The silence latent has {silenceLatent.shape[1]} frames; {pad} are needed.", nameof(silenceLatent));
            var fill = silenceLatent[.., ..(int)pad, ..].to(latents.dtype, latents.device).expand(batch, pad, channels);
            x = cat([latents, fill], dim: 1);
        }

        var codes = x.shape[1] / PoolWindow;
        var projected = _audioAcousticProj.forward(x).reshape(batch, codes, PoolWindow, -1);                // [B, T5, 5, H]
        var pooled = _attentionPooler.Forward(projected);                                                    // [B, T5, H]
        var (quantized, indices) = _quantizer.Forward(pooled);
        return (quantized.MoveToOuterDisposeScope(), indices.MoveToOuterDisposeScope());
    }
}
