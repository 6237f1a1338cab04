using AceStep.Engine.Model.AudioCodes;
using AceStep.Engine.Model.Conditioning;
using AceStep.Engine.Model.Config;
using AceStep.Engine.Model.Dit;
using AceStep.Engine.Model.Modules;
using AceStep.Engine.Model.Weights;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Generation;

/// <summary>
/// The whole DiT checkpoint (<c>AceStepConditionGenerationModel</c>, spec §4): <c>decoder</c>, <c>encoder</c>,
/// <c>tokenizer</c>, <c>detokenizer</c> and <c>null_condition_emb</c>, with parameter names equal to
/// <c>model.safetensors</c>'s, and <see cref="PrepareCondition"/> (§4.8) turning encoded text, lyrics, references and
/// source latents into the decoder's condition and context.
/// </summary>
public sealed class AceStepConditionGenerationModel : nn.Module
{
    /// <summary>File name of the weights in a checkpoint directory.</summary>
    public const string WeightsFile = "model.safetensors";

    /// <summary>File name of the silence latent in a checkpoint directory.</summary>
    public const string SilenceLatentFile = "silence_latent.pt";

    private readonly DitDecoder _decoder;
    private readonly ConditionEncoder _encoder;
    private readonly AudioTokenizer _tokenizer;
    private readonly AudioDetokenizer _detokenizer;

