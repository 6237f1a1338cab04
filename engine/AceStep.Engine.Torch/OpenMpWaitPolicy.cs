using System.Runtime.InteropServices;

namespace AceStep.Engine.Torch;

/// <summary>
/// Makes libtorch's OpenMP threads sleep, not spin, between parallel regions (<c>OMP_WAIT_POLICY=PASSIVE</c>), unless
/// the user set a policy. Spinning workers keep every core busy for a while after each libtorch op; the LM's decode
/// step alternates hundreds of small libtorch ops with the engine's own multi-threaded kernel (AceStep.Engine.Kernels),
/// whose threads then wait for a time slice: measured on the 2-vCPU build VM, 2.9 tokens/s spinning against 8.9–10.1
/// sleeping for the 0.6B LM (docs/performance.md). Large ops (the DiT's, the VAE's) do not notice the wake-up.
/// Must run before libtorch loads: OpenMP reads the variable once.
/// </summary>
internal static partial class OpenMpWaitPolicy
{
    public const string Variable = "OMP_WAIT_POLICY";

    public static void Apply()
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable)))
            return;
        // .NET keeps its own copy of the environment on Unix: the native one, which libgomp reads, needs setenv.
        if (OperatingSystem.IsWindows())
            Environment.SetEnvironmentVariable(Variable, "PASSIVE");
        else
            _ = SetEnv(Variable, "PASSIVE", 0);
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
