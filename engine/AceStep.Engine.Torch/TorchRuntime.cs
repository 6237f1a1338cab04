using System.Reflection;
using TorchSharp;

namespace AceStep.Engine.Torch;

/// <summary>
/// The engine's view of libtorch: loads the native library once per process, resolves the device and compute
/// dtype by policy, applies the thread count and describes the result. Create one at engine start-up and pass it
/// to everything that allocates tensors, so that device and dtype decisions live in one place.
/// </summary>
public sealed class TorchRuntime
{
    private static readonly Lock _loadGate = new();
    private static bool _loaded;

    private TorchRuntime(torch.Device device, torch.ScalarType computeDType, TorchRuntimeInfo info)
    {
        Device = device;
        ComputeDType = computeDType;
        Info = info;
    }

    /// <summary>The device model tensors live on.</summary>
    public torch.Device Device { get; }

    /// <summary>The dtype for weights and activations on <see cref="Device"/>.</summary>
    public torch.ScalarType ComputeDType { get; }

    /// <summary>Versions, backend, device, dtype and threads, for the engine's status.</summary>
    public TorchRuntimeInfo Info { get; }

    /// <summary>True when <see cref="Device"/> is a CUDA device.</summary>
    public bool IsCuda => Device.type == DeviceType.CUDA;

    /// <summary>The libtorch backend package this assembly was built against: cpu or cuda.</summary>
    public static string Backend { get; } =
        typeof(TorchRuntime).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "AceStepTorchBackend")?.Value ?? "unknown";

    /// <summary>Loads libtorch (first call only) and sets it up according to <paramref name="options"/>.</summary>
    /// <param name="options">Policy overrides; null means <see cref="TorchRuntimeOptions.Default"/>.</param>
    /// <exception cref="TorchDeviceUnavailableException">CUDA was requested but cannot be used.</exception>
    /// <exception cref="TorchRuntimeLoadException">The native libtorch failed to load.</exception>
    /// <exception cref="ArgumentException">An option is out of range (thread count, non-float dtype, device index).</exception>
    public static TorchRuntime Create(TorchRuntimeOptions? options = null)
    {
        options ??= TorchRuntimeOptions.Default;
        if (options.Threads is <= 0)
            throw new ArgumentException($"Threads must be positive, not {options.Threads}.", nameof(options));
        NativeHeap.ConfigureForLargeTensors();
        EnsureLoaded();

        var cudaAvailable = torch.cuda.is_available();
        var cudaCount = cudaAvailable ? torch.cuda.device_count() : 0;
        var deviceType = ResolveDeviceType(options.Device, cudaAvailable, Backend);
        torch.Device device;
        if (deviceType == DeviceType.CUDA)
        {
            if (options.CudaDeviceIndex < 0 || options.CudaDeviceIndex >= cudaCount)
            {
                throw new TorchDeviceUnavailableException(
                    $"CUDA device {options.CudaDeviceIndex} was requested but libtorch sees {cudaCount} CUDA device(s).")
                { Requested = options.Device };
            }

            device = new torch.Device(DeviceType.CUDA, options.CudaDeviceIndex);
        }
        else
        {
            device = torch.CPU;
        }

        var dtype = ResolveComputeDType(deviceType, options.ComputeDType);
        if (options.Threads is { } threads)
            torch.set_num_threads(threads);

        var info = new TorchRuntimeInfo(
            TorchSharpVersion: typeof(torch).Assembly.GetName().Version?.ToString(3) ?? "unknown",
            LibTorchVersion: torch.__version__,
            Backend: Backend,
            Device: device.ToString(),
            ComputeDType: dtype.ToString(),
            Threads: torch.get_num_threads(),
            CudaAvailable: cudaAvailable,
            CudaDeviceCount: cudaCount);
        return new TorchRuntime(device, dtype, info);
    }

    /// <summary>
    /// The device policy, separate from libtorch so it can be tested on any machine: Auto takes CUDA when usable,
    /// explicit choices are honoured or fail loudly, never silently fall back (a user who asked for the GPU and
    /// gets a 50x slower CPU run should know why).
    /// </summary>
    internal static DeviceType ResolveDeviceType(TorchDevicePreference requested, bool cudaAvailable, string backend) =>
        requested switch
        {
            TorchDevicePreference.Cpu => DeviceType.CPU,
            TorchDevicePreference.Auto => cudaAvailable ? DeviceType.CUDA : DeviceType.CPU,
            TorchDevicePreference.Cuda when cudaAvailable => DeviceType.CUDA,
            TorchDevicePreference.Cuda => throw new TorchDeviceUnavailableException(backend == "cuda"
                ? "CUDA was requested, but libtorch finds no usable CUDA device: check that an NVIDIA GPU and driver are " +
                  "present (nvidia-smi) and that the CUDA libraries of TorchSharp-cuda-linux load; or use device 'auto' or 'cpu'."
                : $"CUDA was requested, but this engine was built with the '{backend}' libtorch backend (TorchSharp-cpu), " +
                  "which has no CUDA support. Rebuild with -p:AceStepTorchBackend=cuda on a Linux x64 machine with an " +
                  "NVIDIA GPU and driver, or use device 'auto' or 'cpu'. See docs/torch-backend.md.")
            { Requested = requested },
            _ => throw new ArgumentOutOfRangeException(nameof(requested), requested, "Unknown device preference."),
        };

    /// <summary>The dtype policy: fp32 on CPU, bf16 on CUDA, unless overridden with a floating-point type.</summary>
    internal static torch.ScalarType ResolveComputeDType(DeviceType device, torch.ScalarType? requested)
    {
        if (requested is { } dtype)
        {
            return dtype is torch.ScalarType.Float32 or torch.ScalarType.BFloat16 or torch.ScalarType.Float16 or torch.ScalarType.Float64
                ? dtype
                : throw new ArgumentException($"Compute dtype must be a floating-point type, not {dtype}.", nameof(requested));
        }

        return device == DeviceType.CUDA ? torch.ScalarType.BFloat16 : torch.ScalarType.Float32;
    }

    private static void EnsureLoaded()
    {
        lock (_loadGate)
        {
            if (_loaded)
                return;
            // On Windows a missing VC++ runtime would surface below as an unexplained "module not found".
            VisualCppRuntime.EnsureAvailable();
            OpenMpWaitPolicy.Apply();
            try
            {
                // Loads LibTorchSharp and libtorch through the app's deps.json. This is where a libtorch that needs a
                // newer libstdc++ than the system has fails (see docs/torch-backend.md for the build-time fix).
                torch.InitializeDeviceType(DeviceType.CPU);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                throw new TorchRuntimeLoadException(
                    $"libtorch ({Backend} backend) failed to load: {e.Message} See docs/torch-backend.md.", e);
            }

            _loaded = true;
        }
    }
}
