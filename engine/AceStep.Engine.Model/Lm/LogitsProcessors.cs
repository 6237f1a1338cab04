using static TorchSharp.torch;

namespace AceStep.Engine.Model.Lm;

/// <summary>
/// The per-step transforms of the LM's logits [B, V] (spec §7.4 step 5), each returning a new tensor: CFG, top-k, top-p
/// and temperature. Removed tokens get −∞, so they keep probability 0 through every later transform.
/// </summary>
public static class LogitsProcessors
{
    /// <summary>Classifier-free guidance in fp32: u + s·(c − u). At s = 1 the conditional logits are returned unchanged
    /// (a copy), so scale 1 samples exactly like no guidance.</summary>
    /// <param name="conditional">Logits of the prompt rows [B, V].</param>
    /// <param name="unconditional">Logits of the negative-prompt rows [B, V].</param>
    /// <param name="scale">Guidance scale s.</param>
    public static Tensor Cfg(Tensor conditional, Tensor unconditional, double scale)
    {
        ArgumentNullException.ThrowIfNull(conditional);
        ArgumentNullException.ThrowIfNull(unconditional);
        if (!conditional.shape.SequenceEqual(unconditional.shape))
            throw new ArgumentException("Conditional and unconditional logits must have the same shape.", nameof(unconditional));
        using var scope = NewDisposeScope();
        var c = conditional.to_type(ScalarType.Float32);
        if (scale == 1.0)
            return c.clone().MoveToOuterDisposeScope();
        var u = unconditional.to_type(ScalarType.Float32);
        return (u + scale * (c - u)).MoveToOuterDisposeScope();
    }

    /// <summary>Keeps the <paramref name="k"/> largest logits of each row (ties at the k-th value are kept); k ≤ 0 or
    /// k ≥ V keeps all.</summary>
    public static Tensor TopK(Tensor logits, int k)
    {
        ArgumentNullException.ThrowIfNull(logits);
        using var scope = NewDisposeScope();
        if (k <= 0 || k >= logits.shape[^1])
            return logits.clone().MoveToOuterDisposeScope();
        var kth = logits.topk(k, dim: -1).values[.., (k - 1)..k];                                           // [B, 1]
        return logits.masked_fill(logits.lt(kth), double.NegativeInfinity).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Nucleus filter: per row keeps the most likely tokens until their probability reaches <paramref name="p"/> (the
    /// token that crosses it included, and always at least the most likely one); p ≥ 1 keeps all.
    /// </summary>
    public static Tensor TopP(Tensor logits, double p)
    {
        ArgumentNullException.ThrowIfNull(logits);
        using var scope = NewDisposeScope();
        if (p >= 1.0)
            return logits.clone().MoveToOuterDisposeScope();
        var (sorted, order) = logits.sort(dim: -1, descending: true);
        var probs = sorted.softmax(-1);
        // Mass strictly before each token: a token is dropped once the tokens ahead of it already hold p.
        var before = probs.cumsum(-1) - probs;
        var dropSorted = before.ge(p);
        var drop = zeros_like(dropSorted).scatter(-1, order, dropSorted);
        return logits.masked_fill(drop, double.NegativeInfinity).MoveToOuterDisposeScope();
    }

    /// <summary>Divides by the temperature (t &gt; 0).</summary>
    public static Tensor Temperature(Tensor logits, double temperature)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(temperature);
        return logits / temperature;
    }
}
