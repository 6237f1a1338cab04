using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Modules;

/// <summary>
/// Rotary position embedding in the rotate-half convention (spec §4.1): inv_freq_i = θ^(−2i/d) for i &lt; d/2, angles =
/// pos · inv_freq for positions 0..L−1, cos/sin duplicated to d; x' = x·cos + rotate_half(x)·sin with
/// rotate_half([a, b]) = [−b, a]. Has no checkpoint tensors (inv_freq is non-persistent upstream), so it is a plain
/// owner of cached tables rather than a module; one instance is shared by every layer of a stack.
/// </summary>
public sealed class RotaryEmbedding : IDisposable
{
    private readonly Dictionary<(long Length, string Device), (Tensor Cos, Tensor Sin)> _cache = [];
    private readonly Lock _gate = new();
    private bool _disposed;

    /// <summary>Creates the embedding.</summary>
    /// <param name="headDim">Per-head size d (even).</param>
    /// <param name="theta">Frequency base θ (rope_theta; 1e6 for ACE-Step v1.5).</param>
    public RotaryEmbedding(int headDim = 128, double theta = 1_000_000.0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(headDim);
        if (headDim % 2 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(headDim), headDim, "RoPE needs an even head dimension.");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(theta);
        HeadDim = headDim;
        Theta = theta;
    }

    /// <summary>Per-head size d.</summary>
    public int HeadDim { get; }

    /// <summary>Frequency base θ.</summary>
    public double Theta { get; }

    /// <summary>
    /// fp32 cos and sin tables [L, d] for positions 0..L−1 on <paramref name="device"/>. The tables are cached and owned
    /// by this instance: callers must not dispose them.
    /// </summary>
    public (Tensor Cos, Tensor Sin) Tables(long length, Device device)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        ArgumentNullException.ThrowIfNull(device);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var key = (length, device.ToString());
            if (_cache.TryGetValue(key, out var tables))
            {
                return tables;
            }

            // Computed in float64 then rounded once, so long positions do not accumulate fp32 error in pos · inv_freq.
            using (NewDisposeScope())
            {
                var half = HeadDim / 2;
                var exponents = arange(0, half, dtype: ScalarType.Float64) * (2.0 / HeadDim);     // [d/2]
                var invFreq = pow(Theta, -exponents);                                             // [d/2]
                var positions = arange(0, length, dtype: ScalarType.Float64);                     // [L]
                var angles = outer(positions, invFreq);                                           // [L, d/2]
                var full = cat([angles, angles], dim: -1);                                        // [L, d]
                var cos = full.cos().to_type(ScalarType.Float32).to(device);
                var sin = full.sin().to_type(ScalarType.Float32).to(device);
                // The cache outlives whatever scope the first caller runs in.
                tables = (cos.DetachFromDisposeScope(), sin.DetachFromDisposeScope());
            }

            _cache[key] = tables;
            return tables;
        }
    }

    /// <summary>
    /// Rotates queries [B, Hq, L, d] and keys [B, Hk, L, d] by their positions 0..L−1 (the sequence axis is −2).
    /// The results have the inputs' dtype.
    /// </summary>
    public (Tensor Q, Tensor K) Apply(Tensor q, Tensor k)
    {
        ArgumentNullException.ThrowIfNull(q);
        ArgumentNullException.ThrowIfNull(k);
        return (Rotate(q), Rotate(k));
    }

    /// <summary>Rotates one tensor [..., L, d] by positions 0..L−1.</summary>
    public Tensor Rotate(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.shape[^1] != HeadDim)
        {
            throw new ArgumentException($"Last dimension {x.shape[^1]} is not the head dimension {HeadDim}.", nameof(x));
        }

        var (cosTable, sinTable) = Tables(x.shape[^2], x.device);
        using var scope = NewDisposeScope();
        // Upstream casts the tables to the activation dtype before multiplying.
        var cos = cosTable.to_type(x.dtype);
        var sin = sinTable.to_type(x.dtype);
        return (x * cos + RotateHalf(x) * sin).MoveToOuterDisposeScope();
    }

    /// <summary>rotate_half([a, b]) = [−b, a] along the last dimension.</summary>
    public static Tensor RotateHalf(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        using var scope = NewDisposeScope();
        var half = x.shape[^1] / 2;
        var a = x[TensorIndex.Ellipsis, TensorIndex.Slice(0, half)];
        var b = x[TensorIndex.Ellipsis, TensorIndex.Slice(half, null)];
        return cat([-b, a], dim: -1).MoveToOuterDisposeScope();
    }

    /// <summary>Frees the cached tables.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (var (cos, sin) in _cache.Values)
            {
                cos.Dispose();
                sin.Dispose();
            }

            _cache.Clear();
        }
    }
}
