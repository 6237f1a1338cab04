using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using AceStep.Vst3;
using AceStep.Vst3.Hosting;

namespace AceStep.Plugin.Tests;

public sealed unsafe class FactoryTests : IDisposable
{
    private readonly Vst3Module _module = TestBundle.Load();

    private PluginFactoryRef Factory => _module.Factory;

    public void Dispose() => _module.Dispose();

    [Fact]
    public void Factory_info_names_the_vendor_and_is_unicode()
    {
        var info = Factory.GetFactoryInfo();
        Assert.Equal("AceStep", info.Vendor);
        // No public site or support address exists yet: the module reports none rather than a made-up one.
        Assert.Equal("", info.Url);
        Assert.Equal("", info.Email);
        Assert.Equal(FactoryFlags.Unicode, info.Flags);
    }

    [Fact]
    public void Factory_offers_an_effect_and_its_controller()
    {
        Assert.Equal(2, Factory.CountClasses());

        var effect = Factory.GetClassInfo(0);
        Assert.Equal(TestBundle.ProcessorCid, effect.Cid.ToString());
        Assert.Equal("Audio Module Class", effect.Category);
        Assert.Equal("AceStep", effect.Name);
        Assert.Equal(ClassCardinality.ManyInstances, effect.Cardinality);

        var controller = Factory.GetClassInfo(1);
        Assert.Equal(TestBundle.ControllerCid, controller.Cid.ToString());
        Assert.Equal("Component Controller Class", controller.Category);
        Assert.Equal("AceStep Controller", controller.Name);
        Assert.Equal(ClassCardinality.ManyInstances, controller.Cardinality);
    }

    [Fact]
    public void Class_info_2_carries_flags_subcategories_and_versions()
    {
        Assert.True(Factory.HasFactory2);
        var effect = Factory.GetClassInfo2(0);
        Assert.Equal(TestBundle.ProcessorCid, effect.Cid.ToString());
        Assert.Equal("Fx", effect.SubCategories);
        Assert.Equal(ComponentFlags.Distributable, effect.ClassFlags);
        Assert.Equal("AceStep", effect.Vendor);
        Assert.Matches(@"^\d+\.\d+\.\d+$", effect.Version);
        Assert.StartsWith("VST 3.", effect.SdkVersion, StringComparison.Ordinal);

        var controller = Factory.GetClassInfo2(1);
        Assert.Equal("Component Controller Class", controller.Category);
        Assert.Equal(effect.Version, controller.Version);
    }

    [Fact]
    public void Unicode_class_info_matches_class_info_2()
    {
        Assert.True(Factory.HasFactory3);
        for (int i = 0; i < Factory.CountClasses(); i++)
        {
            Assert.Equal(Factory.GetClassInfo2(i), Factory.GetClassInfoUnicode(i));
        }
    }

    [Fact]
    public void Unicode_names_are_utf16_in_the_raw_struct()
    {
        var factory3 = QueryOrFail(Iids.IPluginFactory3);
        try
        {
            PClassInfoW info = default;
            var call = (delegate* unmanaged[MemberFunction]<nint, int, PClassInfoW*, int>)Vst3Unknown.Slot(factory3, PluginFactorySlots.GetClassInfoUnicode);
            Assert.Equal(Vst3Result.Ok, call(factory3, 1, &info));
            Span<char> name = info.Name.AsSpan();
            Assert.Equal("AceStep Controller\0", new string(name[..19]));
            Assert.Equal("VST 3.", new string(info.SdkVersion.AsSpan()[..6]));
        }
        finally
        {
            Vst3Unknown.Release(factory3);
        }
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(2)]
    [InlineData(int.MaxValue)]
    [InlineData(int.MinValue)]
    public void Class_info_for_an_index_out_of_range_is_an_invalid_argument(int index)
    {
        // Input: class index `index` (valid ones are 0 and 1), for all three kinds of class info.
        Assert.Equal(Vst3Result.InvalidArgument, Factory.TryGetClassInfo(index, out _));
        var e2 = Assert.Throws<Vst3ModuleException>(() => Factory.GetClassInfo2(index));
        Assert.Equal(Vst3Result.InvalidArgument, e2.Result);
        var eW = Assert.Throws<Vst3ModuleException>(() => Factory.GetClassInfoUnicode(index));
        Assert.Equal(Vst3Result.InvalidArgument, eW.Result);
    }

