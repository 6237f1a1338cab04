using AceStep.Engine.Model.Compact;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Modules;

/// <summary>
/// ACE-Step attention (spec §4.1): q/k/v/o projections without bias, RMSNorm over head_dim on queries and keys, RoPE on
/// self-attention only, grouped-query attention (each kv head serves heads/kvHeads query heads), scale 1/√headDim and an
/// optional additive mask. Parameters: <c>q_proj.weight</c> [H·D, hidden], <c>k_proj.weight</c>/<c>v_proj.weight</c>
/// [Hkv·D, hidden], <c>o_proj.weight</c> [hidden, H·D], <c>q_norm.weight</c>/<c>k_norm.weight</c> [D].
/// </summary>
public sealed class AceStepAttention : nn.Module
{
    private readonly Projection _qProj;
    private readonly Projection _kProj;
    private readonly Projection _vProj;
    private readonly Projection _oProj;
    private readonly RmsNorm _qNorm;
    private readonly RmsNorm _kNorm;

    /// <summary>Creates the block with TorchSharp's default (seeded) initialisation.</summary>
    /// <param name="hidden">Model width (2048).</param>
    /// <param name="heads">Query heads (16).</param>
    /// <param name="kvHeads">Key/value heads (8); must divide <paramref name="heads"/>.</param>
    /// <param name="headDim">Per-head size (128).</param>
    /// <param name="isCross">Cross-attention: keys/values come from the encoder sequence and get no RoPE.</param>
    /// <param name="eps">Epsilon of q_norm/k_norm.</param>
    public AceStepAttention(long hidden, long heads, long kvHeads, long headDim, bool isCross = false, double eps = 1e-6)
        : base(nameof(AceStepAttention))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hidden);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(heads);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kvHeads);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(headDim);
        if (heads % kvHeads != 0)
        {
            throw new ArgumentException($"{heads} query heads cannot share {kvHeads} key/value heads evenly.", nameof(kvHeads));
        }

        Heads = heads;
        KvHeads = kvHeads;
        HeadDim = headDim;
        IsCross = isCross;
        _qProj = new Projection(hidden, heads * headDim);
        _kProj = new Projection(hidden, kvHeads * headDim);
        _vProj = new Projection(hidden, kvHeads * headDim);
        _oProj = new Projection(heads * headDim, hidden);
        _qNorm = new RmsNorm(headDim, eps);
        _kNorm = new RmsNorm(headDim, eps);
        register_module(TensorNames.QProj, _qProj);
        register_module(TensorNames.KProj, _kProj);
        register_module(TensorNames.VProj, _vProj);
        register_module(TensorNames.OProj, _oProj);
        register_module(TensorNames.QNorm, _qNorm);
        register_module(TensorNames.KNorm, _kNorm);
    }

    /// <summary>Query heads.</summary>
    public long Heads { get; }

    /// <summary>Key/value heads.</summary>
    public long KvHeads { get; }

    /// <summary>Per-head size.</summary>
    public long HeadDim { get; }

    /// <summary>True for cross-attention (no RoPE, keys/values from the encoder sequence).</summary>
    public bool IsCross { get; }

    internal Projection QProj => _qProj;

    internal Projection KProj => _kProj;

    internal Projection VProj => _vProj;

    internal Projection OProj => _oProj;

    internal RmsNorm QNorm => _qNorm;

    internal RmsNorm KNorm => _kNorm;

    /// <summary>Self-attention over <paramref name="hidden"/> [B, L, hidden] → [B, L, hidden].</summary>
    /// <param name="hidden">Input sequence.</param>
    /// <param name="rope">Rotary embedding applied to queries and keys (positions 0..L−1).</param>
    /// <param name="mask">Optional additive mask broadcastable to [B, H, L, L] (band and/or key padding).</param>
    public Tensor SelfAttention(Tensor hidden, RotaryEmbedding rope, Tensor? mask = null)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        ArgumentNullException.ThrowIfNull(rope);
        if (IsCross)
        {
            throw new InvalidOperationException("This block is cross-attention; call CrossAttention.");
        }

        return Attend(hidden, hidden, rope, mask);
    }

    /// <summary>Cross-attention from <paramref name="hidden"/> [B, L, hidden] to <paramref name="encoder"/>
    /// [B, Lk, hidden] → [B, L, hidden], without RoPE.</summary>
    /// <param name="hidden">Query sequence.</param>
    /// <param name="encoder">Key/value sequence.</param>
    /// <param name="mask">Optional additive mask broadcastable to [B, H, L, Lk].</param>
    public Tensor CrossAttention(Tensor hidden, Tensor encoder, Tensor? mask = null)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        ArgumentNullException.ThrowIfNull(encoder);
        if (!IsCross)
        {
            throw new InvalidOperationException("This block is self-attention; call SelfAttention.");
        }

        return Attend(hidden, encoder, null, mask);
    }

    /// <summary>
    /// The cross-attention keys and values of <paramref name="encoder"/> [B, Lk, hidden], each [B, Hkv, Lk, D]
    /// (keys after k_norm, before the GQA repeat). The condition is the same at every sampling step, so the DiT
    /// computes them once per generation and passes them to <see cref="CrossAttention(Tensor, AttentionKeyValue, Tensor?)"/>.
    /// </summary>
    public AttentionKeyValue CrossKeyValue(Tensor encoder)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        if (!IsCross)
        {
            throw new InvalidOperationException("This block is self-attention; only cross-attention K/V can be cached.");
        }

        using var scope = NewDisposeScope();
        var (k, v) = ProjectKeyValue(encoder);
        return new AttentionKeyValue(k.contiguous().MoveToOuterDisposeScope(), v.contiguous().MoveToOuterDisposeScope());
    }

    /// <summary>Cross-attention from <paramref name="hidden"/> [B, L, hidden] to precomputed keys and values.</summary>
    /// <param name="hidden">Query sequence.</param>
    /// <param name="keyValue">From <see cref="CrossKeyValue"/>, for the same batch size.</param>
    /// <param name="mask">Optional additive mask broadcastable to [B, H, L, Lk].</param>
    public Tensor CrossAttention(Tensor hidden, AttentionKeyValue keyValue, Tensor? mask = null)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        ArgumentNullException.ThrowIfNull(keyValue);
        if (!IsCross)
        {
            throw new InvalidOperationException("This block is self-attention; call SelfAttention.");
        }
        if (keyValue.Key.shape[0] != hidden.shape[0])
        {
            throw new ArgumentException($"Cached K/V were built for batch {keyValue.Key.shape[0]}, the input has {hidden.shape[0]}.", nameof(keyValue));
        }

        return AttendTo(hidden, keyValue.Key, keyValue.Value, null, mask);
    }

    /// <summary>
    /// Causal self-attention for incremental decoding (the 5 Hz LM, spec §7): the keys and values of
    /// <paramref name="hidden"/> [B, L, hidden] are written into preallocated caches [B, Hkv, maxLen, D] at positions
    /// <paramref name="start"/> .. start+L−1, and the queries attend to cache positions 0 .. start+L−1 → [B, L, hidden].
    /// RoPE uses per-row absolute positions, so left-padded rows rotate their first real token as position 0.
    /// </summary>
    /// <param name="hidden">The new tokens.</param>
    /// <param name="cos">fp32 RoPE cosines of the new tokens' positions, [B, 1, L, D].</param>
    /// <param name="sin">fp32 RoPE sines, [B, 1, L, D].</param>
    /// <param name="keyCache">Keys after k_norm and RoPE; written in place.</param>
    /// <param name="valueCache">Values; written in place.</param>
    /// <param name="start">Cache position of the first new token (tokens already cached).</param>
    /// <param name="mask">Additive mask [B, 1, g·L, start+L] (causality and key padding) in the activations' dtype, folded
    /// for grouped-query attention by <see cref="FoldCachedMask"/> — once per step for all layers, not per layer.</param>
    public Tensor SelfAttentionCached(Tensor hidden, Tensor cos, Tensor sin, Tensor keyCache, Tensor valueCache, long start, Tensor mask)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        ArgumentNullException.ThrowIfNull(cos);
        ArgumentNullException.ThrowIfNull(sin);
        ArgumentNullException.ThrowIfNull(keyCache);
        ArgumentNullException.ThrowIfNull(valueCache);
        ArgumentNullException.ThrowIfNull(mask);
        if (IsCross)
        {
            throw new InvalidOperationException("This block is cross-attention; only self-attention has a decoding cache.");
        }

        var batch = hidden.shape[0];
        var length = hidden.shape[1];
        if (start < 0 || start + length > keyCache.shape[2])
        {
            throw new ArgumentOutOfRangeException(nameof(start), start, $"Positions {start}..{start + length - 1} do not fit a cache of {keyCache.shape[2]}.");
        }

        using var scope = NewDisposeScope();
        var q = _qNorm.forward(_qProj.forward(hidden).view(batch, length, Heads, HeadDim)).transpose(1, 2);   // [B, H, L, D]
        var (k, v) = ProjectKeyValue(hidden);                                                                 // [B, Hkv, L, D]
        var c = cos.to_type(q.dtype);
        var s = sin.to_type(q.dtype);
        q = q * c + RotaryEmbedding.RotateHalf(q) * s;
        k = k * c + RotaryEmbedding.RotateHalf(k) * s;

        // Written into the preallocated buffers: the cache never grows, and attention reads a view of its filled prefix.
        using (no_grad())
        {
            keyCache.narrow(2, start, length).copy_(k);
            valueCache.narrow(2, start, length).copy_(v);
        }

        var total = start + length;
        var keys = keyCache.narrow(2, 0, total);                                                              // [B, Hkv, T, D]
        var values = valueCache.narrow(2, 0, total);

        // GQA without copying the cache per step: query heads j·g .. j·g+g−1 (those repeat_kv maps onto kv head j) are
        // folded into the query axis of kv head j, so keys and values are read in place.
        var groups = Heads / KvHeads;
        var folded = q.reshape(batch, KvHeads, groups * length, HeadDim);                                    // [B, Hkv, g·L, D]
        var context = nn.functional.scaled_dot_product_attention(folded, keys, values, mask);                 // [B, Hkv, g·L, D]
        var merged = context.reshape(batch, Heads, length, HeadDim).transpose(1, 2).reshape(batch, length, Heads * HeadDim);
        return _oProj.forward(merged).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The additive mask [B, 1, L, T] of <see cref="SelfAttentionCached"/> repeated for the query heads each key/value
    /// head serves → [B, 1, g·L, T] in <paramref name="dtype"/> (g = heads / kvHeads): query heads j·g .. j·g+g−1 are
    /// folded into kv head j's query axis, so the cache is read in place.
    /// </summary>
    public static Tensor FoldCachedMask(Tensor mask, long groups, ScalarType dtype)
    {
        ArgumentNullException.ThrowIfNull(mask);
        var (batch, length, total) = (mask.shape[0], mask.shape[2], mask.shape[3]);
        return mask.to_type(dtype).unsqueeze(2).expand(batch, 1, groups, length, total).reshape(batch, 1, groups * length, total);
    }

    // [B, Lk, Hkv·D] → [B, Lk, Hkv, D] → [B, Hkv, Lk, D]; keys normalised over D.
    private (Tensor Key, Tensor Value) ProjectKeyValue(Tensor source)
    {
        var batch = source.shape[0];
        var length = source.shape[1];
        var k = _kNorm.forward(_kProj.forward(source).view(batch, length, KvHeads, HeadDim)).transpose(1, 2);
        var v = _vProj.forward(source).view(batch, length, KvHeads, HeadDim).transpose(1, 2);
        return (k, v);
    }

    private Tensor Attend(Tensor hidden, Tensor keyValueSource, RotaryEmbedding? rope, Tensor? mask)
    {
        using var scope = NewDisposeScope();
        var (k, v) = ProjectKeyValue(keyValueSource);
        return AttendTo(hidden, k, v, rope, mask).MoveToOuterDisposeScope();
    }

    private Tensor AttendTo(Tensor hidden, Tensor k, Tensor v, RotaryEmbedding? rope, Tensor? mask)
    {
        using var scope = NewDisposeScope();
        var batch = hidden.shape[0];
        var length = hidden.shape[1];

        // [B, L, H·D] → [B, L, H, D] → norm over D → [B, H, L, D]
        var q = _qNorm.forward(_qProj.forward(hidden).view(batch, length, Heads, HeadDim)).transpose(1, 2);

        if (rope is not null)
        {
            (q, k) = rope.Apply(q, k);
        }

        // GQA: kv head j serves query heads j·g .. j·g+g−1 (repeat_kv), i.e. repeat_interleave on the head axis.
        var groups = Heads / KvHeads;
        if (groups > 1)
        {
            k = k.repeat_interleave(groups, dim: 1);                                                // [B, H, Lk, D]
            v = v.repeat_interleave(groups, dim: 1);
        }

        // SDPA's default scale is 1/√D, the model's scale; the mask must match the activation dtype.
        var attnMask = mask?.to_type(q.dtype);
        var context = nn.functional.scaled_dot_product_attention(q, k, v, attnMask);                 // [B, H, L, D]
        var merged = context.transpose(1, 2).reshape(batch, length, Heads * HeadDim);               // [B, L, H·D]
        return _oProj.forward(merged).MoveToOuterDisposeScope();
    }
}

/// <summary>Attention keys and values, each [B, Hkv, Lk, D], computed once and reused (cross-attention cache).</summary>
/// <param name="Key">Keys after k_norm.</param>
/// <param name="Value">Values.</param>
public sealed record AttentionKeyValue(Tensor Key, Tensor Value);
