using System.Text.Json.Nodes;

namespace AceStep.Engine.Host.Tasks;

/// <summary>
/// What the engine computes with, for <c>ping</c>'s reply and <c>acestep status</c>: the CPU's features and the compute
/// plan chosen from them (docs/performance.md). Made without loading libtorch, so a ping stays instant.
/// </summary>
public static class ComputeReport
{
    /// <summary>The <c>compute</c> object: <c>device</c>, <c>cpu</c>, <c>memoryMode</c>, <c>lm</c>, <c>models</c>.</summary>
    public static JsonObject Describe(EngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var onGpu = options.Device == Torch.TorchDevicePreference.Cuda;
        var plan = Pipelines.ModelAudioGenerator.ComputePlanFor(onGpu, options.MemoryMode, options.Compute);
        return new JsonObject
        {
            ["device"] = options.Device.ToString().ToLowerInvariant(),
            ["cpu"] = plan.Cpu.Describe(),
            ["memoryMode"] = options.MemoryMode.ToString().ToLowerInvariant(),
            // With --device auto the plan applies when no usable GPU is found (decided at the first job).
            ["lm"] = onGpu ? "the GPU's compute dtype" : plan.LmDescription,
            ["models"] = onGpu ? "the GPU's compute dtype" : plan.ModelsDescription,
        };
    }
}
