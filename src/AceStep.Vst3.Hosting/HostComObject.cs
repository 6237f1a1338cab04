using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AceStep.Vst3.Hosting;

/// <summary>
/// Base of the objects this host implements for a plugin (host application, streams, parameter changes): one
/// interface pointer whose vtable leads back here. The host owns the object (dispose it when the plugin is done);
/// <see cref="References"/> counts the references the plugin added and has not released, so tests can check that a
/// plugin gives back what it took.
/// </summary>
public abstract unsafe class HostComObject : IDisposable
{
    private NativeInterfaceSlot* _slot;
    private int _references;

    /// <summary>Creates the native identity.</summary>
    /// <param name="vtable">A vtable from <see cref="CreateVtable"/>, filled in by the subclass.</param>
    protected HostComObject(void** vtable)
    {
        _slot = (NativeInterfaceSlot*)NativeMemory.AllocZeroed((nuint)sizeof(NativeInterfaceSlot));
        _slot->Vtable = vtable;
        _slot->GcHandle = GCHandle.ToIntPtr(GCHandle.Alloc(this));
    }

    /// <summary>The interface pointer to hand to the plugin.</summary>
    public nint NativePointer => _slot == null ? throw new ObjectDisposedException(GetType().Name) : (nint)_slot;

    /// <summary>References the plugin holds (addRef and successful queryInterface minus release).</summary>
    public int References => Volatile.Read(ref _references);

    /// <summary>Frees the native identity; the plugin must not hold the pointer any more.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Frees the native identity (and, in subclasses, what they own).</summary>
    /// <param name="disposing">True from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (_slot != null)
        {
            GCHandle.FromIntPtr(_slot->GcHandle).Free();
            NativeMemory.Free(_slot);
            _slot = null;
        }
    }

    /// <summary>Whether this object answers queryInterface for <paramref name="iid"/> (FUnknown is always answered).</summary>
    /// <param name="iid">The requested interface, in this platform's byte order.</param>
    /// <returns>Whether it is implemented.</returns>
    protected abstract bool SupportsInterface(in Tuid iid);

    /// <summary>
    /// An object with its own vtable that answers <paramref name="iid"/> for this one (queryInterface returns its
    /// pointer and adds a reference to it), or null. Used for host extensions such as REAPER's.
    /// </summary>
    protected virtual HostComObject? QueryOther(in Tuid iid) => null;

    /// <summary>The managed object behind an interface pointer this host made.</summary>
    /// <typeparam name="T">The expected type.</typeparam>
    /// <param name="self">The pointer the plugin called through.</param>
    /// <returns>The object.</returns>
    protected static T Self<T>(void* self)
        where T : HostComObject =>
        (T)GCHandle.FromIntPtr(((NativeInterfaceSlot*)self)->GcHandle).Target!;

    /// <summary>A vtable of <paramref name="count"/> entries with the FUnknown part filled in (never freed: it is per type).</summary>
    /// <param name="count">Total slots of the interface.</param>
    /// <returns>The vtable.</returns>
    protected static void** CreateVtable(int count)
    {
        var vtable = (void**)NativeMemory.AllocZeroed((nuint)count, (nuint)sizeof(void*));
        vtable[FUnknownSlots.QueryInterface] = (delegate* unmanaged[MemberFunction]<void*, Tuid*, void**, int>)&QueryInterfaceNative;
        vtable[FUnknownSlots.AddRef] = (delegate* unmanaged[MemberFunction]<void*, uint>)&AddRefNative;
        vtable[FUnknownSlots.Release] = (delegate* unmanaged[MemberFunction]<void*, uint>)&ReleaseNative;
        return vtable;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int QueryInterfaceNative(void* self, Tuid* iid, void** obj)
    {
        if (obj == null || iid == null)
        {
            return Vst3Result.InvalidArgument;
        }

        var target = Self<HostComObject>(self);
        var requested = Tuid.Read(iid);
        if (requested != Iids.FUnknown.Tuid && !target.SupportsInterface(requested))
        {
            // Another object may answer for this one (a host extension with its own vtable, e.g. REAPER's).
            if (target.QueryOther(requested) is { } other)
            {
                Interlocked.Increment(ref other._references);
                *obj = (void*)other.NativePointer;
                return Vst3Result.Ok;
            }

            *obj = null;
            return Vst3Result.NoInterface;
        }

        Interlocked.Increment(ref target._references);
        *obj = self;
        return Vst3Result.Ok;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static uint AddRefNative(void* self) => (uint)Interlocked.Increment(ref Self<HostComObject>(self)._references);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static uint ReleaseNative(void* self) => (uint)Interlocked.Decrement(ref Self<HostComObject>(self)._references);
}
