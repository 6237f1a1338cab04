using AceStep.Engine.Kernels;
using AceStep.Engine.Model.Compact;
using AceStep.Engine.Model.Config;
using AceStep.Engine.Model.Modules;
using AceStep.Engine.Model.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Lm;

/// <summary>
/// One decode position of the whole decoder stack on the engine's CPU kernels, for an LM whose projections are all held
/// packed (<see cref="WeightHolding.Packed"/>): the same layer as <see cref="Qwen3DecoderLayer.Forward"/> — norms, q/k/v,
/// q/k norms, RoPE, the cache write, grouped-query attention over the cache, o, the SwiGLU MLP, the residuals — computed
/// in fp32 on native memory, in place in <see cref="KernelDecodeScratch"/>. At one token per row each of those operations
/// is microseconds of work, and issuing them as ~3 000 tensor operations per token cost the 0.6B LM a fifth of its step
/// (docs/performance.md); here a step is 7 kernel products and one attention call per layer and nothing else.
/// The logits agree with the tensor path to fp32 rounding (KernelDecodeStepTests).
/// </summary>
internal static unsafe class KernelDecodeStep
{
    /// <summary>
    /// True when this step can run: one new token per row, at most <see cref="Projection.PackedRowLimit"/> rows, an fp32
    /// CPU cache, and every projection of every layer packed (a partly packed model takes the tensor path).
    /// </summary>
    public static bool Applies(Qwen3DecoderStack stack, KeyValueCache cache, long length)
    {
        if (length != 1 || cache.Batch > Projection.PackedRowLimit || cache.MaxLength > int.MaxValue)
            return false;
        var keys = cache.Keys(0);
        if (keys.device_type != DeviceType.CPU || keys.dtype != ScalarType.Float32)
            return false;
        foreach (var layer in stack.Layers)
        {
            var (attention, mlp) = (layer.SelfAttn, layer.Mlp);
            if (attention.QProj.Packed is null || attention.KProj.Packed is null || attention.VProj.Packed is null
                || attention.OProj.Packed is null || mlp.GateProj.Packed is null || mlp.UpProj.Packed is null
                || mlp.DownProj.Packed is null)
                return false;
        }

        return true;
    }

