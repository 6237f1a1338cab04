using static TorchSharp.torch;

namespace AceStep.Engine.Model.Lm;

/// <summary>
/// The decoding state of one LM generation (spec §7.4): per layer a key and a value buffer [B, Hkv, maxLen, D] allocated
/// once, which keys are real tokens (left padding is not), and each row's next absolute RoPE position. Created by
/// <see cref="Qwen3CausalLm.CreateCache"/>; <see cref="Qwen3CausalLm.Prefill"/> and <see cref="Qwen3CausalLm.Step"/>
/// fill it in place, so decoding never reallocates per token.
/// </summary>
public sealed class KeyValueCache : IDisposable
{
    private readonly Tensor[] _keys;
    private readonly Tensor[] _values;
    private bool _disposed;
    private KernelDecodeScratch? _kernelScratch;

    internal KeyValueCache(int layers, long batch, long kvHeads, long maxLength, long headDim, ScalarType dtype, Device device)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(layers);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxLength);
        Batch = batch;
        MaxLength = maxLength;
        _keys = new Tensor[layers];
        _values = new Tensor[layers];
        // Detached from any caller scope: the cache lives for the whole generation, across many scoped steps.
        for (var i = 0; i < layers; i++)
        {
            _keys[i] = zeros([batch, kvHeads, maxLength, headDim], dtype, device).DetachFromDisposeScope();
            _values[i] = zeros([batch, kvHeads, maxLength, headDim], dtype, device).DetachFromDisposeScope();
        }

        ValidKeys = zeros([batch, maxLength], ScalarType.Bool, device).DetachFromDisposeScope();
        NextPositions = zeros([batch], ScalarType.Int64, device).DetachFromDisposeScope();
    }

    /// <summary>Rows (conditional and unconditional together).</summary>
    public long Batch { get; }

    /// <summary>Positions the buffers hold (prompt + generated tokens).</summary>
    public long MaxLength { get; }

    /// <summary>Positions filled so far (the same for every row; left padding makes rows equally long).</summary>
    public long Length { get; internal set; }

    /// <summary>[B, maxLen] bool: which filled positions are real tokens. Owned by the cache.</summary>
    public Tensor ValidKeys { get; }

    /// <summary>[B] int64: the absolute RoPE position each row's next token takes. Owned by the cache.</summary>
    public Tensor NextPositions { get; }

    /// <summary>
    /// Forgets every position from <paramref name="length"/> on, so decoding continues from there as if they had never
    /// been written (e.g. re-decoding after a shared prompt, or a benchmark decoding the same positions again). The
    /// buffers are not cleared: later steps overwrite them, and attention only reads positions marked valid.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative or beyond <see cref="Length"/>.</exception>
    public void Rewind(long length)
    {
        ThrowIfDisposed();
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, Length);
        using var scope = NewDisposeScope();
        ValidKeys[.., (int)length..].fill_(false);
        // Each row's next RoPE position is the number of real tokens it keeps (left padding holds no positions).
        NextPositions.copy_(ValidKeys[.., ..(int)length].sum(1, type: ScalarType.Int64));
        Length = length;
    }

    internal Tensor Keys(int layer) => _keys[layer];

    internal Tensor Values(int layer) => _values[layer];

    /// <summary>The working memory of <see cref="KernelDecodeStep"/> for this generation, allocated at its first step.</summary>
    internal KernelDecodeScratch KernelScratch(Func<KernelDecodeScratch> create) => _kernelScratch ??= create();

    /// <summary>Frees the buffers.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        _kernelScratch?.Dispose();
        foreach (var t in _keys.Concat(_values))
            t.Dispose();
        ValidKeys.Dispose();
        NextPositions.Dispose();
    }

    internal void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
