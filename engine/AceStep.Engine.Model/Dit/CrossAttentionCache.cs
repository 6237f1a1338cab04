using AceStep.Engine.Model.Modules;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Dit;

/// <summary>
/// Per-layer cross-attention K/V of the embedded condition sequence (spec §4.5 end). The condition is fixed for a
/// whole generation, so K/V are computed once and reused on every sampler step; build a new cache whenever the
/// condition changes (e.g. the cover → non-cover switch). Owns its tensors: dispose it when the generation ends.
/// </summary>
public sealed class CrossAttentionCache : IDisposable
{
    private readonly List<AttentionKeyValue> _layers;
    private bool _disposed;

    /// <summary>Takes ownership of per-layer K/V, in layer order; the tensors are detached from any dispose scope.</summary>
    /// <param name="layers">One entry per DiT layer.</param>
    public CrossAttentionCache(IEnumerable<AttentionKeyValue> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        _layers = [.. layers];
        foreach (var kv in _layers)
        {
            ArgumentNullException.ThrowIfNull(kv);
            // The cache lives across steps, longer than the scope that computed it.
            kv.Key.DetachFromDisposeScope();
            kv.Value.DetachFromDisposeScope();
        }
    }

    /// <summary>Number of layers cached.</summary>
    public int Count => _layers.Count;

    /// <summary>Condition batch size the K/V were built for.</summary>
    public long BatchSize => _layers.Count == 0 ? 0 : _layers[0].Key.shape[0];

    /// <summary>K/V of layer <paramref name="layerIndex"/>; owned by the cache, callers must not dispose them.</summary>
    public AttentionKeyValue this[int layerIndex]
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _layers[layerIndex];
        }
    }

    /// <summary>Frees the cached tensors.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var kv in _layers)
        {
            kv.Key.Dispose();
            kv.Value.Dispose();
        }

        _layers.Clear();
    }
}
