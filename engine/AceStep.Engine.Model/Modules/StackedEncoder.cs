using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Modules;

/// <summary>Sizes shared by every encoder stack inside the DiT checkpoint (spec §3.2): the same width, heads and norm as the
/// decoder, only the depth differs.</summary>
/// <param name="Hidden">Width (2048).</param>
/// <param name="Intermediate">MLP inner width (6144).</param>
/// <param name="Heads">Query heads (16).</param>
/// <param name="KvHeads">Key/value heads (8).</param>
/// <param name="HeadDim">Per-head size (128).</param>
/// <param name="RopeTheta">RoPE base (1e6).</param>
/// <param name="Eps">RMSNorm epsilon (1e-6).</param>
public sealed record EncoderStackSizes(long Hidden, long Intermediate, long Heads, long KvHeads, int HeadDim, double RopeTheta, double Eps);

/// <summary>
/// A stack of <see cref="EncoderLayer"/>s under <c>layers.{i}</c> with a final <c>norm</c> (spec §4.2): the common core of the
/// lyric and timbre encoders, the attention pooler and the detokenizer. Attention is bidirectional with the ±128 band on
/// even-indexed layers (upstream indexes the same layer-type list for every stack) and an optional key-padding mask.
/// </summary>
public abstract class StackedEncoder : nn.Module
{
    private readonly EncoderLayer[] _layers;
    private readonly RmsNorm _norm;
    private readonly RotaryEmbedding _rope;

    /// <summary>Registers <c>layers</c> and <c>norm</c>; subclasses register their own projections.</summary>
    /// <param name="name">Module name.</param>
    /// <param name="sizes">Widths.</param>
    /// <param name="layers">Depth.</param>
    protected StackedEncoder(string name, EncoderStackSizes sizes, int layers) : base(name)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(layers);
        Sizes = sizes;
        _layers = Enumerable.Range(0, layers)
            .Select(i => new EncoderLayer(i, sizes.Hidden, sizes.Intermediate, sizes.Heads, sizes.KvHeads, sizes.HeadDim, sizes.Eps))
            .ToArray();
        _norm = new RmsNorm(sizes.Hidden, sizes.Eps);
        _rope = new RotaryEmbedding(sizes.HeadDim, sizes.RopeTheta);
        register_module(TensorNames.Layers, new ModuleList<EncoderLayer>(_layers));
        register_module(TensorNames.Norm, _norm);
    }

    /// <summary>The widths of this stack.</summary>
    public EncoderStackSizes Sizes { get; }

    /// <summary>Number of layers.</summary>
    public int Depth => _layers.Length;

    /// <summary>Runs the layers and the final norm over h [B, L, hidden] → [B, L, hidden].</summary>
    /// <param name="hidden">Embedded input.</param>
    /// <param name="validKeys">Optional [B, L] mask (nonzero = real token); padded keys are masked.</param>
    /// <param name="float32LastProjection">Run the last layer's <c>down_proj</c>, its residual add and the final norm in
    /// float32 and cast the result back to the input's dtype.</param>
    protected Tensor RunLayers(Tensor hidden, Tensor? validKeys = null, bool float32LastProjection = false)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        using var scope = NewDisposeScope();
        var length = hidden.shape[1];
        var padding = validKeys is null ? null : AttentionMasks.KeyPadding(validKeys, hidden.dtype);         // [B, 1, 1, L]
        Tensor? band = null;
        var h = hidden;
        for (var i = 0; i < _layers.Length; i++)
        {
            var layer = _layers[i];
            Tensor? mask = padding;
            if (layer.IsSliding && length > LayerTypes.SlidingWindow + 1)
            {
                // The band only bites beyond 129 tokens; shorter inputs skip building it.
                band ??= AttentionMasks.SlidingWindow(length, LayerTypes.SlidingWindow, hidden.device, hidden.dtype);
                mask = padding is null ? band : band + padding;
            }

            h = layer.Forward(h, _rope, mask, float32LastProjection && i == _layers.Length - 1);
        }

        return _norm.forward(h).to_type(hidden.dtype).MoveToOuterDisposeScope();
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
}
