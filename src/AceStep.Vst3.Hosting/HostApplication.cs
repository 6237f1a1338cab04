using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AceStep.Vst3.Hosting;

/// <summary>The host context passed to <c>initialize</c>: an <c>IHostApplication</c> with a name.</summary>
/// <remarks>
/// <c>createInstance</c> (the host allocating IMessage/IAttributeList for connection-point messages) answers
/// kResultFalse until the plugin sends messages.
/// </remarks>
public sealed unsafe class HostApplication : HostComObject
{
    private static readonly void** s_vtable = BuildVtable();

    /// <summary>Creates the host application.</summary>
    /// <param name="name">What <c>getName</c> reports (cut to 127 characters).</param>
    public HostApplication(string name = "AceStep Test Host")
        : base(s_vtable)
    {
        Name = name;
    }

    /// <summary>The name reported to the plugin.</summary>
    public string Name { get; }

    /// <summary>
    /// A host extension (its IID and the object implementing it) that queryInterface on this host context hands out,
    /// as REAPER hands out <c>IReaperHostApplication</c>; null for none.
    /// </summary>
    public (Tuid Iid, HostComObject Object)? Extension { get; set; }

    /// <inheritdoc/>
    protected override bool SupportsInterface(in Tuid iid) => iid == Iids.IHostApplication.Tuid;

    /// <inheritdoc/>
    protected override HostComObject? QueryOther(in Tuid iid) =>
        Extension is { } extension && extension.Iid == iid ? extension.Object : null;

    private static void** BuildVtable()
    {
        void** vtable = CreateVtable(HostApplicationSlots.Count);
        vtable[HostApplicationSlots.GetName] = (delegate* unmanaged[MemberFunction]<void*, char*, int>)&GetName;
        vtable[HostApplicationSlots.CreateInstance] = (delegate* unmanaged[MemberFunction]<void*, Tuid*, Tuid*, void**, int>)&CreateInstance;
        return vtable;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int GetName(void* self, char* name)
    {
        if (name == null)
        {
            return Vst3Result.InvalidArgument;
        }

        FixedString.Write(new Span<char>(name, String128.Length), Self<HostApplication>(self).Name);
        return Vst3Result.Ok;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int CreateInstance(void* self, Tuid* cid, Tuid* iid, void** obj)
    {
        if (obj != null)
        {
            *obj = null;
        }

        return Vst3Result.False;
    }
}
