using System.Runtime.InteropServices;

namespace AceStep.Engine.Torch.Tests;

/// <summary>
/// libtorch's OpenMP threads must sleep between ops in the engine (spinning, they starved the LM decode kernel's threads:
/// 2.9 against 10 tokens/s, docs/performance.md). OpenMP reads the policy from the native environment when libtorch
/// loads, so the runtime has to have set it there — .NET's own environment copy is not what libgomp sees on Linux.
/// </summary>
public partial class OpenMpWaitPolicyTests
{
    [Fact]
    public void Loading_libtorch_leaves_openmp_passive_unless_the_user_chose_a_policy()
    {
        var before = Environment.GetEnvironmentVariable("OMP_WAIT_POLICY");
        _ = TorchRuntime.Create(new TorchRuntimeOptions { Device = TorchDevicePreference.Cpu });
        var native = OperatingSystem.IsWindows()
            ? Environment.GetEnvironmentVariable("OMP_WAIT_POLICY")
            : Marshal.PtrToStringUTF8(GetEnv("OMP_WAIT_POLICY"));
        Assert.Equal(string.IsNullOrEmpty(before) ? "PASSIVE" : before, native);
    }

    [LibraryImport("libc", EntryPoint = "getenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr GetEnv(string name);
}
