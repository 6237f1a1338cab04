using System.Runtime.InteropServices;
using AceStep.Plugin.Capture;
using AceStep.Plugin.Interop;
using System.Text.Json;
using AceStep.Contracts;
using AceStep.Plugin.Processing;
using AceStep.Plugin.Session;
using AceStep.Plugin.Timeline;

namespace AceStep.Plugin.Diagnostics;

/// <summary>
/// Read-only C exports for tests and troubleshooting. The plugin's managed code runs on its own NativeAOT runtime,
/// so a host process cannot see the plugin's allocations, objects or internal state through its own runtime; these
/// report them. The per-instance ones take the <c>IComponent*</c> the factory returned and do what the worker thread
/// will do (read the capture, the transport snapshot and the job range); they must not be called on the audio thread.
/// </summary>
internal static unsafe class DiagnosticExports
{
    /// <summary>Bytes the plugin's runtime has allocated on the calling thread (<c>GC.GetAllocatedBytesForCurrentThread</c>).</summary>
    [UnmanagedCallersOnly(EntryPoint = "AceStepDiagnostics_AllocatedBytesForCurrentThread")]
    private static long AllocatedBytesForCurrentThread() => GC.GetAllocatedBytesForCurrentThread();

    /// <summary>
    /// Runs a blocking full collection in the plugin's runtime. Allocation tests call it before measuring: a background
    /// collection still finishing from earlier work retires the thread's allocation context and moves the per-thread
    /// byte count by up to one context (~8 KB) although nothing was allocated.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "AceStepDiagnostics_SettleGarbageCollector")]
    private static int SettleGarbageCollector()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true);
        return 0;
    }

    /// <summary>Garbage collections the plugin's runtime has made so far (generation 0 and up).</summary>
    [UnmanagedCallersOnly(EntryPoint = "AceStepDiagnostics_CollectionCount")]
    private static int CollectionCount() => GC.CollectionCount(0);

    /// <summary>Components and controllers created and not yet destroyed by their last release.</summary>
    [UnmanagedCallersOnly(EntryPoint = "AceStepDiagnostics_LiveObjects")]
    private static int LiveObjects() => ComObject.LiveCount;

    /// <summary>The capture's format: 1 and the values when the instance has a capture, 0 when not, −1 for a bad pointer.</summary>
    [UnmanagedCallersOnly(EntryPoint = "AceStepDiagnostics_CaptureInfo")]
    private static int CaptureInfo(void* component, double* sampleRate, int* channels, long* capacityFrames)
    {
        if (Processor(component) is not { } processor || sampleRate == null || channels == null || capacityFrames == null)
        {
            return -1;
        }

        if (processor.Capture.Store is not { } store)
        {
            return 0;
        }

        *sampleRate = store.SampleRate;
        *channels = store.Channels;
        *capacityFrames = store.CapacityFrames;
        return 1;
    }

    /// <summary>
    /// <see cref="CaptureReader.Read"/>: copies <paramref name="frames"/> interleaved frames from project sample
    /// <paramref name="start"/>; returns the <see cref="CaptureReadStatus"/> (−1 for bad arguments).
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "AceStepDiagnostics_ReadCapture")]
    private static int ReadCapture(void* component, long start, int frames, float* interleaved, int capacity, long* coveredFrames)
    {
        try
        {
            if (Processor(component) is not { } processor || interleaved == null || coveredFrames == null || frames < 0 || capacity < 0)
            {
                return -1;
            }

            var result = CaptureReader.Read(processor.Capture.Store, start, frames, new Span<float>(interleaved, capacity));
            *coveredFrames = result.CoveredFrames;
            return (int)result.Status;
        }
#pragma warning disable CA1031 // Nothing may unwind into the caller; a too-small buffer is a bad argument.
        catch (Exception)
#pragma warning restore CA1031
        {
            return -1;
        }
    }

    /// <summary>
    /// <see cref="CaptureReader.CoveredRanges"/> within <c>[from, to)</c>: writes up to <paramref name="maxRanges"/>
    /// (start, end) pairs and returns how many ranges there are (−1 for bad arguments).
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "AceStepDiagnostics_CaptureCoverage")]
    private static int CaptureCoverage(void* component, long from, long to, long* ranges, int maxRanges)
    {
        if (Processor(component) is not { } processor || (ranges == null && maxRanges > 0))
        {
            return -1;
        }

        var covered = CaptureReader.CoveredRanges(processor.Capture.Store, from, to);
        for (int i = 0; i < Math.Min(covered.Count, maxRanges); i++)
        {
            ranges[2 * i] = covered[i].Start;
            ranges[(2 * i) + 1] = covered[i].End;
        }

        return covered.Count;
    }

    /// <summary>
    /// The latest <see cref="TransportSnapshot"/>: 1 when one was published, 0 when not, −1 when the pointer is bad or
    /// <paramref name="size"/> is not the struct's size (a caller built against another layout).
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "AceStepDiagnostics_ReadTransport")]
    private static int ReadTransport(void* component, TransportSnapshot* snapshot, int size)
    {
        if (Processor(component) is not { } processor || snapshot == null || size != sizeof(TransportSnapshot))
        {
            return -1;
        }

        if (!processor.Transport.TryRead(out var value))
        {
            return 0;
        }

        *snapshot = value;
        return 1;
    }

    /// <summary>The range a job would cover now (<see cref="AceStepProcessor.ResolveJobRange"/>); returns its <see cref="JobRangeSource"/> or −1.</summary>
    [UnmanagedCallersOnly(EntryPoint = "AceStepDiagnostics_ResolveRange")]
    private static int ResolveRange(void* component, long* startSamples, long* endSamples, double* startPpq, double* endPpq)
    {
        if (Processor(component) is not { } processor || startSamples == null || endSamples == null || startPpq == null || endPpq == null)
        {
            return -1;
        }

        var range = processor.ResolveJobRange();
        *startSamples = range.StartSamples;
        *endSamples = range.EndSamples;
        *startPpq = range.StartPpq;
        *endPpq = range.EndPpq;
        return (int)range.Source;
    }

    /// <summary>
    /// Points every instance's engine link at a given pipe and takes folder (null or empty: the environment's), says
    /// whether the control page may open a browser and whether the plugin may start an engine. For test hosts: the
    /// plugin's runtime read its environment when it started, so a host process cannot change it later.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "AceStepDiagnostics_ConfigureLink")]
    private static int ConfigureLink(byte* pipeName, byte* takesFolder, int openBrowser, int startEngine)
    {
        LinkSettings.Override(LinkSettings.Utf8(pipeName), LinkSettings.Utf8(takesFolder), openBrowser != 0, startEngine != 0);
        return 0;
    }

    /// <summary>
    /// The view the instance would publish to its control page now (UTF-8 JSON of the <c>SessionView</c> contract):
    /// returns the byte count (copied when it fits <paramref name="capacity"/>), or −1 for a bad pointer.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "AceStepDiagnostics_SessionView")]
    private static int SessionView(void* component, byte* buffer, int capacity)
    {
        try
        {
            if (Processor(component) is not { } processor || (buffer == null && capacity > 0))
            {
                return -1;
            }

            var range = processor.ResolveJobRange();
            var transport = processor.Transport.TryRead(out var t) ? t : default;
            var view = ViewBuilder.Build(processor, range, transport, processor.Runtime.Job,
                SettingsMapping.From(processor.Plain, processor.Texts), null, processor.Library.Views());
            var json = JsonSerializer.SerializeToUtf8Bytes(view, ContractsJson.Default.SessionView);
            if (json.Length <= capacity)
            {
                json.CopyTo(new Span<byte>(buffer, capacity));
            }

            return json.Length;
        }
#pragma warning disable CA1031 // Nothing may unwind into the caller.
        catch (Exception)
#pragma warning restore CA1031
        {
            return -1;
        }
    }

    /// <summary>Listed takes whose WAV file could not be read back (after a restore), or −1 for a bad pointer.</summary>
    [UnmanagedCallersOnly(EntryPoint = "AceStepDiagnostics_MissingTakes")]
    private static int MissingTakes(void* component) =>
        Processor(component) is { } processor ? processor.Library.Views().Count(t => t.Missing) : -1;

    /// <summary>Listed takes loaded into a playback slot, or −1 for a bad pointer.</summary>
    [UnmanagedCallersOnly(EntryPoint = "AceStepDiagnostics_LoadedTakes")]
    private static int LoadedTakes(void* component) =>
        Processor(component) is { } processor ? processor.Library.LoadedCount : -1;

    /// <summary>Inserts REAPER is still to make on its main thread (−1 for a bad pointer, 0 when the host is not REAPER).</summary>
    [UnmanagedCallersOnly(EntryPoint = "AceStepDiagnostics_PendingReaperInserts")]
    private static int PendingReaperInserts(void* component) =>
        Processor(component) is { } processor ? processor.Reaper?.PendingInserts ?? 0 : -1;

    /// <summary>Presses of Generate counted by process() so far (the worker acts on each), or −1 for a bad pointer.</summary>
    [UnmanagedCallersOnly(EntryPoint = "AceStepDiagnostics_GeneratePresses")]
    private static long GeneratePresses(void* component) =>
        Processor(component) is { } processor ? processor.GenerateTriggers : -1;

    /// <summary>Blocks passed through unrecorded because their position jumped (<c>PlayheadGuard</c>), or −1 for a bad pointer.</summary>
    [UnmanagedCallersOnly(EntryPoint = "AceStepDiagnostics_UntrustedBlocks")]
    private static long UntrustedBlocks(void* component) =>
        Processor(component) is { } processor ? processor.UntrustedBlocks : -1;

    private static AceStepProcessor? Processor(void* component) => NativeSlots.Resolve<AceStepProcessor>(component);
}
