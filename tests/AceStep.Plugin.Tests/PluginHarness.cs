using System.Runtime.InteropServices;
using AceStep.Vst3;
using AceStep.Vst3.Hosting;

namespace AceStep.Plugin.Tests;

/// <summary>The published module, a host context, and the plugin's diagnostics exports, for the instance tests.</summary>
internal sealed unsafe class PluginHarness : IDisposable
{
    private readonly delegate* unmanaged<long> _allocatedBytes;
    private readonly delegate* unmanaged<int> _settleGc;
    private readonly delegate* unmanaged<int> _liveObjects;
    private readonly delegate* unmanaged<nint, double*, int*, long*, int> _captureInfo;
    private readonly delegate* unmanaged<nint, long, int, float*, int, long*, int> _readCapture;
    private readonly delegate* unmanaged<nint, long, long, long*, int, int> _captureCoverage;
    private readonly delegate* unmanaged<nint, Transport*, int, int> _readTransport;
    private readonly delegate* unmanaged<nint, long*, long*, double*, double*, int> _resolveRange;
    private readonly delegate* unmanaged<byte*, byte*, int, int, int> _configureLink;
    private readonly delegate* unmanaged<nint, byte*, int, int> _sessionView;
    private readonly delegate* unmanaged<nint, int> _missingTakes;
    private readonly delegate* unmanaged<nint, int> _pendingReaperInserts;
    private readonly delegate* unmanaged<nint, int> _loadedTakes;
    private readonly delegate* unmanaged<nint, long> _generatePresses;
    private readonly delegate* unmanaged<int> _collectionCount;
    private readonly delegate* unmanaged<nint, long> _untrustedBlocks;

    public PluginHarness()
    {
        Module = TestBundle.Load();
        Host = new HostApplication("AceStep Test Host");
        _allocatedBytes = (delegate* unmanaged<long>)NativeLibrary.GetExport(Module.Handle, "AceStepDiagnostics_AllocatedBytesForCurrentThread");
        _liveObjects = (delegate* unmanaged<int>)NativeLibrary.GetExport(Module.Handle, "AceStepDiagnostics_LiveObjects");
        _settleGc = (delegate* unmanaged<int>)NativeLibrary.GetExport(Module.Handle, "AceStepDiagnostics_SettleGarbageCollector");
        _captureInfo = (delegate* unmanaged<nint, double*, int*, long*, int>)NativeLibrary.GetExport(Module.Handle, "AceStepDiagnostics_CaptureInfo");
        _readCapture = (delegate* unmanaged<nint, long, int, float*, int, long*, int>)NativeLibrary.GetExport(Module.Handle, "AceStepDiagnostics_ReadCapture");
        _captureCoverage = (delegate* unmanaged<nint, long, long, long*, int, int>)NativeLibrary.GetExport(Module.Handle, "AceStepDiagnostics_CaptureCoverage");
        _readTransport = (delegate* unmanaged<nint, Transport*, int, int>)NativeLibrary.GetExport(Module.Handle, "AceStepDiagnostics_ReadTransport");
        _resolveRange = (delegate* unmanaged<nint, long*, long*, double*, double*, int>)NativeLibrary.GetExport(Module.Handle, "AceStepDiagnostics_ResolveRange");
        _configureLink = (delegate* unmanaged<byte*, byte*, int, int, int>)NativeLibrary.GetExport(Module.Handle, "AceStepDiagnostics_ConfigureLink");
        _sessionView = (delegate* unmanaged<nint, byte*, int, int>)NativeLibrary.GetExport(Module.Handle, "AceStepDiagnostics_SessionView");
        _missingTakes = (delegate* unmanaged<nint, int>)NativeLibrary.GetExport(Module.Handle, "AceStepDiagnostics_MissingTakes");
        _pendingReaperInserts = (delegate* unmanaged<nint, int>)NativeLibrary.GetExport(Module.Handle, "AceStepDiagnostics_PendingReaperInserts");
        _loadedTakes = (delegate* unmanaged<nint, int>)NativeLibrary.GetExport(Module.Handle, "AceStepDiagnostics_LoadedTakes");
        _collectionCount = (delegate* unmanaged<int>)NativeLibrary.GetExport(Module.Handle, "AceStepDiagnostics_CollectionCount");
        _generatePresses = (delegate* unmanaged<nint, long>)NativeLibrary.GetExport(Module.Handle, "AceStepDiagnostics_GeneratePresses");
        _untrustedBlocks = (delegate* unmanaged<nint, long>)NativeLibrary.GetExport(Module.Handle, "AceStepDiagnostics_UntrustedBlocks");
    }

