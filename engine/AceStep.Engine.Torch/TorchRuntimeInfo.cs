using System.Globalization;

namespace AceStep.Engine.Torch;

/// <summary>What the engine runs on, for its status output and logs.</summary>
/// <param name="TorchSharpVersion">Version of the TorchSharp managed assembly.</param>
/// <param name="LibTorchVersion">Version libtorch reports (torch.__version__), e.g. 2.10.0.</param>
/// <param name="Backend">The libtorch package this build uses: cpu or cuda (MSBuild property AceStepTorchBackend).</param>
/// <param name="Device">The device tensors are created on, e.g. cpu or cuda:0.</param>
/// <param name="ComputeDType">The dtype model weights and activations use, e.g. Float32.</param>
/// <param name="Threads">libtorch intra-op CPU threads.</param>
/// <param name="CudaAvailable">Whether a CUDA device is usable at all (independent of the chosen device).</param>
/// <param name="CudaDeviceCount">How many CUDA devices libtorch sees.</param>
public sealed record TorchRuntimeInfo(
    string TorchSharpVersion,
    string LibTorchVersion,
    string Backend,
    string Device,
    string ComputeDType,
    int Threads,
    bool CudaAvailable,
    int CudaDeviceCount)
{
    /// <summary>One line for a status display, e.g. "libtorch 2.10.0 (TorchSharp 0.107.0, cpu backend) on cpu, Float32, 2 threads".</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"libtorch {LibTorchVersion} (TorchSharp {TorchSharpVersion}, {Backend} backend) on {Device}, {ComputeDType}, {Threads} threads");
}
