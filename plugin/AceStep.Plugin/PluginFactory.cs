using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using AceStep.Plugin.Controller;
using AceStep.Plugin.Interop;
using AceStep.Plugin.Processing;
using AceStep.Vst3;

namespace AceStep.Plugin;

/// <summary>
/// The module's IPluginFactory3 (and so IPluginFactory2 and IPluginFactory, which share its vtable). One instance at a
/// time: GetPluginFactory hands out the live one with another reference, and a new one once the host released it.
/// </summary>
internal sealed unsafe class PluginFactory
{
    private static readonly Lock s_instanceLock = new();
    private static readonly void** s_vtable = CreateVtable();
    private static PluginFactory? s_instance;

    private readonly NativeInterfaceSlot* _slot;
    private int _refCount = 1;
    private nint _hostContext;

    private PluginFactory()
    {
        _slot = NativeSlots.Allocate(s_vtable, this);
    }

    /// <summary>Returns the singleton's native pointer, created with one reference or with one more.</summary>
    public static void* GetOrAddRef()
    {
        lock (s_instanceLock)
        {
            if (s_instance is { } existing && existing.TryAddRef())
            {
                return existing._slot;
            }

            // Either none yet or the last one is being destroyed on another thread: start a new one.
            s_instance = new PluginFactory();
            return s_instance._slot;
        }
    }

    private bool TryAddRef()
    {
        // Never bring a count back from zero: a concurrent final release is already tearing the object down.
        int current;
        do
        {
            current = Volatile.Read(ref _refCount);
            if (current <= 0)
            {
                return false;
            }
        }
        while (Interlocked.CompareExchange(ref _refCount, current + 1, current) != current);

        return true;
    }

    private uint AddRef() => (uint)Interlocked.Increment(ref _refCount);

    private uint Release()
    {
        int remaining = Interlocked.Decrement(ref _refCount);
        if (remaining == 0)
        {
            Destroy();
        }

        return (uint)Math.Max(remaining, 0);
    }

    private void Destroy()
    {
        lock (s_instanceLock)
        {
            if (ReferenceEquals(s_instance, this))
            {
                s_instance = null;
            }
        }

        SetHostContext(null);
        NativeSlots.Free(_slot);
    }

    private void SetHostContext(void* context)
    {
        // Reference the new context before dropping the old one, in case the host passes the same object again.
        if (context != null)
        {
            HostUnknown.AddRef(context);
        }

        var previous = (void*)Interlocked.Exchange(ref _hostContext, (nint)context);
        if (previous != null)
        {
            HostUnknown.Release(previous);
        }
    }

    private static bool IsOwnInterface(in Tuid iid) =>
        iid == Iids.FUnknown.Tuid
        || iid == Iids.IPluginFactory.Tuid
        || iid == Iids.IPluginFactory2.Tuid
        || iid == Iids.IPluginFactory3.Tuid;

    private static PluginClass? ClassAt(int index) =>
        (uint)index < (uint)PluginIdentity.Classes.Count ? PluginIdentity.Classes[index] : null;

    private static void** CreateVtable()
    {
        void** vtable = NativeSlots.AllocateVtable(PluginFactorySlots.Count3);
        vtable[FUnknownSlots.QueryInterface] = (delegate* unmanaged[MemberFunction]<void*, Tuid*, void**, int>)&QueryInterfaceNative;
        vtable[FUnknownSlots.AddRef] = (delegate* unmanaged[MemberFunction]<void*, uint>)&AddRefNative;
        vtable[FUnknownSlots.Release] = (delegate* unmanaged[MemberFunction]<void*, uint>)&ReleaseNative;
        vtable[PluginFactorySlots.GetFactoryInfo] = (delegate* unmanaged[MemberFunction]<void*, PFactoryInfo*, int>)&GetFactoryInfoNative;
        vtable[PluginFactorySlots.CountClasses] = (delegate* unmanaged[MemberFunction]<void*, int>)&CountClassesNative;
        vtable[PluginFactorySlots.GetClassInfo] = (delegate* unmanaged[MemberFunction]<void*, int, PClassInfo*, int>)&GetClassInfoNative;
        vtable[PluginFactorySlots.CreateInstance] = (delegate* unmanaged[MemberFunction]<void*, Tuid*, Tuid*, void**, int>)&CreateInstanceNative;
        vtable[PluginFactorySlots.GetClassInfo2] = (delegate* unmanaged[MemberFunction]<void*, int, PClassInfo2*, int>)&GetClassInfo2Native;
        vtable[PluginFactorySlots.GetClassInfoUnicode] = (delegate* unmanaged[MemberFunction]<void*, int, PClassInfoW*, int>)&GetClassInfoUnicodeNative;
        vtable[PluginFactorySlots.SetHostContext] = (delegate* unmanaged[MemberFunction]<void*, void*, int>)&SetHostContextNative;
        return vtable;
    }

