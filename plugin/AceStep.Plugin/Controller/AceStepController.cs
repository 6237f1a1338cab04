using AceStep.Plugin.Interop;
using AceStep.Plugin.Parameters;
using AceStep.Plugin.State;
using AceStep.Vst3;

namespace AceStep.Plugin.Controller;

/// <summary>
/// The edit controller: <c>IEditController</c> and <c>IConnectionPoint</c>. It owns the parameter list the host shows
/// (no editor yet: createView returns null and hosts draw their generic UI) and mirrors the component's state.
/// </summary>
/// <remarks>A separate class from the processor because the factory declares the processor Distributable: host may run them apart.</remarks>
internal sealed unsafe class AceStepController : ComObject, IConnectionPointOwner, IStateHolder
{
    public const int EditControllerSlot = 0;
    public const int ConnectionPointSlot = 1;

    private readonly HostContext _host = new();
    private PluginStateSnapshot _state = PluginStateSnapshot.Default();
    private nint _componentHandler;

    public AceStepController()
        : base([ControllerVtable.EditController, ConnectionPointVtable.Vtable])
    {
    }

    public PeerConnection Connection { get; } = new();

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
    public PluginStateSnapshot Snapshot() => _state with { Normalized = [.. _state.Normalized] };

    /// <summary>Replaces the whole state (setComponentState and setState).</summary>
    public void Apply(PluginStateSnapshot state) => _state = state with { Normalized = [.. state.Normalized] };

    public double GetNormalized(uint id) => PluginParameters.Find(id) is null ? 0 : _state.Normalized[id];

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
        : -1;

    protected override void OnDestroy() => Terminate();
}
