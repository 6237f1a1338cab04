namespace AceStep.Engine.Torch;

/// <summary>Which device the engine should run the model on.</summary>
public enum TorchDevicePreference
{
    /// <summary>CUDA when a CUDA device is usable, otherwise CPU (the engine default).</summary>
    Auto,

    /// <summary>Always the CPU, even when a GPU is present (e.g. to leave the GPU to the DAW).</summary>
    Cpu,

    /// <summary>A CUDA device; creating the runtime fails with <see cref="TorchDeviceUnavailableException"/> if none is usable.</summary>
    Cuda,
}