    /// <summary>
    /// ids [B, 1] at cache position <paramref name="start"/> → the final norm's output [B, 1, hidden]; writes every layer's
    /// key and value at that position. The caller has marked the position valid in <see cref="KeyValueCache.ValidKeys"/>.
    /// </summary>
    /// <param name="stack">The LM's decoder stack (its <see cref="Applies"/> holds).</param>
    /// <param name="config">The LM's shape.</param>
    /// <param name="ids">int64 [B, 1]: the tokens just chosen.</param>
    /// <param name="positions">int64 [B, 1]: each row's RoPE position.</param>
    /// <param name="cosTable">fp32 [≥ max position + 1, headDim] RoPE cosines.</param>
    /// <param name="sinTable">fp32 sines, same shape.</param>
    /// <param name="cache">The generation's cache; its scratch is allocated at the first step.</param>
    /// <param name="start">The cache position of the new token.</param>
    public static Tensor Run(Qwen3DecoderStack stack, Qwen3Config config, Tensor ids, Tensor positions, Tensor cosTable, Tensor sinTable,
        KeyValueCache cache, long start)
    {
        var rows = (int)cache.Batch;
        var capacity = (int)cache.MaxLength;
        var scratch = cache.KernelScratch(() => new KernelDecodeScratch(config, rows, capacity));
        var (hidden, heads, kvHeads, headDim) = ((int)config.Hidden, (int)config.Heads, (int)config.KvHeads, (int)config.HeadDim);
        var eps = (float)config.Eps;

        using (var embedded = stack.EmbedTokens.forward(ids).to_type(ScalarType.Float32).contiguous())
            new ReadOnlySpan<float>(TensorMemory.DataPointer(embedded), rows * hidden).CopyTo(new Span<float>(scratch.Hidden, rows * hidden));

        // Each row's RoPE table rows (positions past the table would read out of bounds: fail loudly instead).
        using var rowPositions = positions.to(DeviceType.CPU).contiguous();
        var positionData = (long*)TensorMemory.DataPointer(rowPositions);
        var cos = (float*)TensorMemory.DataPointer(cosTable);
        var sin = (float*)TensorMemory.DataPointer(sinTable);
        var valid = TensorMemory.DataPointer(cache.ValidKeys);
        for (var b = 0; b < rows; b++)
        {
            if (positionData[b] < 0 || positionData[b] >= cosTable.shape[0])
                throw new InvalidOperationException($"Row {b}'s position {positionData[b]} lies outside the RoPE table's {cosTable.shape[0]}.");
        }

        foreach (var layer in stack.Layers)
        {
            var attention = layer.SelfAttn;
            var mlp = layer.Mlp;

            DecodeOps.RmsNorm(scratch.Hidden, Weight(layer.InputLayerNorm), scratch.Normed, rows, hidden, eps);
            Multiply(attention.QProj, scratch.Normed, rows, scratch.Query);
            Multiply(attention.KProj, scratch.Normed, rows, scratch.Key);
            Multiply(attention.VProj, scratch.Normed, rows, scratch.Value);
            DecodeOps.RmsNorm(scratch.Query, Weight(attention.QNorm), scratch.Query, rows * heads, headDim, eps);
            DecodeOps.RmsNorm(scratch.Key, Weight(attention.KNorm), scratch.Key, rows * kvHeads, headDim, eps);

            var keys = (float*)TensorMemory.DataPointer(cache.Keys(layer.LayerIndex));
            var values = (float*)TensorMemory.DataPointer(cache.Values(layer.LayerIndex));
            for (var b = 0; b < rows; b++)
            {
                var offset = positionData[b] * headDim;
                DecodeOps.Rope(scratch.Query + ((long)b * heads * headDim), heads, headDim, cos + offset, sin + offset);
                DecodeOps.Rope(scratch.Key + ((long)b * kvHeads * headDim), kvHeads, headDim, cos + offset, sin + offset);
                for (var j = 0; j < kvHeads; j++)
                {
                    var source = ((long)b * kvHeads + j) * headDim;
                    var target = ((((long)b * kvHeads) + j) * capacity + start) * headDim;
                    new ReadOnlySpan<float>(scratch.Key + source, headDim).CopyTo(new Span<float>(keys + target, headDim));
                    new ReadOnlySpan<float>(scratch.Value + source, headDim).CopyTo(new Span<float>(values + target, headDim));
                }
            }

            CachedAttention.Attend(scratch.Query, keys, values, valid, scratch.Context, scratch.Attention,
                rows, heads, kvHeads, headDim, capacity, (int)start + 1);
            Multiply(attention.OProj, scratch.Context, rows, scratch.Normed);
            DecodeOps.Add(scratch.Hidden, scratch.Normed, (long)rows * hidden);

            DecodeOps.RmsNorm(scratch.Hidden, Weight(layer.PostAttentionLayerNorm), scratch.Normed, rows, hidden, eps);
            Multiply(mlp.GateProj, scratch.Normed, rows, scratch.Gate);
            Multiply(mlp.UpProj, scratch.Normed, rows, scratch.Up);
            DecodeOps.SiluMultiply(scratch.Gate, scratch.Up, (long)rows * config.Intermediate);
            Multiply(mlp.DownProj, scratch.Gate, rows, scratch.Normed);
            DecodeOps.Add(scratch.Hidden, scratch.Normed, (long)rows * hidden);
        }

        var output = empty([rows, 1, hidden], ScalarType.Float32);
        DecodeOps.RmsNorm(scratch.Hidden, Weight(stack.Norm), (float*)TensorMemory.DataPointer(output), rows, hidden, eps);
        return output;
    }

    private static void Multiply(Projection projection, float* x, int rows, float* y)
    {
        var packed = projection.Packed!;
        packed.Multiply(new ReadOnlySpan<float>(x, rows * packed.Columns), rows, new Span<float>(y, rows * packed.Rows));
    }

    // A norm's weight as fp32 CPU memory (the LM's norms stay fp32 parameters in every holding).
    private static float* Weight(RmsNorm norm)
    {
        var weight = norm.Weight;
        if (weight.dtype != ScalarType.Float32 || weight.device_type != DeviceType.CPU || !weight.is_contiguous())
            throw new InvalidOperationException($"The kernel decode step needs fp32 CPU norm weights, got {weight.dtype} on {weight.device_type}.");
        return (float*)TensorMemory.DataPointer(weight);
    }
}
