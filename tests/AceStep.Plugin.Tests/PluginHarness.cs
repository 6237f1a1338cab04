using System.Runtime.InteropServices;
using AceStep.Vst3;
using AceStep.Vst3.Hosting;

namespace AceStep.Plugin.Tests;

/// <summary>The published module, a host context, and the plugin's diagnostics exports, for the instance tests.</summary>
internal sealed unsafe class PluginHarness : IDisposable
{
    private readonly delegate* unmanaged<long> _allocatedBytes;
    private readonly delegate* unmanaged<int> _liveObjects;

    public PluginHarness()
    {
        Module = TestBundle.Load();
        Host = new HostApplication("AceStep Test Host");
        _allocatedBytes = (delegate* unmanaged<long>)NativeLibrary.GetExport(Module.Handle, "AceStepDiagnostics_AllocatedBytesForCurrentThread");
        _liveObjects = (delegate* unmanaged<int>)NativeLibrary.GetExport(Module.Handle, "AceStepDiagnostics_LiveObjects");
    }

    public Vst3Module Module { get; }

    public HostApplication Host { get; }

    public PluginFactoryRef Factory => Module.Factory;

    public static Tuid ProcessorCid => Tuid.Parse(TestBundle.ProcessorCid);

    public static Tuid ControllerCid => Tuid.Parse(TestBundle.ControllerCid);

    /// <summary>Bytes the plugin's own (NativeAOT) runtime has allocated on this thread.</summary>
    public long PluginAllocatedBytes => _allocatedBytes();

    /// <summary>Components and controllers alive inside the plugin.</summary>
    public int LiveObjects => _liveObjects();

    public PluginInstance CreateInstance() => PluginInstance.Create(Factory, ProcessorCid, Host);

    public static ProcessSetup Setup(SymbolicSampleSize size, int maxSamples = 512, double sampleRate = 48000) => new()
    {
        ProcessMode = ProcessMode.Realtime,
        SymbolicSampleSize = size,
        MaxSamplesPerBlock = maxSamples,
        SampleRate = sampleRate,
    };

    public void Dispose()
    {
        Module.Dispose();
        Host.Dispose();
    }
}
