using System.Numerics;

namespace AceStep.Engine.Kernels;

/// <summary>
/// One query token per row attending to its rows' key/value cache, for grouped-query attention: each key/value head
/// serves <c>heads / kvHeads</c> consecutive query heads, and its keys and values are read once for all of them. The
/// caches are [rows, kvHeads, capacity, headDim] fp32 (the LM's <c>KeyValueCache</c> layout); position t of row b is
/// attended to when <c>valid[b·capacity + t]</c> is nonzero (left padding is not). Scale 1/√headDim, softmax in fp32, as
/// scaled_dot_product_attention. The (row, kv head) pairs are split across cores.
/// </summary>
public static unsafe class CachedAttention
{
    /// <summary>Scratch floats <see cref="Attend"/> needs: a score per position for every query head.</summary>
    public static long ScratchLength(int rows, int heads, int positions) => (long)rows * heads * positions;

    /// <summary>
    /// output[b, h, :] = Σ_t softmax_t(q[b, h]·k[b, h/g, t] / √D) · v[b, h/g, t] over positions t &lt; <paramref name="positions"/>.
    /// </summary>
    /// <param name="query">[rows, heads, headDim].</param>
    /// <param name="keys">[rows, kvHeads, capacity, headDim].</param>
    /// <param name="values">Same layout as <paramref name="keys"/>.</param>
    /// <param name="valid">[rows, capacity] bytes; at least one of each row's first <paramref name="positions"/> is nonzero.</param>
    /// <param name="output">[rows, heads, headDim].</param>
    /// <param name="scratch"><see cref="ScratchLength"/> floats.</param>
    /// <param name="rows">Batch rows.</param>
    /// <param name="heads">Query heads.</param>
    /// <param name="kvHeads">Key/value heads (divides <paramref name="heads"/>).</param>
    /// <param name="headDim">Values per head.</param>
    /// <param name="capacity">Positions the caches hold per row and head.</param>
    /// <param name="positions">Positions filled (attended over).</param>
    public static void Attend(float* query, float* keys, float* values, byte* valid, float* output, float* scratch,
        int rows, int heads, int kvHeads, int headDim, int capacity, int positions)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kvHeads);
        if (heads % kvHeads != 0)
            throw new ArgumentException($"{heads} query heads cannot share {kvHeads} key/value heads evenly.", nameof(kvHeads));
        if (positions <= 0 || positions > capacity)
            throw new ArgumentOutOfRangeException(nameof(positions), positions, $"Between 1 and the cache's {capacity} positions.");

        var job = new PairJob(query, keys, values, valid, output, scratch, heads, kvHeads, headDim, capacity, positions);
        var pairs = rows * kvHeads;
        ParallelRows.Run(ref job, 0, pairs, pairs);
    }

    private readonly struct PairJob(float* query, float* keys, float* values, byte* valid, float* output, float* scratch,
        int heads, int kvHeads, int headDim, int capacity, int positions) : IRowJob
    {
        public void Run(int begin, int end)
        {
            for (var pair = begin; pair < end; pair++)
                Attend(pair);
        }

        private void Attend(int pair)
        {
            var row = pair / kvHeads;
            var group = heads / kvHeads;
            var firstHead = (row * heads) + ((pair % kvHeads) * group);       // index of the pair's first query head
            var k = keys + ((long)pair * capacity * headDim);
            var v = values + ((long)pair * capacity * headDim);
            var mask = valid + ((long)row * capacity);
            var scale = 1f / MathF.Sqrt(headDim);

            // Scores [group, positions]: each key is read once for all the query heads it serves.
            var scores = scratch + ((long)firstHead * positions);
            for (var t = 0; t < positions; t++)
            {
                var key = k + ((long)t * headDim);
                for (var g = 0; g < group; g++)
                    scores[((long)g * positions) + t] = mask[t] != 0 ? DecodeOps.Dot(query + ((long)(firstHead + g) * headDim), key, headDim) * scale : float.NegativeInfinity;
            }

            for (var g = 0; g < group; g++)
                Softmax(scores + ((long)g * positions), positions);

            for (var g = 0; g < group; g++)
                new Span<float>(output + ((long)(firstHead + g) * headDim), headDim).Clear();
            for (var t = 0; t < positions; t++)
            {
                if (mask[t] == 0)
                    continue;
                var value = v + ((long)t * headDim);
                for (var g = 0; g < group; g++)
                    AddScaled(output + ((long)(firstHead + g) * headDim), value, scores[((long)g * positions) + t], headDim);
            }
        }
    }

    private static void AddScaled(float* target, float* source, float weight, int n)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var w = new Vector<float>(weight);
            for (; i + Vector<float>.Count <= n; i += Vector<float>.Count)
                Vector.Store(Vector.Load(target + i) + (Vector.Load(source + i) * w), target + i);
        }

        for (; i < n; i++)
            target[i] += source[i] * weight;
    }

    // In place over n scores; masked ones are −∞ and become 0.
    private static void Softmax(float* s, int n)
    {
        var max = float.NegativeInfinity;
        for (var t = 0; t < n; t++)
            max = Math.Max(max, s[t]);
        var sum = 0f;
        for (var t = 0; t < n; t++)
        {
            var e = float.IsNegativeInfinity(s[t]) ? 0f : MathF.Exp(s[t] - max);
            s[t] = e;
            sum += e;
        }

        var inverse = 1f / sum;
        for (var t = 0; t < n; t++)
            s[t] *= inverse;
    }
}