    public Vst3Module Module { get; }

    public HostApplication Host { get; }

    public PluginFactoryRef Factory => Module.Factory;

    public static Tuid ProcessorCid => Tuid.Parse(TestBundle.ProcessorCid);

    public static Tuid ControllerCid => Tuid.Parse(TestBundle.ControllerCid);

    /// <summary>Bytes the plugin's own (NativeAOT) runtime has allocated on this thread.</summary>
    public long PluginAllocatedBytes => _allocatedBytes();

    /// <summary>A blocking full collection inside the plugin, so an allocation count starts from a settled runtime.</summary>
    public void SettlePluginGc() => _ = _settleGc();

    /// <summary>Components and controllers alive inside the plugin.</summary>
    public int LiveObjects => _liveObjects();

    /// <summary>The capture's rate, channels and capacity; null when the instance has no capture.</summary>
    public (double SampleRate, int Channels, long CapacityFrames)? GetCaptureInfo(PluginInstance instance)
    {
        double rate;
        int channels;
        long capacity;
        int status = _captureInfo(instance.Component.Component, &rate, &channels, &capacity);
        Assert.True(status >= 0);
        return status == 1 ? (rate, channels, capacity) : null;
    }

    /// <summary>Reads the capture as a worker would: interleaved frames, the status (0 complete, 1 partial, 2 changed, 3 empty) and covered frames.</summary>
    public (int Status, long Covered, float[] Samples) ReadCapture(PluginInstance instance, long start, int frames, int channels)
    {
        var samples = new float[frames * channels];
        long covered;
        int status;
        fixed (float* buffer = samples)
        {
            status = _readCapture(instance.Component.Component, start, frames, buffer, samples.Length, &covered);
        }

        Assert.True(status >= 0, "bad arguments to ReadCapture");
        return (status, covered, samples);
    }

    /// <summary>The recorded ranges within [from, to).</summary>
    public (long Start, long End)[] CaptureCoverage(PluginInstance instance, long from, long to)
    {
        var ranges = new long[2 * 64];
        int count;
        fixed (long* buffer = ranges)
        {
            count = _captureCoverage(instance.Component.Component, from, to, buffer, 64);
        }

        Assert.InRange(count, 0, 64);
        return [.. Enumerable.Range(0, count).Select(i => (ranges[2 * i], ranges[(2 * i) + 1]))];
    }

    /// <summary>The latest transport snapshot, or null when none was published.</summary>
    public Transport? ReadTransport(PluginInstance instance)
    {
        Transport snapshot;
        int status = _readTransport(instance.Component.Component, &snapshot, sizeof(Transport));
        Assert.True(status >= 0, "transport layout mismatch");
        return status == 1 ? snapshot : null;
    }

    /// <summary>The range a job would cover now: source (0 unresolved, 1 cycle, 2 bars), samples and quarter notes.</summary>
    public (int Source, long Start, long End, double StartPpq, double EndPpq) ResolveRange(PluginInstance instance)
    {
        long start, end;
        double startPpq, endPpq;
        int source = _resolveRange(instance.Component.Component, &start, &end, &startPpq, &endPpq);
        Assert.True(source >= 0);
        return (source, start, end, startPpq, endPpq);
    }

