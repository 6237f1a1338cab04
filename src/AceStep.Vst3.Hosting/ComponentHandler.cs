using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AceStep.Vst3.Hosting;

/// <summary>
/// A host's <c>IComponentHandler</c> that records what the controller tells the host (beginEdit, performEdit,
/// endEdit, restartComponent) as text, e.g. <c>performEdit(6,0.5)</c>, and the thread each call came on.
/// </summary>
public sealed unsafe class ComponentHandler : HostComObject
{
    private static readonly void** s_vtable = BuildVtable();
    private readonly List<(string Call, int ThreadId)> _calls = [];

    /// <summary>Creates the handler.</summary>
    public ComponentHandler()
        : base(s_vtable)
    {
    }

    /// <summary>The calls so far, in order, with the managed thread id they came on.</summary>
    public IReadOnlyList<(string Call, int ThreadId)> Calls
    {
        get
        {
            lock (_calls)
                return [.. _calls];
        }
    }

    /// <inheritdoc/>
    protected override bool SupportsInterface(in Tuid iid) => iid == Iids.IComponentHandler.Tuid;

    private void Record(string call)
    {
        lock (_calls)
            _calls.Add((call, Environment.CurrentManagedThreadId));
    }

    private static void** BuildVtable()
    {
        void** vtable = CreateVtable(ComponentHandlerSlots.Count);
        vtable[ComponentHandlerSlots.BeginEdit] = (delegate* unmanaged[MemberFunction]<void*, uint, int>)&BeginEdit;
        vtable[ComponentHandlerSlots.PerformEdit] = (delegate* unmanaged[MemberFunction]<void*, uint, double, int>)&PerformEdit;
        vtable[ComponentHandlerSlots.EndEdit] = (delegate* unmanaged[MemberFunction]<void*, uint, int>)&EndEdit;
        vtable[ComponentHandlerSlots.RestartComponent] = (delegate* unmanaged[MemberFunction]<void*, int, int>)&RestartComponent;
        return vtable;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int BeginEdit(void* self, uint id)
    {
        Self<ComponentHandler>(self).Record($"beginEdit({id})");
        return Vst3Result.Ok;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int PerformEdit(void* self, uint id, double value)
    {
        Self<ComponentHandler>(self).Record(string.Create(CultureInfo.InvariantCulture, $"performEdit({id},{value:R})"));
        return Vst3Result.Ok;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int EndEdit(void* self, uint id)
    {
        Self<ComponentHandler>(self).Record($"endEdit({id})");
        return Vst3Result.Ok;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int RestartComponent(void* self, int flags)
    {
        Self<ComponentHandler>(self).Record($"restartComponent({flags})");
        return Vst3Result.Ok;
    }
}
