using AceStep.Engine.Model.Compact;
using AceStep.Engine.Model.Config;
using AceStep.Engine.Model.Modules;
using AceStep.Engine.Model.Weights;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Lm;

/// <summary>
/// The 5 Hz LM planner's network (HF <c>Qwen3ForCausalLM</c>, spec §3.4, §7): <c>model.embed_tokens</c>,
/// <c>model.layers.{i}</c>, <c>model.norm</c> and an output head — <c>lm_head.weight</c> only when
/// <c>tie_word_embeddings</c> is false, otherwise the embedding matrix (a stored <c>lm_head.weight</c> is then ignored,
/// as HF's weight tying overwrites it). Decodes incrementally: <see cref="Prefill"/> runs the left-padded prompts of all
/// rows (conditional and unconditional together) into a preallocated <see cref="KeyValueCache"/>, then each
/// <see cref="Step"/> adds one token per row; both return fp32 logits [B, vocab] of the last position — or, given a
/// <see cref="VocabularyRange"/>, only the logits of those rows [B, count], computed from a view of just that slice of the
/// head's weight (a row block of a row-major matrix is itself contiguous, so nothing is copied and the other rows are
/// never read). In phase 2 that skips 70 % of the head (spec §7.4: only the 64 000 code rows can win).
/// </summary>
public sealed class Qwen3CausalLm : nn.Module
{
    /// <summary>The checkpoint prefix of the decoder stack.</summary>
    public const string ModelPrefix = Qwen.Qwen3TextModel.ModelPrefix;

    /// <summary>The checkpoint name of the untied output head.</summary>
    public const string LmHeadName = "lm_head";

    // RoPE tables are cached per length by RotaryEmbedding; rounding the cache length up keeps the number of distinct
    // tables small across generations of different lengths. Table values do not depend on the table's length.
    private const long RopeTableGranularity = 256;

    private readonly Qwen3DecoderStack _model;
    private readonly Projection? _lmHead;
    private readonly RotaryEmbedding _rope;

