using System.Runtime.InteropServices;
using AceStep.Engine.Kernels;
using AceStep.Engine.Model.Config;

namespace AceStep.Engine.Model.Lm;

/// <summary>
/// The native working memory of <see cref="KernelDecodeStep"/> for one generation: every intermediate of a layer for all
/// rows, allocated once with the cache so a decode step allocates nothing per layer. Each buffer is row-major [rows, …].
/// </summary>
internal sealed unsafe class KernelDecodeScratch : IDisposable
{
    private float* _memory;

    public KernelDecodeScratch(Qwen3Config config, int rows, int capacity)
    {
        Rows = rows;
        Capacity = capacity;
        var queryWidth = (long)config.Heads * config.HeadDim;
        var kvWidth = (long)config.KvHeads * config.HeadDim;
        long[] lengths =
        [
            rows * config.Hidden,                                   // hidden: the residual stream
            rows * Math.Max(config.Hidden, queryWidth),             // normed: a norm's output, or a projection back to hidden
            rows * queryWidth,                                      // query
            rows * kvWidth,                                         // key
            rows * kvWidth,                                         // value
            rows * queryWidth,                                      // context: attention's output
            rows * config.Intermediate,                             // gate
            rows * config.Intermediate,                             // up
            CachedAttention.ScratchLength(rows, (int)config.Heads, capacity),
        ];
        _memory = (float*)NativeMemory.AlignedAlloc((nuint)(lengths.Sum() * sizeof(float)), 64);
        var next = _memory;
        float* Take(long length)
        {
            var buffer = next;
            next += length;
            return buffer;
        }

        Hidden = Take(lengths[0]);
        Normed = Take(lengths[1]);
        Query = Take(lengths[2]);
        Key = Take(lengths[3]);
        Value = Take(lengths[4]);
        Context = Take(lengths[5]);
        Gate = Take(lengths[6]);
        Up = Take(lengths[7]);
        Attention = Take(lengths[8]);
    }

    public int Rows { get; }

    /// <summary>Cache positions the attention scratch covers.</summary>
    public int Capacity { get; }

    public float* Hidden { get; }

    public float* Normed { get; }

    public float* Query { get; }

    public float* Key { get; }

    public float* Value { get; }

    public float* Context { get; }

    public float* Gate { get; }

    public float* Up { get; }

    public float* Attention { get; }

    public void Dispose()
    {
        if (_memory is null)
            return;
        NativeMemory.AlignedFree(_memory);
        _memory = null;
    }
}
