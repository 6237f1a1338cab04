using System.Runtime.InteropServices;
using AceStep.Vst3;

namespace AceStep.Plugin;

/// <summary>
/// Native identities for managed objects: the host holds a pointer to a <see cref="NativeInterfaceSlot"/> in native
/// memory (so the GC never moves it), and the slot's handle leads back to the managed implementation.
/// </summary>
internal static unsafe class NativeSlots
{
    /// <summary>Builds a vtable that lives for the rest of the process (the module is never unloaded).</summary>
    public static void** AllocateVtable(int slotCount) =>
        (void**)NativeMemory.AllocZeroed((nuint)slotCount, (nuint)sizeof(void*));

    public static NativeInterfaceSlot* Allocate(void** vtable, object target)
    {
        var slot = (NativeInterfaceSlot*)NativeMemory.AllocZeroed((nuint)sizeof(NativeInterfaceSlot));
        slot->Vtable = vtable;
        slot->GcHandle = GCHandle.ToIntPtr(GCHandle.Alloc(target));
        return slot;
    }

    public static void Free(NativeInterfaceSlot* slot)
    {
        if (slot == null)
        {
            return;
        }

        nint handle = Interlocked.Exchange(ref slot->GcHandle, 0);
        if (handle != 0)
        {
            GCHandle.FromIntPtr(handle).Free();
        }

        NativeMemory.Free(slot);
    }

    /// <summary>The managed object behind <paramref name="self"/>, or null for a pointer we did not make (or freed).</summary>
    public static T? Resolve<T>(void* self)
        where T : class
    {
        if (self == null)
        {
            return null;
        }

        nint handle = ((NativeInterfaceSlot*)self)->GcHandle;
        return handle == 0 ? null : GCHandle.FromIntPtr(handle).Target as T;
    }
}

/// <summary>Calls on host-side FUnknown pointers.</summary>
internal static unsafe class HostUnknown
{
    public static uint AddRef(void* unknown)
    {
        var vtable = *(void***)unknown;
        return ((delegate* unmanaged[MemberFunction]<void*, uint>)vtable[FUnknownSlots.AddRef])(unknown);
    }

    public static uint Release(void* unknown)
    {
        var vtable = *(void***)unknown;
        return ((delegate* unmanaged[MemberFunction]<void*, uint>)vtable[FUnknownSlots.Release])(unknown);
    }

    /// <summary>queryInterface on a host object; the result (owned by the caller) or null.</summary>
    public static void* Query(void* unknown, Vst3Uid iid)
    {
        var vtable = *(void***)unknown;
        var tuid = iid.Tuid;
        void* result = null;
        int status = ((delegate* unmanaged[MemberFunction]<void*, Tuid*, void**, int>)vtable[FUnknownSlots.QueryInterface])(unknown, &tuid, &result);
        return status == Vst3Result.Ok ? result : null;
    }
}
