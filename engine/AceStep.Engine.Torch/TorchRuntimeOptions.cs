using TorchSharp;

namespace AceStep.Engine.Torch;

/// <summary>How <see cref="TorchRuntime.Create"/> should set libtorch up. The defaults are the engine's policy.</summary>
public sealed record TorchRuntimeOptions
{
    /// <summary>The engine defaults: automatic device, policy dtype, libtorch's own thread count.</summary>
    public static TorchRuntimeOptions Default { get; } = new();

    /// <summary>Device policy; <see cref="TorchDevicePreference.Auto"/> by default.</summary>
    public TorchDevicePreference Device { get; init; } = TorchDevicePreference.Auto;

    /// <summary>Which CUDA device to use when the device is CUDA (0 by default).</summary>
    public int CudaDeviceIndex { get; init; }

    /// <summary>
    /// Compute dtype override; null applies the policy: float32 on CPU (this project's CPUs run bf16 matmuls
    /// hundreds of times slower than fp32), bfloat16 on CUDA (half the memory and tensor-core speed, with fp32's
    /// exponent range, which the DiT needs). Must be a floating-point type.
    /// </summary>
    public torch.ScalarType? ComputeDType { get; init; }

    /// <summary>
    /// Intra-op CPU threads for libtorch; null keeps libtorch's default (one per physical core). The setting is
    /// process-wide in libtorch, so the last runtime created wins.
    /// </summary>
    public int? Threads { get; init; }

    /// <summary>Parses a device setting as written in configuration: auto, cpu or cuda (case-insensitive).</summary>
    /// <exception cref="ArgumentException">The text is none of those.</exception>
    public static TorchDevicePreference ParseDevice(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Trim().ToUpperInvariant() switch
        {
            "AUTO" or "" => TorchDevicePreference.Auto,
            "CPU" => TorchDevicePreference.Cpu,
            "CUDA" or "GPU" => TorchDevicePreference.Cuda,
            _ => throw new ArgumentException($"Unknown device '{text}': use auto, cpu or cuda.", nameof(text)),
        };
    }
}