    /// <summary>
    /// Points the plugin's engine link at <paramref name="pipeName"/> and saves takes in <paramref name="takesFolder"/>;
    /// no browser opens and no engine is started by the plugin. Process-wide inside the plugin, so every test that
    /// configures it sets all values.
    /// </summary>
    public void ConfigureLink(string? pipeName, string? takesFolder)
    {
        byte[]? pipe = pipeName is null ? null : System.Text.Encoding.UTF8.GetBytes(pipeName + "\0");
        byte[]? folder = takesFolder is null ? null : System.Text.Encoding.UTF8.GetBytes(takesFolder + "\0");
        fixed (byte* p = pipe)
        fixed (byte* f = folder)
        {
            Assert.Equal(0, _configureLink(p, f, 0, 0));
        }
    }

    /// <summary>The view the instance would publish to its control page now, as JSON.</summary>
    public string SessionView(PluginInstance instance)
    {
        // The view changes while a job runs: ask with a generous buffer, and again with a bigger one if it grew.
        var buffer = new byte[64 * 1024];
        while (true)
        {
            int length;
            fixed (byte* b = buffer)
            {
                length = _sessionView(instance.Component.Component, b, buffer.Length);
            }

            Assert.True(length > 0, "SessionView failed");
            if (length <= buffer.Length)
            {
                return System.Text.Encoding.UTF8.GetString(buffer, 0, length);
            }

            buffer = new byte[length * 2];
        }
    }

    /// <summary>Takes listed whose file could not be read back.</summary>
    public int MissingTakes(PluginInstance instance) => _missingTakes(instance.Component.Component);

    /// <summary>Takes loaded into playback slots.</summary>
    public int LoadedTakes(PluginInstance instance) => _loadedTakes(instance.Component.Component);

    /// <summary>Garbage collections of the plugin's runtime so far.</summary>
    public int PluginCollections => _collectionCount();

    /// <summary>Presses of Generate the processor counted.</summary>
    public long GeneratePresses(PluginInstance instance) => _generatePresses(instance.Component.Component);

    /// <summary>Blocks the processor passed through because their position jumped.</summary>
    public long UntrustedBlocks(PluginInstance instance) => _untrustedBlocks(instance.Component.Component);

    /// <summary>
    /// Waits (a failure guard, not a timing) until <paramref name="condition"/> holds: the plugin's worker loop does
    /// the work asynchronously, and a test can only observe its result.
    /// </summary>
    public static void WaitFor(Func<bool> condition, string what, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting for: " + what);
            Thread.Sleep(10);
        }
    }

    /// <summary>REAPER inserts waiting for the main thread.</summary>
    public int PendingReaperInserts(PluginInstance instance) => _pendingReaperInserts(instance.Component.Component);

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

/// <summary>The plugin's TransportSnapshot, field for field (the export checks the size).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct Transport
{
    public int Fields;
    public int Numerator;
    public int Denominator;
    public int Bar;
    public double SampleRate;
    public long ProjectTimeSamples;
    public double Tempo;
    public double Ppq;
    public double BarStartPpq;
    public double BeatInBar;
    public double CycleStartPpq;
    public double CycleEndPpq;
    public long CycleStartSamples;
    public long CycleEndSamples;
    public long Block;

    public readonly bool Has(int field) => (Fields & field) == field;
}

/// <summary>The plugin's TransportFields bits.</summary>
internal static class TransportField
{
    public const int Playing = 1;
    public const int Tempo = 2;
    public const int TimeSignature = 4;
    public const int Ppq = 8;
    public const int Bar = 16;
    public const int HostBarPosition = 32;
    public const int Cycle = 64;
    public const int CycleActive = 128;
    public const int CycleSamples = 256;
    public const int Offline = 512;
    public const int CycleObserved = 1024;
    public const int CycleRemembered = 2048;
}
