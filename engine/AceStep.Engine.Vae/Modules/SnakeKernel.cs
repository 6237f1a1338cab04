using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Vae.Modules;

/// <summary>
/// Snake in one pass over memory on the CPU: y = x + m_c · sin(f_c · x)² per channel c, read once and written once,
/// with the sine from .NET's vectorised <c>Vector512/256/128.Sin</c>. Composed from libtorch ops the same activation
/// takes four passes and two fresh full-size tensors (multiply, sine, square, add), and on the VAE's late blocks
/// (128 channels × 96 000 samples per 2 s) those passes and the page faults of the fresh tensors cost about a
/// quarter of a decode (docs/performance.md, "The VAE: profile and speed").
/// </summary>
internal static unsafe class SnakeKernel
{
    // Below this many elements one thread does it: waking the pool costs more than the work.
    private const long ParallelThreshold = 1 << 16;

    /// <summary>Whether <see cref="Run"/> can take <paramref name="input"/>: a contiguous fp32 CPU tensor [B, C, L].</summary>
    public static bool Supports(Tensor input) =>
        input.device_type == DeviceType.CPU && input.dtype == ScalarType.Float32 && input.dim() == 3 && input.numel() > 0 &&
        input.is_contiguous();

    /// <summary>
    /// Writes y = x + magnitude[c] · sin(frequency[c] · x)² into <paramref name="output"/>, which has the input's shape
    /// and may be the input itself (in place). Both must pass <see cref="Supports"/>.
    /// </summary>
    public static void Run(Tensor input, Tensor output, float[] frequency, float[] magnitude)
    {
        var channels = input.shape[1];
        var length = input.shape[2];
        var rows = input.shape[0] * channels;
        var x = (float*)AceStep.Engine.Model.Weights.TensorMemory.DataPointer(input);
        var y = (float*)AceStep.Engine.Model.Weights.TensorMemory.DataPointer(output);
        var threads = Math.Max(1, torch.get_num_threads());
        if (threads == 1 || input.numel() < ParallelThreshold)
        {
            Rows(x, y, 0, rows, channels, length, frequency, magnitude);
            return;
        }

        // More parts than threads, taken as threads free up: on a shared machine one descheduled thread then delays
        // one small part rather than half of the work.
        var parts = (int)Math.Min(rows, 8L * threads);
        // Pointers cannot be captured by a lambda; their addresses can.
        nint xa = (nint)x, ya = (nint)y;
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = threads }, part =>
            Rows((float*)xa, (float*)ya, rows * part / parts, rows * (part + 1) / parts, channels, length, frequency, magnitude));
    }

    // Fully optimised from the first call: a decode calls this only 36 times, so with tiered compilation the first
    // decodes of a session ran unoptimised vector code (in one profiling run the Snakes timed first took 812 ms, the
    // same shapes timed later 186 ms; 331 ms for the first with this attribute).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rows(float* x, float* y, long first, long end, long channels, long length, float[] frequency, float[] magnitude)
    {
        for (var row = first; row < end; row++)
        {
            var c = (int)(row % channels);
            Row(x + row * length, y + row * length, length, frequency[c], magnitude[c]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Row(float* x, float* y, long n, float f, float m)
    {
        long i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> vf = Vector512.Create(f), vm = Vector512.Create(m);
            for (; i + Vector512<float>.Count <= n; i += Vector512<float>.Count)
            {
                var v = Vector512.Load(x + i);
                var s = Vector512.Sin(v * vf);
                Vector512.Store(Vector512.FusedMultiplyAdd(s * s, vm, v), y + i);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> vf = Vector256.Create(f), vm = Vector256.Create(m);
            for (; i + Vector256<float>.Count <= n; i += Vector256<float>.Count)
            {
                var v = Vector256.Load(x + i);
                var s = Vector256.Sin(v * vf);
                Vector256.Store(Vector256.FusedMultiplyAdd(s * s, vm, v), y + i);
            }
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            Vector128<float> vf = Vector128.Create(f), vm = Vector128.Create(m);
            for (; i + Vector128<float>.Count <= n; i += Vector128<float>.Count)
            {
                var v = Vector128.Load(x + i);
                var s = Vector128.Sin(v * vf);
                Vector128.Store(Vector128.FusedMultiplyAdd(s * s, vm, v), y + i);
            }
        }

        for (; i < n; i++)
        {
            var s = MathF.Sin(x[i] * f);
            y[i] = MathF.FusedMultiplyAdd(s * s, m, x[i]);
        }
    }
}
