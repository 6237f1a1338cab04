using AceStep.Engine.Torch;
using TorchSharp;

namespace AceStep.Engine.Torch.Tests;

/// <summary>Device, dtype and thread policy of <see cref="TorchRuntime"/>.</summary>
public class DevicePolicyTests
{
    [Fact]
    public void Explicit_cpu_gives_cpu_float32_and_reports_versions()
    {
        var runtime = TorchRuntime.Create(new TorchRuntimeOptions { Device = TorchDevicePreference.Cpu });

        Assert.Equal(DeviceType.CPU, runtime.Device.type);
        Assert.False(runtime.IsCuda);
        Assert.Equal(torch.ScalarType.Float32, runtime.ComputeDType);
        Assert.Equal("cpu", runtime.Info.Backend);
        Assert.Equal("cpu", runtime.Info.Device);
        Assert.Equal("Float32", runtime.Info.ComputeDType);
        Assert.StartsWith("2.10", runtime.Info.LibTorchVersion, StringComparison.Ordinal);
        Assert.Equal("0.107.0", runtime.Info.TorchSharpVersion);
        Assert.True(runtime.Info.Threads > 0);
        Assert.Contains("libtorch 2.10", runtime.Info.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Cuda_requested_without_cuda_throws_a_clear_typed_error()
    {
        // This build uses TorchSharp-cpu, so CUDA is never usable, even on a machine with a GPU.
        if (torch.cuda.is_available())
            return;

        var e = Assert.Throws<TorchDeviceUnavailableException>(
            () => TorchRuntime.Create(new TorchRuntimeOptions { Device = TorchDevicePreference.Cuda }));

        Assert.Equal(TorchDevicePreference.Cuda, e.Requested);
        Assert.Contains("CUDA was requested", e.Message, StringComparison.Ordinal);
        Assert.Contains("-p:AceStepTorchBackend=cuda", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Auto_on_a_machine_without_cuda_falls_back_to_cpu()
    {
        var runtime = TorchRuntime.Create();
        Assert.Equal(torch.cuda.is_available() ? DeviceType.CUDA : DeviceType.CPU, runtime.Device.type);
    }

    [Theory]
    [InlineData(TorchDevicePreference.Auto, true, DeviceType.CUDA)]
    [InlineData(TorchDevicePreference.Auto, false, DeviceType.CPU)]
    [InlineData(TorchDevicePreference.Cpu, true, DeviceType.CPU)]
    [InlineData(TorchDevicePreference.Cpu, false, DeviceType.CPU)]
    [InlineData(TorchDevicePreference.Cuda, true, DeviceType.CUDA)]
    public void Device_policy_table(TorchDevicePreference requested, bool cudaAvailable, DeviceType expected) =>
        Assert.Equal(expected, TorchRuntime.ResolveDeviceType(requested, cudaAvailable, "cuda"));

    [Fact]
    public void Cuda_requested_on_a_cuda_build_without_a_gpu_names_the_driver()
    {
        var e = Assert.Throws<TorchDeviceUnavailableException>(
            () => TorchRuntime.ResolveDeviceType(TorchDevicePreference.Cuda, cudaAvailable: false, backend: "cuda"));
        Assert.Contains("nvidia-smi", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dtype_policy_is_fp32_on_cpu_bf16_on_cuda_and_overridable()
    {
        Assert.Equal(torch.ScalarType.Float32, TorchRuntime.ResolveComputeDType(DeviceType.CPU, null));
        Assert.Equal(torch.ScalarType.BFloat16, TorchRuntime.ResolveComputeDType(DeviceType.CUDA, null));
        Assert.Equal(torch.ScalarType.Float16, TorchRuntime.ResolveComputeDType(DeviceType.CUDA, torch.ScalarType.Float16));
        Assert.Equal(torch.ScalarType.Float64, TorchRuntime.ResolveComputeDType(DeviceType.CPU, torch.ScalarType.Float64));
        Assert.Throws<ArgumentException>(() => TorchRuntime.ResolveComputeDType(DeviceType.CPU, torch.ScalarType.Int32));
    }

    [Fact]
    public void Thread_count_is_applied_and_reported()
    {
        var before = torch.get_num_threads();
        try
        {
            var runtime = TorchRuntime.Create(new TorchRuntimeOptions { Device = TorchDevicePreference.Cpu, Threads = 1 });
            Assert.Equal(1, runtime.Info.Threads);
            Assert.Equal(1, torch.get_num_threads());
        }
        finally
        {
            torch.set_num_threads(before);
        }
    }

    [Theory]
    [InlineData("auto", TorchDevicePreference.Auto)]
    [InlineData("CPU", TorchDevicePreference.Cpu)]
    [InlineData(" cuda ", TorchDevicePreference.Cuda)]
    public void Device_setting_parses(string text, TorchDevicePreference expected) =>
        Assert.Equal(expected, TorchRuntimeOptions.ParseDevice(text));

    [Fact]
    public void Bad_options_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => TorchRuntimeOptions.ParseDevice("tpu"));
        Assert.Throws<ArgumentException>(() => TorchRuntime.Create(new TorchRuntimeOptions { Threads = 0 }));
    }
}