    // Every entry below is called by the host: each catches everything, because an exception unwinding into C++ ends
    // the host process. CA1031 is suppressed for that reason only.
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
            var factory = NativeSlots.Resolve<PluginFactory>(self);
            if (factory is null || iid == null)
            {
                return Vst3Result.InvalidArgument;
            }

            if (!IsOwnInterface(Tuid.Read(iid)))
            {
                return Vst3Result.NoInterface;
            }

            factory.AddRef();
            *obj = self;
            return Vst3Result.Ok;
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
            return NativeSlots.Resolve<PluginFactory>(self)?.AddRef() ?? 0;
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
            return NativeSlots.Resolve<PluginFactory>(self)?.Release() ?? 0;
        }
        catch (Exception)
        {
            return 0;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int GetFactoryInfoNative(void* self, PFactoryInfo* info)
    {
        try
        {
            if (info == null)
            {
                return Vst3Result.InvalidArgument;
            }

            *info = default;
            info->Vendor.Set(PluginIdentity.Vendor);
            info->Url.Set(PluginIdentity.Url);
            info->Email.Set(PluginIdentity.Email);
            info->Flags = FactoryFlags.Unicode;
            return Vst3Result.Ok;
        }
        catch (Exception)
        {
            return Vst3Result.InternalError;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int CountClassesNative(void* self)
    {
        try
        {
            return PluginIdentity.Classes.Count;
        }
        catch (Exception)
        {
            // countClasses has no error code; zero classes is how a broken module can still answer.
            return 0;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int GetClassInfoNative(void* self, int index, PClassInfo* info)
    {
        try
        {
            if (info == null || ClassAt(index) is not { } cls)
            {
                return Vst3Result.InvalidArgument;
            }

            *info = default;
            info->Cid = cls.Cid.Tuid;
            info->Cardinality = ClassCardinality.ManyInstances;
            info->Category.Set(cls.Category);
            info->Name.Set(cls.Name);
            return Vst3Result.Ok;
        }
        catch (Exception)
        {
            return Vst3Result.InternalError;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int GetClassInfo2Native(void* self, int index, PClassInfo2* info)
    {
        try
        {
            if (info == null || ClassAt(index) is not { } cls)
            {
                return Vst3Result.InvalidArgument;
            }

            *info = default;
            info->Cid = cls.Cid.Tuid;
            info->Cardinality = ClassCardinality.ManyInstances;
            info->Category.Set(cls.Category);
            info->Name.Set(cls.Name);
            info->ClassFlags = cls.Flags;
            info->SubCategories.Set(cls.SubCategories);
            info->Vendor.Set(PluginIdentity.Vendor);
            info->Version.Set(PluginIdentity.Version);
            info->SdkVersion.Set(SdkVersions.Current);
            return Vst3Result.Ok;
        }
        catch (Exception)
        {
            return Vst3Result.InternalError;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int GetClassInfoUnicodeNative(void* self, int index, PClassInfoW* info)
    {
        try
        {
            if (info == null || ClassAt(index) is not { } cls)
            {
                return Vst3Result.InvalidArgument;
            }

            *info = default;
            info->Cid = cls.Cid.Tuid;
            info->Cardinality = ClassCardinality.ManyInstances;
            info->Category.Set(cls.Category);
            info->Name.Set(cls.Name);
            info->ClassFlags = cls.Flags;
            info->SubCategories.Set(cls.SubCategories);
            info->Vendor.Set(PluginIdentity.Vendor);
            info->Version.Set(PluginIdentity.Version);
            info->SdkVersion.Set(SdkVersions.Current);
            return Vst3Result.Ok;
        }
        catch (Exception)
        {
            return Vst3Result.InternalError;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int CreateInstanceNative(void* self, Tuid* cid, Tuid* iid, void** obj)
    {
        try
        {
            if (obj == null)
            {
                return Vst3Result.InvalidArgument;
            }

            *obj = null;
            if (cid == null || iid == null)
            {
                return Vst3Result.InvalidArgument;
            }

            ComObject? instance = Tuid.Read(cid) switch
            {
                var c when c == PluginIdentity.ProcessorCid.Tuid => new AceStepProcessor(),
                var c when c == PluginIdentity.ControllerCid.Tuid => new AceStepController(),
                _ => null,
            };
            if (instance is null)
            {
                return Vst3Result.NoInterface;
            }

            // The new object starts with the one reference that the host would otherwise lose; the host keeps the
            // reference queryInterface adds, and an unsupported interface leaves nothing alive.
            *obj = instance.QueryInterface(Tuid.Read(iid));
            instance.Release();
            return *obj == null ? Vst3Result.NoInterface : Vst3Result.Ok;
        }
        catch (Exception)
        {
            return Vst3Result.InternalError;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int SetHostContextNative(void* self, void* context)
    {
        try
        {
            var factory = NativeSlots.Resolve<PluginFactory>(self);
            if (factory is null)
            {
                return Vst3Result.InvalidArgument;
            }

            factory.SetHostContext(context);
            return Vst3Result.Ok;
        }
        catch (Exception)
        {
            return Vst3Result.InternalError;
        }
    }

#pragma warning restore CA1031
}