    [Fact]
    public void Null_out_pointers_are_invalid_arguments()
    {
        // Input: null PFactoryInfo*, PClassInfo*, PClassInfo2*, PClassInfoW* and a null queryInterface out pointer.
        nint f = Factory.NativeFactory;
        Assert.Equal(Vst3Result.InvalidArgument, ((delegate* unmanaged[MemberFunction]<nint, PFactoryInfo*, int>)Vst3Unknown.Slot(f, PluginFactorySlots.GetFactoryInfo))(f, null));
        Assert.Equal(Vst3Result.InvalidArgument, ((delegate* unmanaged[MemberFunction]<nint, int, PClassInfo*, int>)Vst3Unknown.Slot(f, PluginFactorySlots.GetClassInfo))(f, 0, null));
        Assert.Equal(Vst3Result.InvalidArgument, ((delegate* unmanaged[MemberFunction]<nint, int, PClassInfo2*, int>)Vst3Unknown.Slot(f, PluginFactorySlots.GetClassInfo2))(f, 0, null));
        Assert.Equal(Vst3Result.InvalidArgument, ((delegate* unmanaged[MemberFunction]<nint, int, PClassInfoW*, int>)Vst3Unknown.Slot(f, PluginFactorySlots.GetClassInfoUnicode))(f, 0, null));
        var iid = Iids.IPluginFactory.Tuid;
        Assert.Equal(Vst3Result.InvalidArgument, ((delegate* unmanaged[MemberFunction]<nint, Tuid*, void**, int>)Vst3Unknown.Slot(f, FUnknownSlots.QueryInterface))(f, &iid, null));
    }

    [Theory]
    [InlineData(nameof(Iids.FUnknown))]
    [InlineData(nameof(Iids.IPluginFactory))]
    [InlineData(nameof(Iids.IPluginFactory2))]
    [InlineData(nameof(Iids.IPluginFactory3))]
    public void QueryInterface_answers_for_every_factory_interface(string name)
    {
        var iid = name switch
        {
            nameof(Iids.FUnknown) => Iids.FUnknown,
            nameof(Iids.IPluginFactory) => Iids.IPluginFactory,
            nameof(Iids.IPluginFactory2) => Iids.IPluginFactory2,
            _ => Iids.IPluginFactory3,
        };
        nint result = QueryOrFail(iid);
        // One object, one vtable chain: every factory interface is the same pointer.
        Assert.Equal(Factory.NativeFactory, result);
        Vst3Unknown.Release(result);
    }

    [Fact]
    public void QueryInterface_for_an_unknown_iid_is_no_interface_with_a_null_result()
    {
        // Input: the IComponent IID (implemented by plugin instances, not by the factory), a random IID, the
        // Windows-order IPluginFactory3 bytes and all zeros; the out pointer is pre-filled with junk.
        Tuid[] unknown =
        [
            Iids.IComponent.Tuid,
            new Tuid(Guid.NewGuid().ToByteArray()),
            Iids.IPluginFactory3.ToTuid(Vst3Platform.Encoding == Vst3Encoding.Com ? Vst3Encoding.NonCom : Vst3Encoding.Com),
            Tuid.Empty,
        ];
        foreach (var iid in unknown)
        {
            var local = iid;
            void* result = (void*)0xDEAD;
            int status = ((delegate* unmanaged[MemberFunction]<nint, Tuid*, void**, int>)Vst3Unknown.Slot(Factory.NativeFactory, FUnknownSlots.QueryInterface))(
                Factory.NativeFactory, &local, &result);
            Assert.Equal(Vst3Result.NoInterface, status);
            Assert.True(result == null, $"queryInterface({iid}) left the out pointer non-null");
        }
    }

    [Fact]
    public void CreateInstance_with_an_unknown_class_fails_cleanly()
    {
        // Input: a random class ID and the FUnknown class ID, asking for IComponent; the out pointer is pre-filled.
        foreach (var cid in new[] { new Tuid(Guid.NewGuid().ToByteArray()), Iids.FUnknown.Tuid })
        {
            var c = cid;
            var iid = Iids.IComponent.Tuid;
            void* result = (void*)0xBEEF;
            int status = CreateInstanceRaw(&c, &iid, &result);
            Assert.Equal(Vst3Result.NoInterface, status);
            Assert.True(result == null, $"createInstance({cid}) left the out pointer non-null");
        }
    }

    [Fact]
    public void CreateInstance_with_null_arguments_is_an_invalid_argument()
    {
        // Input: null cid, null iid, and a null out pointer, each with the other two valid.
        var cid = Tuid.Parse(TestBundle.ProcessorCid);
        var iid = Iids.IComponent.Tuid;
        void* result = (void*)0xBEEF;
        Assert.Equal(Vst3Result.InvalidArgument, CreateInstanceRaw(null, &iid, &result));
        Assert.True(result == null);
        result = (void*)0xBEEF;
        Assert.Equal(Vst3Result.InvalidArgument, CreateInstanceRaw(&cid, null, &result));
        Assert.True(result == null);
        Assert.Equal(Vst3Result.InvalidArgument, CreateInstanceRaw(&cid, &iid, null));
    }