    /// <summary>Creates the model with TorchSharp's default (seeded) initialisation.</summary>
    public AceStepConditionGenerationModel(AceStepConfig config) : base(nameof(AceStepConditionGenerationModel))
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        _decoder = new DitDecoder(config.DecoderOptions);
        _encoder = new ConditionEncoder(config);
        _tokenizer = new AudioTokenizer(config);
        _detokenizer = new AudioDetokenizer(config);
        register_module(TensorNames.Decoder, _decoder);
        register_module(TensorNames.Encoder, _encoder);
        register_module(TensorNames.Tokenizer, _tokenizer);
        register_module(TensorNames.Detokenizer, _detokenizer);
        register_parameter(TensorNames.NullConditionEmb, new Parameter(randn(1, 1, config.Hidden) * 0.02, requires_grad: false));
    }

    /// <summary>The configuration the model was built with.</summary>
    public AceStepConfig Config { get; }

    /// <summary>The flow-matching decoder.</summary>
    public DitDecoder Decoder => _decoder;

    /// <summary>The condition encoder.</summary>
    public ConditionEncoder Encoder => _encoder;

    /// <summary>The 5 Hz audio tokenizer.</summary>
    public AudioTokenizer Tokenizer => _tokenizer;

    /// <summary>The detokenizer (codes → 25 Hz hints).</summary>
    public AudioDetokenizer Detokenizer => _detokenizer;

    /// <summary>The learned unconditional embedding [1, 1, hidden].</summary>
    public Parameter NullConditionEmbedding =>
        get_parameter(TensorNames.NullConditionEmb) ?? throw new InvalidOperationException("The model lost null_condition_emb.");

    /// <summary>
    /// Loads a checkpoint directory (<c>config.json</c> + <c>model.safetensors</c> or a sharded index), strictly: every
    /// tensor of the model must be present with its exact shape, and tensors the model does not know are refused, so a
    /// checkpoint of another architecture cannot load half-way.
    /// </summary>
    /// <exception cref="ModelConfigException">config.json is missing or describes another architecture.</exception>
    /// <exception cref="CheckpointMismatchException">Missing, mis-shaped or unknown tensors (all listed, with the file).</exception>
    /// <exception cref="CheckpointFormatException">A weights file is malformed.</exception>
    public static AceStepConditionGenerationModel Load(string directory, WeightLoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(options);
        var config = AceStepConfig.Load(Path.Combine(directory, "config.json"));
        // Every weight is about to be overwritten (loading is strict): skip the random initialisation, so the large
        // weights stay untouched memory until loaded (and, held compactly, are never all in fp32 at once).
        AceStepConditionGenerationModel model;
        using (Compact.ParameterInitialisation.Skip())
            model = new AceStepConditionGenerationModel(config);
        try
        {
            using var checkpoint = CheckpointIndex.Open(directory);
            WeightLoader.Load(model, checkpoint, string.Empty, options with { RejectUnexpected = true });
            model.eval();
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>
    /// <c>prepare_condition</c> (spec §4.8): encodes the condition and builds the context [B, T, 128] = [source or hints |
    /// chunk mask]. Cover items take the source's detokenized FSQ codes (or the given LM hints) instead of the raw source.
    /// </summary>
    /// <param name="inputs">Caption, lyrics and references.</param>
    /// <param name="target">Source latents, chunk mask, cover flags and optional precomputed hints.</param>
    /// <param name="silenceLatent">Silence latents [1, ≥ 4, 64], used to pad the tokenizer's input.</param>
    public ConditionSet PrepareCondition(ConditionInputs inputs, TargetInputs target, Tensor silenceLatent)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(silenceLatent);
        var batch = target.SourceLatents.shape[0];
        var frames = target.SourceLatents.shape[1];
        if (target.IsCover.Count != batch || inputs.TextHidden.shape[0] != batch)
            throw new ArgumentException($"Batch sizes disagree: {batch} source latents, {target.IsCover.Count} cover flags, {inputs.TextHidden.shape[0]} captions.", nameof(target));

        using var scope = NewDisposeScope();
        var (enc, _) = _encoder.Forward(inputs);                                                            // [B, Lc, H]
        var source = target.SourceLatents;
        if (target.IsCover.Any(c => c))
        {
            var hints = target.Hints ?? DecodeToHints(_tokenizer.Forward(source, silenceLatent).Quantized);
            hints = FitFrames(hints, frames, silenceLatent).to(source.dtype);                                // [B, T, 64]
            var coverRows = tensor(target.IsCover.ToArray(), device: source.device).view(batch, 1, 1);
            source = where(coverRows, hints, source);
        }

        var mask = target.ChunkMask.dim() == 2
            ? target.ChunkMask.unsqueeze(-1).expand(batch, frames, Config.LatentChannels)
            : target.ChunkMask;
        var context = cat([source, mask.to(source.dtype)], dim: -1);                                        // [B, T, 128]
        return new ConditionSet(enc.MoveToOuterDisposeScope(), context.MoveToOuterDisposeScope());
    }

    /// <summary>The unconditional encoder states for CFG: <c>null_condition_emb</c> broadcast over every token of
    /// <paramref name="encoderStates"/> [B, Lc, hidden] (spec §8.5).</summary>
    public Tensor NullCondition(Tensor encoderStates)
    {
        ArgumentNullException.ThrowIfNull(encoderStates);
        return NullConditionEmbedding.to_type(encoderStates.dtype).expand(encoderStates.shape).contiguous();
    }

    /// <summary>
    /// LM audio codes → 25 Hz hints (spec §4.7 handler wrapper): indices [B, T5] clamped to the codebook → FSQ decode →
    /// detokenizer → [B, 5·T5, 64].
    /// </summary>
    public Tensor HintsFromCodes(Tensor codeIndices)
    {
        ArgumentNullException.ThrowIfNull(codeIndices);
        using var scope = NewDisposeScope();
        var clamped = codeIndices.to_type(ScalarType.Int64).clamp(0, _tokenizer.Quantizer.Codebook.CodebookSize - 1);
        var quantized = _tokenizer.Quantizer.FromIndices(clamped.unsqueeze(-1));                             // [B, T5, H]
        return DecodeToHints(quantized).MoveToOuterDisposeScope();
    }

    private Tensor DecodeToHints(Tensor quantized) => _detokenizer.Forward(quantized);

    // Hints come in multiples of 5 frames; crop to T, or (LM codes shorter than the target) pad with silence.
    private static Tensor FitFrames(Tensor hints, long frames, Tensor silenceLatent)
    {
        var have = hints.shape[1];
        if (have >= frames)
            return hints[.., ..(int)frames, ..];
        var missing = frames - have;
        if (silenceLatent.shape[1] < missing)
            throw new ArgumentException($"The hints cover {have} of {frames} frames and the silence latent cannot fill the rest.");
        var fill = silenceLatent[.., ..(int)missing, ..].to(hints.dtype, hints.device).expand(hints.shape[0], missing, hints.shape[2]);
        return cat([hints, fill], dim: 1);
    }
}

/// <summary>The per-item target of a generation (spec §9.1 items 4–7).</summary>
/// <param name="SourceLatents">[B, T, 64]: the source's latents (repaint: with the repainted span replaced by silence), or
/// silence latents for text-to-music.</param>
/// <param name="ChunkMask">[B, T] or [B, T, 64]: 1 = generate, 0 = keep.</param>
/// <param name="IsCover">Per item: take the source's semantic codes (or <paramref name="Hints"/>) as context.</param>
/// <param name="Hints">Precomputed 25 Hz hints [B, T', 64] (from LM codes), or null to tokenize the source.</param>
public sealed record TargetInputs(Tensor SourceLatents, Tensor ChunkMask, IReadOnlyList<bool> IsCover, Tensor? Hints = null);
