using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using AceStep.Vst3;

namespace AceStep.Plugin.Interop;

/// <summary>
/// A plugin object handed to the host: several interface pointers (one <see cref="NativeInterfaceSlot"/> per
/// unrelated interface, as C++ multiple inheritance would lay them out) sharing one reference count. The last
/// release frees the slots and lets the subclass drop what it holds on the host.
/// </summary>
internal abstract unsafe class ComObject
{
    private static int s_live;

    private readonly NativeInterfaceSlot*[] _slots;
    private int _refCount = 1;

    /// <summary>Creates the object with one reference, owned by whoever asked the factory for it.</summary>
    /// <param name="vtables">One vtable per interface pointer; slot 0 also answers FUnknown.</param>
    protected ComObject(ReadOnlySpan<nint> vtables)
    {
        _slots = new NativeInterfaceSlot*[vtables.Length];
        for (int i = 0; i < vtables.Length; i++)
        {
            _slots[i] = NativeSlots.Allocate((void**)vtables[i], this);
        }

        Interlocked.Increment(ref s_live);
    }

    /// <summary>Plugin objects (components and controllers) created and not yet destroyed, for the diagnostics export.</summary>
    public static int LiveCount => Volatile.Read(ref s_live);

    /// <summary>The interface pointer of slot <paramref name="index"/> (no reference added).</summary>
    /// <param name="index">Slot index, as the subclass's vtable list.</param>
    /// <returns>The pointer the host sees.</returns>
    public void* Slot(int index) => _slots[index];

    /// <summary>Adds a reference and returns the pointer for <paramref name="iid"/>, or null when not implemented.</summary>
    /// <param name="iid">The requested interface.</param>
    /// <returns>The interface pointer with one more reference, or null.</returns>
    public void* QueryInterface(in Tuid iid)
    {
        int index = iid == Iids.FUnknown.Tuid ? 0 : SlotFor(iid);
        if (index < 0)
        {
            return null;
        }

        AddRef();
        return _slots[index];
    }

    /// <summary>Adds a reference.</summary>
    /// <returns>The new count.</returns>
    public uint AddRef() => (uint)Interlocked.Increment(ref _refCount);

    /// <summary>Drops a reference; the last one destroys the object.</summary>
    /// <returns>The remaining count.</returns>
    public uint Release()
    {
        int remaining = Interlocked.Decrement(ref _refCount);
        if (remaining == 0)
        {
            Destroy();
        }

        return (uint)Math.Max(remaining, 0);
    }

    /// <summary>The slot implementing <paramref name="iid"/> (FUnknown is handled already), or -1.</summary>
    /// <param name="iid">The requested interface.</param>
    /// <returns>A slot index or -1.</returns>
    protected abstract int SlotFor(in Tuid iid);

    /// <summary>Releases what the object holds on the host; called once, from the last release.</summary>
    protected abstract void OnDestroy();

    /// <summary>Builds a vtable of <paramref name="count"/> entries whose FUnknown part is filled in.</summary>
    /// <param name="count">Total number of slots of the interface.</param>
    /// <returns>A vtable that lives for the rest of the process.</returns>
    internal static void** CreateVtable(int count)
    {
        void** vtable = NativeSlots.AllocateVtable(count);
        vtable[FUnknownSlots.QueryInterface] = (delegate* unmanaged[MemberFunction]<void*, Tuid*, void**, int>)&QueryInterfaceNative;
        vtable[FUnknownSlots.AddRef] = (delegate* unmanaged[MemberFunction]<void*, uint>)&AddRefNative;
        vtable[FUnknownSlots.Release] = (delegate* unmanaged[MemberFunction]<void*, uint>)&ReleaseNative;
        return vtable;
    }

    private void Destroy()
    {
        try
        {
            OnDestroy();
        }
        finally
        {
            // Slots go last: the host may have no pointer left, but OnDestroy can still call out with ours.
            for (int i = 0; i < _slots.Length; i++)
            {
                NativeSlots.Free(_slots[i]);
                _slots[i] = null;
            }

            Interlocked.Decrement(ref s_live);
        }
    }

    // Entry points called by the host: each catches everything, because an exception unwinding into C++ ends the
    // host process. CA1031 is suppressed for that reason only.
#pragma warning disable CA1031

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int QueryInterfaceNative(void* self, Tuid* iid, void** obj)
    {
        try
        {
            if (obj == null)
            {
                return Vst3Result.InvalidArgument;
            }

            *obj = null;
            var target = NativeSlots.Resolve<ComObject>(self);
            if (target is null || iid == null)
            {
                return Vst3Result.InvalidArgument;
            }

            *obj = target.QueryInterface(Tuid.Read(iid));
            return *obj == null ? Vst3Result.NoInterface : Vst3Result.Ok;
        }
        catch (Exception)
        {
            return Vst3Result.InternalError;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static uint AddRefNative(void* self)
    {
        try
        {
            return NativeSlots.Resolve<ComObject>(self)?.AddRef() ?? 0;
        }
        catch (Exception)
        {
            return 0;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static uint ReleaseNative(void* self)
    {
        try
        {
            return NativeSlots.Resolve<ComObject>(self)?.Release() ?? 0;
        }
        catch (Exception)
        {
            return 0;
        }
    }

#pragma warning restore CA1031
}

/// <summary>Vtables for interfaces of <see cref="ComObject"/>s: the FUnknown entries come filled in.</summary>
internal static unsafe class ComObjectVtables
{
    /// <summary>A vtable of <paramref name="count"/> entries, FUnknown filled in; it lives for the rest of the process.</summary>
    /// <param name="count">Total number of slots of the interface.</param>
    /// <returns>The vtable.</returns>
    public static void** Create(int count) => ComObject.CreateVtable(count);
}