    [Fact]
    public void CreateInstance_of_each_declared_class_returns_an_object_for_its_main_interface()
    {
        // Input: the processor CID with IComponent and the controller CID with IEditController.
        foreach (var (cid, iid) in new[] { (TestBundle.ProcessorCid, Iids.IComponent), (TestBundle.ControllerCid, Iids.IEditController) })
        {
            int status = Factory.CreateInstance(Tuid.Parse(cid), iid.Tuid, out nint instance);
            Assert.Equal(Vst3Result.Ok, status);
            Assert.NotEqual(0, instance);
            Assert.Equal(0u, Vst3Unknown.Release(instance));
        }
    }

    [Fact]
    public void SetHostContext_keeps_a_reference_and_releases_it()
    {
        using var context = new FakeUnknown();
        Assert.Equal(Vst3Result.Ok, Factory.SetHostContext(context.Pointer));
        Assert.Equal(1, context.References);

        // Input: the same context again; the factory must not drop its only reference on the way.
        Assert.Equal(Vst3Result.Ok, Factory.SetHostContext(context.Pointer));
        Assert.Equal(1, context.References);

        Assert.Equal(Vst3Result.Ok, Factory.SetHostContext(0));
        Assert.Equal(0, context.References);
    }

    [Fact]
    public void Final_release_of_the_factory_releases_the_host_context()
    {
        using var context = new FakeUnknown();
        using (var module = TestBundle.Load())
        {
            Assert.Equal(Vst3Result.Ok, module.Factory.SetHostContext(context.Pointer));
            Assert.Equal(1, context.References);
            // This test's own module (constructor) also holds the factory; drop it so the next release is the last.
            _module.Factory.Dispose();
        }

        Assert.Equal(0, context.References);
    }

    private int CreateInstanceRaw(Tuid* cid, Tuid* iid, void** result) =>
        ((delegate* unmanaged[MemberFunction]<nint, Tuid*, Tuid*, void**, int>)Vst3Unknown.Slot(Factory.NativeFactory, PluginFactorySlots.CreateInstance))(
            Factory.NativeFactory, cid, iid, result);

    private nint QueryOrFail(Vst3Uid iid)
    {
        int status = Vst3Unknown.QueryInterface(Factory.NativeFactory, iid.Tuid, out nint result);
        Assert.True(status == Vst3Result.Ok, $"queryInterface({iid}) returned {Vst3Result.Codes.Describe(status)}");
        Assert.NotEqual(0, result);
        return result;
    }

    /// <summary>A host-side FUnknown that counts the references the plugin holds on it.</summary>
    private sealed class FakeUnknown : IDisposable
    {
        private static readonly void** s_vtable = CreateVtable();
        private readonly NativeInterfaceSlot* _slot;

        public FakeUnknown()
        {
            _slot = (NativeInterfaceSlot*)NativeMemory.AllocZeroed((nuint)sizeof(NativeInterfaceSlot));
            _slot->Vtable = s_vtable;
            _slot->GcHandle = GCHandle.ToIntPtr(GCHandle.Alloc(this));
        }

        public nint Pointer => (nint)_slot;

        public int References;

        public void Dispose()
        {
            GCHandle.FromIntPtr(_slot->GcHandle).Free();
            NativeMemory.Free(_slot);
        }

        private static FakeUnknown Self(void* self) =>
            (FakeUnknown)GCHandle.FromIntPtr(((NativeInterfaceSlot*)self)->GcHandle).Target!;

        private static void** CreateVtable()
        {
            var vtable = (void**)NativeMemory.AllocZeroed(3, (nuint)sizeof(void*));
            vtable[0] = (delegate* unmanaged[MemberFunction]<void*, Tuid*, void**, int>)&QueryInterface;
            vtable[1] = (delegate* unmanaged[MemberFunction]<void*, uint>)&AddRef;
            vtable[2] = (delegate* unmanaged[MemberFunction]<void*, uint>)&Release;
            return vtable;
        }

        [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
        private static int QueryInterface(void* self, Tuid* iid, void** obj)
        {
            *obj = null;
            return Vst3Result.NoInterface;
        }

        [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
        private static uint AddRef(void* self) => (uint)Interlocked.Increment(ref Self(self).References);

        [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
        private static uint Release(void* self) => (uint)Interlocked.Decrement(ref Self(self).References);
    }
}
