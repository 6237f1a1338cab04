using AceStep.Plugin.Interop;
using AceStep.Plugin.Parameters;
using AceStep.Plugin.Processing;
using AceStep.Plugin.State;
using AceStep.Vst3;

namespace AceStep.Plugin.Controller;

/// <summary>
/// The edit controller: <c>IEditController</c> and <c>IConnectionPoint</c>. It owns the parameter list the host shows,
/// creates the editor view (<see cref="Editor.PlugView"/>) and mirrors the component's state.
/// </summary>
/// <remarks>A separate class from the processor because the factory declares the processor Distributable: host may run them apart.</remarks>
internal sealed unsafe class AceStepController : ComObject, IConnectionPointOwner, IStateHolder
{
    public const int EditControllerSlot = 0;
    public const int ConnectionPointSlot = 1;
    public const int InfoListenerSlot = 2;

    private readonly HostContext _host = new();
    private PluginStateSnapshot _state = PluginStateSnapshot.Default();
    private nint _componentHandler;

    public AceStepController()
        : base([ControllerVtable.EditController, ConnectionPointVtable.Vtable, InfoListenerVtable.Vtable])
    {
    }

    public PeerConnection Connection { get; } = new();

    /// <summary>The track the host says the instance is on (IInfoListener), or null before it said.</summary>
    public TrackInfo? Track { get; private set; }

    /// <summary>Takes the host's track name and colour and hands them to the processor (its control page shows them).</summary>
    public void SetTrack(TrackInfo track)
    {
        Track = track;
        if (InProcessProcessor is { } processor)
            processor.Track = track;
    }

    /// <summary>
    /// No message is defined towards the controller yet (take ready and progress come with the engine round trip):
    /// kResultFalse, as the SDK's base class answers messages it does not know.
    /// </summary>
    public int Notify(void* message) => Vst3Result.False;

    /// <summary>The host's name from initialize.</summary>
    public string? HostName => _host.HostName;

    /// <summary>The <c>IComponentHandler*</c> the host gave (edits from a future editor go through it), or null.</summary>
    public void* ComponentHandler => (void*)Volatile.Read(ref _componentHandler);

    public bool Initialize(void* context) => _host.Initialize(context);

    public bool Terminate()
    {
        Connection.Clear();
        SetComponentHandler(null);
        return _host.Terminate();
    }

    /// <summary>The current state (parameters as this controller shows them, prompt, lyrics).</summary>
    /// <remarks>
    /// The texts, the instance id and the takes change on the processor's side (the control page, finished takes);
    /// when the processor is connected directly, its current ones are taken so a controller state is never stale.
    /// </remarks>
    public PluginStateSnapshot Snapshot()
    {
        FlushHostEdits();
        var own = _state with { Normalized = [.. _state.Normalized] };
        return InProcessProcessor?.CurrentState() is { } processor
            ? processor with { Normalized = own.Normalized }
            : own;
    }

    /// <summary>Replaces the whole state (setComponentState and setState).</summary>
    /// <summary>
    /// Mirrors the component's state. The id is the one its processor holds, which differs from the state's when the
    /// processor took the state as a copy (a preset from another track): the controller must not find the original.
    /// </summary>
    public void Apply(PluginStateSnapshot state, StateOrigin origin)
    {
        var own = ConnectedProcessor ?? ProcessorDirectory.ForState(state.InstanceId);
        _state = state with { Normalized = [.. state.Normalized], InstanceId = own?.InstanceId ?? state.InstanceId };
    }

    public double GetNormalized(uint id)
    {
        FlushHostEdits();
        return PluginParameters.Find(id) is null ? 0 : _state.Normalized[id];
    }

    /// <summary>
    /// The processor this controller is connected to directly (same process, no host proxy between them), or null.
    /// Only a pointer whose vtable is our own connection point's is followed, so a host's proxy is never misread.
    /// </summary>
    public AceStepProcessor? ConnectedProcessor
    {
        get
        {
            void* peer = Connection.Peer;
            return peer != null && (nint)((NativeInterfaceSlot*)peer)->Vtable == ConnectionPointVtable.Vtable
                ? NativeSlots.Resolve<AceStepProcessor>(peer)
                : null;
        }
    }