    /// <summary>Creates the model with TorchSharp's default (seeded) initialisation.</summary>
    public Qwen3CausalLm(Qwen3Config config) : base(nameof(Qwen3CausalLm))
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        _model = new Qwen3DecoderStack(config);
        _rope = new RotaryEmbedding(config.HeadDim, config.RopeTheta);
        register_module("model", _model);
        if (!config.TieWordEmbeddings)
        {
            _lmHead = new Projection(config.Hidden, config.VocabSize);
            register_module(LmHeadName, _lmHead);
        }
    }

    /// <summary>The configuration the model was built with.</summary>
    public Qwen3Config Config { get; }

    /// <summary>
    /// Loads an LM checkpoint directory (<c>config.json</c> + <c>model.safetensors</c> or a sharded index) strictly onto
    /// the options' device and dtype. Names are accepted with or without <c>model.</c> (spec §3.4).
    /// </summary>
    /// <exception cref="ModelConfigException">config.json is missing or not a Qwen3 layout.</exception>
    /// <exception cref="CheckpointMismatchException">A tensor is missing or has the wrong shape.</exception>
    public static Qwen3CausalLm Load(string directory, WeightLoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(options);
        var config = Qwen3Config.Load(Path.Combine(directory, "config.json"));
        // Every weight is about to be overwritten (loading is strict): skip the random initialisation, so the large
        // weights stay untouched memory until loaded (and, held compactly, are never all in fp32 at once).
        Qwen3CausalLm model;
        using (Compact.ParameterInitialisation.Skip())
            model = new Qwen3CausalLm(config);
        try
        {
            using var checkpoint = CheckpointIndex.Open(directory);
            WeightLoader.Load(model, checkpoint, string.Empty, options with
            {
                PrefixAliases = [ModelPrefix],
                IgnoreUnexpected = name => config.TieWordEmbeddings && name.StartsWith(LmHeadName + ".", StringComparison.Ordinal),
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

    /// <summary>
    /// Allocates the decoding state for <paramref name="batch"/> rows and up to <paramref name="maxLength"/> positions
    /// (padded prompt + generated tokens), in the model's dtype and on its device. Allocate once per generation.
    /// </summary>
    public KeyValueCache CreateCache(long batch, long maxLength)
    {
        var weight = _model.EmbedTokens.weight ?? throw new InvalidOperationException("The embedding has no weight.");
        return new KeyValueCache(_model.LayerCount, batch, Config.KvHeads, maxLength, Config.HeadDim, weight.dtype, weight.device);
    }

    /// <summary>
    /// Runs the prompts into an empty cache and returns the logits of their last position, fp32 [B, vocab].
    /// </summary>
    /// <param name="cache">From <see cref="CreateCache"/>, still empty.</param>
    /// <param name="inputIds">int64 [B, L], left-padded to a common length.</param>
    /// <param name="attentionMask">[B, L], nonzero for real tokens; null when no row is padded. Each row's last token must
    /// be real (left padding), since its logits are the ones returned.</param>
    /// <param name="rows">Only these rows of the head (logits [B, rows.Count]); null for the whole vocabulary.</param>
    public Tensor Prefill(KeyValueCache cache, Tensor inputIds, Tensor? attentionMask = null, VocabularyRange? rows = null)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(inputIds);
        cache.ThrowIfDisposed();
        CheckIds(inputIds, cache);
        rows?.ThrowIfOutside(Config.VocabSize);
        if (cache.Length != 0)
            throw new InvalidOperationException("Prefill needs an empty cache; create one per generation.");
        var length = inputIds.shape[1];
        if (length > cache.MaxLength)
            throw new ArgumentException($"The prompt has {length} positions, the cache holds {cache.MaxLength}.", nameof(inputIds));

        using var scope = NewDisposeScope();
        var device = cache.ValidKeys.device;
        var valid = attentionMask is null
            ? ones([cache.Batch, length], ScalarType.Bool, device)
            : attentionMask.to(device).to_type(ScalarType.Bool);
        if (!valid.shape.SequenceEqual(inputIds.shape))
            throw new ArgumentException($"The attention mask must be [B, L] like the ids, got [{string.Join(", ", valid.shape)}].", nameof(attentionMask));
        if (!valid[.., -1].all().item<bool>())
            throw new ArgumentException("Every row's last prompt token must be real: pad prompts on the left.", nameof(attentionMask));

        // HF's position ids for left padding: each real token's index among its row's real tokens (pads clamp to 0).
        var positions = (valid.to_type(ScalarType.Int64).cumsum(-1) - 1).clamp_min(0);                      // [B, L]
        // A query sees keys that are real and not in its future.
        var causal = ones([length, length], ScalarType.Bool, device).tril();                                 // [L, L]
        var allowed = causal.unsqueeze(0).logical_and(valid.unsqueeze(1));                                   // [B, L, L]

        using (no_grad())
        {
            cache.ValidKeys.narrow(1, 0, length).copy_(valid);
            cache.NextPositions.copy_(valid.sum([1L], type: ScalarType.Int64));
        }

        var logits = Run(cache, inputIds, positions, allowed.unsqueeze(1), start: 0, rows);
        return logits.MoveToOuterDisposeScope();
    }

    /// <summary>Feeds one token per row and returns the logits of that position, fp32 [B, vocab].</summary>
    /// <param name="cache">The generation's cache, after <see cref="Prefill"/>.</param>
    /// <param name="nextIds">int64 [B, 1]: the tokens just chosen.</param>
    /// <param name="rows">Only these rows of the head (logits [B, rows.Count]); null for the whole vocabulary.</param>
    public Tensor Step(KeyValueCache cache, Tensor nextIds, VocabularyRange? rows = null)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(nextIds);
        cache.ThrowIfDisposed();
        CheckIds(nextIds, cache);
        if (nextIds.shape[1] != 1)
            throw new ArgumentException($"Step takes one token per row, got {nextIds.shape[1]}.", nameof(nextIds));
        rows?.ThrowIfOutside(Config.VocabSize);
        if (cache.Length == 0)
            throw new InvalidOperationException("Prefill the cache before stepping.");
        var start = cache.Length;
        if (start >= cache.MaxLength)
            throw new InvalidOperationException($"The cache is full ({cache.MaxLength} positions).");

        using var scope = NewDisposeScope();
        var positions = cache.NextPositions.unsqueeze(1).clone();                                            // [B, 1]
        using (no_grad())
        {
            cache.ValidKeys[.., start] = true;
            cache.NextPositions.add_(1);
        }

        var allowed = cache.ValidKeys.narrow(1, 0, start + 1).view(cache.Batch, 1, 1, start + 1);           // [B, 1, 1, T]
        return Run(cache, nextIds, positions, allowed, start, rows).MoveToOuterDisposeScope();
    }

    /// <summary>True when a step with <paramref name="cache"/> runs on the engine's kernels (<see cref="KernelDecodeStep"/>).</summary>
    internal bool StepsOnKernel(KeyValueCache cache) => KernelDecodeStep.Applies(_model, cache, length: 1);

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _rope.Dispose();
        base.Dispose(disposing);
    }

    // ids [B, L] at cache positions start.. with RoPE positions [B, L] and visibility [B, 1, L, T] → fp32 logits [B, V]
    // of the last position (or [B, rows.Count] for a block of rows).
    private Tensor Run(KeyValueCache cache, Tensor ids, Tensor positions, Tensor allowed, long start, VocabularyRange? rows)
    {
        using var scope = NewDisposeScope();
        var batch = ids.shape[0];
        var length = ids.shape[1];
        var device = cache.ValidKeys.device;
        var tableLength = (cache.MaxLength + RopeTableGranularity - 1) / RopeTableGranularity * RopeTableGranularity;
        var (cosTable, sinTable) = _rope.Tables(tableLength, device);
        Tensor hidden;
        if (KernelDecodeStep.Applies(_model, cache, length))
        {
            // A decode step of a packed LM: the whole stack on the engine's kernels (the tensor path below computes the
            // same, operation by operation).
            using (no_grad())
                hidden = KernelDecodeStep.Run(_model, Config, ids, positions, cosTable, sinTable, cache, start); // [B, 1, H]
        }
        else
        {
            var flat = positions.to(device).flatten();
            var cos = cosTable.index_select(0, flat).view(batch, 1, length, Config.HeadDim);
            var sin = sinTable.index_select(0, flat).view(batch, 1, length, Config.HeadDim);

            var dtype = cache.Keys(0).dtype;
            // The lowest finite value rather than −∞: a left pad's query sees no real key, and a fully masked row must
            // stay finite (NaN would otherwise reach real tokens via 0 · NaN); see AttentionMasks.KeyPadding.
            var mask = zeros(allowed.shape, dtype, device).masked_fill(allowed.logical_not(), LowestFinite(dtype));
            mask = AceStepAttention.FoldCachedMask(mask, Config.Heads / Config.KvHeads, dtype);               // [B, 1, g·L, T]
            using (no_grad())
                hidden = _model.Forward(ids.to(device), cos, sin, cache, start, mask);                      // [B, L, H]
        }

        cache.Length = start + length;
        var last = hidden[.., -1];                                                                           // [B, H]
        IPackableWeight head = _lmHead is null ? _model.EmbedTokens : _lmHead;
        // Only the requested block of rows is read (narrow() of a row-major matrix, or the packed kernel's row range).
        var logits = head.MultiplyRows(last, (int)(rows?.First ?? 0), (int)(rows?.Count ?? Config.VocabSize));
        return logits.to_type(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    private void CheckIds(Tensor ids, KeyValueCache cache)
    {
        if (ids.dim() != 2 || ids.dtype != ScalarType.Int64)
            throw new ArgumentException($"Expected token ids [B, L] of int64, got {ids.dtype} with {ids.dim()} dimensions.", nameof(ids));
        if (ids.shape[0] != cache.Batch)
            throw new ArgumentException($"The cache holds {cache.Batch} rows, the ids have {ids.shape[0]}.", nameof(ids));
        if (ids.shape[1] == 0)
            throw new ArgumentException("At least one token is required.", nameof(ids));
        var max = ids.max().item<long>();
        var min = ids.min().item<long>();
        if (min < 0 || max >= Config.VocabSize)
            throw new ArgumentOutOfRangeException(nameof(ids), $"Token ids must lie in [0, {Config.VocabSize}); got {min}..{max}.");
    }

    private static double LowestFinite(ScalarType dtype) => dtype switch
    {
        ScalarType.Float16 => -65504.0,
        ScalarType.BFloat16 => -3.3895313892515355e38,
        ScalarType.Float64 => double.MinValue,
        ScalarType.Float32 => float.MinValue,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Attention masks are floating point."),
    };
}
