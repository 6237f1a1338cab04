using AceStep.Engine.Model.Config;
using AceStep.Engine.Model.Modules;
using AceStep.Engine.Model.Weights;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Qwen;

/// <summary>
/// The Qwen3 decoder stack without an output head (HF <c>Qwen3Model</c>): <c>embed_tokens</c>, <c>layers.{i}</c> with the
/// same pre-norm block, q/k RMSNorm and GQA as ACE-Step's encoder layers, and a final <c>norm</c>; causal attention, RoPE
/// from position 0. As the Qwen3-Embedding-0.6B text encoder (spec §3.5, §5) it yields the caption's
/// <c>last_hidden_state</c> and, for lyrics, only the embedding lookup.
/// </summary>
public sealed class Qwen3TextModel : nn.Module
{
    /// <summary>The checkpoint prefix LM checkpoints put before every name; the embedding checkpoint has none.</summary>
    public const string ModelPrefix = "model.";

    private readonly Compact.TokenEmbedding _embedTokens;
    private readonly EncoderLayer[] _layers;
    private readonly RmsNorm _norm;
    private readonly RotaryEmbedding _rope;

    /// <summary>Creates the model with TorchSharp's default (seeded) initialisation.</summary>
    public Qwen3TextModel(Qwen3Config config) : base(nameof(Qwen3TextModel))
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        _embedTokens = new Compact.TokenEmbedding(config.VocabSize, config.Hidden);
        _layers = Enumerable.Range(0, config.Layers)
            .Select(i => new EncoderLayer(i, config.Hidden, config.Intermediate, config.Heads, config.KvHeads, config.HeadDim, config.Eps))
            .ToArray();
        _norm = new RmsNorm(config.Hidden, config.Eps);
        _rope = new RotaryEmbedding(config.HeadDim, config.RopeTheta);
        register_module(TensorNames.EmbedTokens, _embedTokens);
        register_module(TensorNames.Layers, new ModuleList<EncoderLayer>(_layers));
        register_module(TensorNames.Norm, _norm);
    }

    /// <summary>The configuration the model was built with.</summary>
    public Qwen3Config Config { get; }

    /// <summary>
    /// Loads a checkpoint directory in the Hugging Face layout (<c>config.json</c> + <c>model.safetensors</c> or a sharded
    /// index), strictly, onto the runtime's device and dtype. Names are accepted with or without <c>model.</c>.
    /// </summary>
    /// <exception cref="ModelConfigException">config.json is missing or not a Qwen3 layout.</exception>
    /// <exception cref="CheckpointMismatchException">A tensor is missing or has the wrong shape.</exception>
    public static Qwen3TextModel Load(string directory, WeightLoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(options);
        var config = Qwen3Config.Load(Path.Combine(directory, "config.json"));
        // Every weight is about to be overwritten (loading is strict): skip the random initialisation, so the large
        // weights stay untouched memory until loaded (and, held compactly, are never all in fp32 at once).
        Qwen3TextModel model;
        using (Compact.ParameterInitialisation.Skip())
            model = new Qwen3TextModel(config);
        try
        {
            using var checkpoint = CheckpointIndex.Open(directory);
            WeightLoader.Load(model, checkpoint, string.Empty, options with
            {
                PrefixAliases = [ModelPrefix],
                IgnoreUnexpected = name => name.StartsWith("lm_head.", StringComparison.Ordinal),
            });
            model.eval();
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>The embedding lookup only: ids [B, L] (int64) → [B, L, hidden]. Used for lyrics (spec §5.2).</summary>
    public Tensor Embed(Tensor inputIds)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        CheckIds(inputIds);
        return _embedTokens.forward(inputIds);
    }

    /// <summary>
    /// The full causal forward: ids [B, L] → last_hidden_state [B, L, hidden] after the final norm. Right padding does not
    /// change the valid positions (attention is causal), which is why upstream passes no attention mask (spec §5.1).
    /// </summary>
    public Tensor Forward(Tensor inputIds)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        CheckIds(inputIds);
        using var scope = NewDisposeScope();
        var h = _embedTokens.forward(inputIds);                                                              // [B, L, H]
        var mask = AttentionMasks.Causal(inputIds.shape[1], h.device, h.dtype);                              // [1, 1, L, L]
        foreach (var layer in _layers)
            h = layer.Forward(h, _rope, mask);
        return _norm.forward(h).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _rope.Dispose();
        base.Dispose(disposing);
    }

    private void CheckIds(Tensor ids)
    {
        if (ids.dim() != 2 || ids.dtype != ScalarType.Int64)
            throw new ArgumentException($"Expected token ids [B, L] of int64, got {ids.dtype} with {ids.dim()} dimensions.", nameof(ids));
        if (ids.numel() == 0)
            throw new ArgumentException("At least one token is required.", nameof(ids));
        var max = ids.max().item<long>();
        var min = ids.min().item<long>();
        if (min < 0 || max >= Config.VocabSize)
            throw new ArgumentOutOfRangeException(nameof(ids), $"Token ids must lie in [0, {Config.VocabSize}); got {min}..{max}.");
    }
}