    /// <summary>
    /// The text of a parameter value. Open Control Page shows the page's address once the instance has one, and
    /// Generate the job's state, progress or failure (the only places a host without our editor shows text the plugin
    /// chooses), cut to what a String128 holds.
    /// </summary>
    public string DisplayText(ParameterDefinition parameter, double normalized)
    {
        FlushHostEdits();
        if (parameter.Id == ParameterId.OpenPage && InProcessProcessor?.Runtime.ControlUrl is { } url)
        {
            return Fit(url);
        }

        // Generate shows the job, so progress and failures are visible without the page: "Running 40% diffusion",
        // "Failed: Write a prompt first: …", "Done".
        if (parameter.Id == ParameterId.Generate && InProcessProcessor?.Runtime.Job is { State: not "idle" } job)
        {
            string state = char.ToUpperInvariant(job.State[0]) + job.State[1..];
            return Fit(job.State switch
            {
                "running" => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{state} {job.Progress:0}% {job.Stage}").TrimEnd(),
                "failed" or "cancelled" when job.Message.Length > 0 => $"{state}: {job.Message}",
                _ => state,
            });
        }

        return parameter.Format(parameter.ToPlain(normalized));
    }

    // A String128 holds 127 characters and the terminator.
    private static string Fit(string text) => text.Length > 127 ? text[..127] : text;

    /// <summary>
    /// The processor of this instance in this process: the directly connected one, else (a host that connects the two
    /// through proxies, such as Ardour) the live processor whose instance id the component's state gave this controller.
    /// The editor and the host-edit flush use it; null when the processor runs elsewhere.
    /// </summary>
    public AceStepProcessor? InProcessProcessor => ConnectedProcessor ?? ProcessorDirectory.Find(_state.InstanceId);

    /// <summary>
    /// Tells the host about parameter values the control page changed (queued by the processor's worker). Called from
    /// the controller's own entry points, which hosts call on their main thread — where IComponentHandler must be used.
    /// Hosts without an editor give the plugin no main-thread timer, and a generic parameter UI polls
    /// getParamNormalized/getParamStringByValue, so the edits reach the host at its next poll.
    /// </summary>
    public void FlushHostEdits()
    {
        if (InProcessProcessor is not { } processor)
        {
            return;
        }

        // The host may name the track before it connects the two halves.
        if (Track is { } track && processor.Track != track)
        {
            processor.Track = track;
        }

        void* handler = ComponentHandler;
        while (processor.HostEdits.TryDequeue(out var edit))
        {
            _state.Normalized[(int)edit.Id] = edit.Normalized;
            if (handler != null)
            {
                HostComponentHandler.Edit(handler, (uint)edit.Id, edit.Normalized);
            }
        }
    }

    public bool SetNormalized(uint id, double value)
    {
        if (PluginParameters.Find(id) is null || double.IsNaN(value))
        {
            return false;
        }

        _state.Normalized[id] = Math.Clamp(value, 0, 1);
        return true;
    }

    public void SetComponentHandler(void* handler)
    {
        if (handler != null)
        {
            HostUnknown.AddRef(handler);
        }

        nint previous = Interlocked.Exchange(ref _componentHandler, (nint)handler);
        if (previous != 0)
        {
            HostUnknown.Release((void*)previous);
        }
    }

    public static bool TryGetParameterInfo(int index, ParameterInfo* info)
    {
        if ((uint)index >= (uint)PluginParameters.Count)
        {
            return false;
        }

        var parameter = PluginParameters.All[index];
        *info = default;
        info->Id = (uint)parameter.Id;
        info->Title.Set(parameter.Title);
        info->ShortTitle.Set(parameter.ShortTitle);
        info->Units.Set(parameter.Units);
        info->StepCount = parameter.StepCount;
        info->DefaultNormalizedValue = parameter.DefaultNormalized;
        // No units (groups) of parameters: everything sits in the root unit, so no IUnitInfo is needed.
        info->UnitId = ParameterInfoConstants.RootUnitId;
        info->Flags = parameter.Flags;
        return true;
    }

    protected override int SlotFor(in Tuid iid) =>
        iid == Iids.IEditController.Tuid || iid == Iids.IPluginBase.Tuid ? EditControllerSlot
        : iid == Iids.IConnectionPoint.Tuid ? ConnectionPointSlot
        : iid == Iids.IInfoListener.Tuid ? InfoListenerSlot
        : -1;

    protected override void OnDestroy() => Terminate();
}
