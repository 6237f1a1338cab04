using AceStep.Vst3;
using AceStep.Vst3.Hosting;

namespace AceStep.Plugin.Tests;

public sealed unsafe class InstanceTests : IDisposable
{
    private readonly PluginHarness _plugin = new();

    public void Dispose() => _plugin.Dispose();

    [Fact]
    public void CreateInstance_returns_the_component_and_the_controller_for_their_interfaces()
    {
        int before = _plugin.LiveObjects;
        Assert.Equal(Vst3Result.Ok, _plugin.Factory.CreateInstance(PluginHarness.ProcessorCid, Iids.IComponent.Tuid, out nint component));
        Assert.Equal(Vst3Result.Ok, _plugin.Factory.CreateInstance(PluginHarness.ControllerCid, Iids.IEditController.Tuid, out nint controller));
        Assert.NotEqual(0, component);
        Assert.NotEqual(0, controller);
        Assert.Equal(before + 2, _plugin.LiveObjects);

        // One reference each: the release that follows is the last.
        Assert.Equal(0u, Vst3Unknown.Release(component));
        Assert.Equal(0u, Vst3Unknown.Release(controller));
        Assert.Equal(before, _plugin.LiveObjects);
    }

    [Theory]
    [InlineData(TestBundle.ProcessorCid, nameof(Iids.IAudioProcessor))]
    [InlineData(TestBundle.ProcessorCid, nameof(Iids.FUnknown))]
    [InlineData(TestBundle.ControllerCid, nameof(Iids.IConnectionPoint))]
    [InlineData(TestBundle.ControllerCid, nameof(Iids.IPluginBase))]
    public void CreateInstance_hands_out_any_interface_the_class_implements(string cid, string iidName)
    {
        int before = _plugin.LiveObjects;
        Assert.Equal(Vst3Result.Ok, _plugin.Factory.CreateInstance(Tuid.Parse(cid), IidByName(iidName).Tuid, out nint instance));
        Assert.NotEqual(0, instance);
        Assert.Equal(0u, Vst3Unknown.Release(instance));
        Assert.Equal(before, _plugin.LiveObjects);
    }

    [Fact]
    public void CreateInstance_for_an_interface_the_class_lacks_is_no_interface_and_leaves_nothing_alive()
    {
        // Input: the processor class asked for IEditController and the controller class asked for IAudioProcessor.
        int before = _plugin.LiveObjects;
        Assert.Equal(Vst3Result.NoInterface, _plugin.Factory.CreateInstance(PluginHarness.ProcessorCid, Iids.IEditController.Tuid, out nint a));
        Assert.Equal(Vst3Result.NoInterface, _plugin.Factory.CreateInstance(PluginHarness.ControllerCid, Iids.IAudioProcessor.Tuid, out nint b));
        Assert.Equal(0, a);
        Assert.Equal(0, b);
        Assert.Equal(before, _plugin.LiveObjects);
    }

    [Theory]
    [InlineData(nameof(Iids.FUnknown), 0)]
    [InlineData(nameof(Iids.IPluginBase), 0)]
    [InlineData(nameof(Iids.IComponent), 0)]
    [InlineData(nameof(Iids.IAudioProcessor), 1)]
    [InlineData(nameof(Iids.IProcessContextRequirements), 2)]
    [InlineData(nameof(Iids.IConnectionPoint), 3)]
    public void Component_answers_queryInterface_for_every_interface_it_implements(string iidName, int pointerGroup)
    {
        using var component = CreateComponent();
        nint[] expected = [component.Component, component.AudioProcessor, Query(component.Component, Iids.IProcessContextRequirements), component.ConnectionPoint];
        Vst3Unknown.Release(expected[2]);

        // From every interface pointer of the object, the same interface pointer comes back.
        foreach (nint from in expected)
        {
            Assert.Equal(Vst3Result.Ok, Vst3Unknown.QueryInterface(from, IidByName(iidName).Tuid, out nint result));
            Assert.Equal(expected[pointerGroup], result);
            Vst3Unknown.Release(result);
        }
    }

    [Theory]
    [InlineData(nameof(Iids.FUnknown), 0)]
    [InlineData(nameof(Iids.IPluginBase), 0)]
    [InlineData(nameof(Iids.IEditController), 0)]
    [InlineData(nameof(Iids.IConnectionPoint), 1)]
    public void Controller_answers_queryInterface_for_every_interface_it_implements(string iidName, int pointerGroup)
    {
        using var controller = CreateController();
        nint[] expected = [controller.Controller, controller.ConnectionPoint];
        foreach (nint from in expected)
        {
            Assert.Equal(Vst3Result.Ok, Vst3Unknown.QueryInterface(from, IidByName(iidName).Tuid, out nint result));
            Assert.Equal(expected[pointerGroup], result);
            Vst3Unknown.Release(result);
        }
    }

    [Fact]
    public void Unsupported_interfaces_are_no_interface_with_a_null_result()
    {
        // Input: interfaces of the other class, of the factory, a random IID and IComponent in the other OS's byte order.
        using var component = CreateComponent();
        using var controller = CreateController();
        var otherOrder = Vst3Platform.Encoding == Vst3Encoding.Com ? Vst3Encoding.NonCom : Vst3Encoding.Com;
        foreach (var iid in new[] { Iids.IEditController.Tuid, Iids.IPluginFactory.Tuid, new Tuid(Guid.NewGuid().ToByteArray()), Iids.IComponent.ToTuid(otherOrder) })
        {
            AssertNoInterface(component.Component, iid);
            AssertNoInterface(component.AudioProcessor, iid);
        }

        foreach (var iid in new[] { Iids.IComponent.Tuid, Iids.IAudioProcessor.Tuid, Iids.IUnitInfo.Tuid, new Tuid(Guid.NewGuid().ToByteArray()) })
        {
            AssertNoInterface(controller.Controller, iid);
        }
    }

    [Fact]
    public void All_interface_pointers_share_one_reference_count()
    {
        Assert.Equal(Vst3Result.Ok, _plugin.Factory.CreateInstance(PluginHarness.ProcessorCid, Iids.IComponent.Tuid, out nint component));
        int live = _plugin.LiveObjects;
        nint processor = Query(component, Iids.IAudioProcessor);
        Assert.Equal(3u, Vst3Unknown.AddRef(processor));
        Assert.Equal(2u, Vst3Unknown.Release(component));
        Assert.Equal(1u, Vst3Unknown.Release(processor));
        Assert.Equal(live, _plugin.LiveObjects);
        Assert.Equal(0u, Vst3Unknown.Release(processor));
        Assert.Equal(live - 1, _plugin.LiveObjects);
    }

    [Fact]
    public void Lifecycle_initialize_connect_activate_process_and_terminate()
    {
        int before = _plugin.LiveObjects;
        using (var instance = _plugin.CreateInstance())
        {
            // Both objects hold the host context while initialized, and each holds its peer while connected.
            Assert.Equal(2, _plugin.Host.References);
            Assert.Equal(before + 2, _plugin.LiveObjects);

            instance.Activate(PluginHarness.Setup(SymbolicSampleSize.Sample32, 256));
            using var block = new ProcessBlock(SymbolicSampleSize.Sample32, 2, 256);
            Assert.Equal(Vst3Result.Ok, instance.Component.Process(block));
            instance.Deactivate();

            // A second initialize without terminate is refused; the object stays usable.
            Assert.Equal(Vst3Result.False, instance.Component.Initialize(_plugin.Host.NativePointer));
            Assert.Equal(Vst3Result.False, instance.Controller.Initialize(_plugin.Host.NativePointer));
        }

        Assert.Equal(0, _plugin.Host.References);
        Assert.Equal(before, _plugin.LiveObjects);
    }

    [Fact]
    public void Terminate_releases_the_host_context_and_a_second_terminate_is_refused()
    {
        using var component = CreateComponent();
        Assert.Equal(Vst3Result.Ok, component.Initialize(_plugin.Host.NativePointer));
        Assert.Equal(1, _plugin.Host.References);
        Assert.Equal(Vst3Result.Ok, component.Terminate());
        Assert.Equal(0, _plugin.Host.References);
        Assert.Equal(Vst3Result.False, component.Terminate());
        // Initialize again after terminate is allowed (hosts reuse objects this way).
        Assert.Equal(Vst3Result.Ok, component.Initialize(0));
        Assert.Equal(Vst3Result.Ok, component.Terminate());
    }

    [Fact]
    public void Releasing_without_terminate_still_frees_everything_the_plugin_held()
    {
        // Input: a host that initializes and sets a component handler, then only releases (no terminate).
        int before = _plugin.LiveObjects;
        var component = CreateComponent();
        var controller = CreateController();
        Assert.Equal(Vst3Result.Ok, component.Initialize(_plugin.Host.NativePointer));
        Assert.Equal(Vst3Result.Ok, controller.Initialize(_plugin.Host.NativePointer));
        using var handler = new HostApplication("handler stand-in");
        Assert.Equal(Vst3Result.Ok, controller.SetComponentHandler(handler.NativePointer));
        Assert.Equal(1, handler.References);

        controller.Dispose();
        component.Dispose();

        Assert.Equal(before, _plugin.LiveObjects);
        Assert.Equal(0, _plugin.Host.References);
        Assert.Equal(0, handler.References);
    }

    [Fact]
    public void Terminate_drops_the_peer_so_connected_objects_are_freed_without_disconnect()
    {
        // Connected objects reference each other (as the SDK's base classes do); terminate breaks that cycle.
        int before = _plugin.LiveObjects;
        var component = CreateComponent();
        var controller = CreateController();
        Assert.Equal(Vst3Result.Ok, ConnectionPoints.Connect(component.ConnectionPoint, controller.ConnectionPoint));
        Assert.Equal(Vst3Result.Ok, ConnectionPoints.Connect(controller.ConnectionPoint, component.ConnectionPoint));
        Assert.Equal(Vst3Result.Ok, component.Initialize(_plugin.Host.NativePointer));
        Assert.Equal(Vst3Result.Ok, controller.Initialize(_plugin.Host.NativePointer));

        Assert.Equal(Vst3Result.Ok, controller.Terminate());
        Assert.Equal(Vst3Result.Ok, component.Terminate());
        controller.Dispose();
        component.Dispose();

        Assert.Equal(before, _plugin.LiveObjects);
        Assert.Equal(0, _plugin.Host.References);
    }

    [Fact]
    public void Connection_points_refuse_a_second_peer_a_wrong_disconnect_and_null_arguments()
    {
        using var component = CreateComponent();
        using var controller = CreateController();
        nint a = component.ConnectionPoint;
        nint b = controller.ConnectionPoint;
        Assert.Equal(Vst3Result.Ok, ConnectionPoints.Connect(a, b));
        Assert.Equal(Vst3Result.False, ConnectionPoints.Connect(a, b));
        Assert.Equal(Vst3Result.InvalidArgument, ConnectionPoints.Disconnect(a, a));
        Assert.Equal(Vst3Result.InvalidArgument, ConnectionPoints.Connect(a, 0));
        Assert.Equal(Vst3Result.InvalidArgument, ConnectionPoints.Notify(a, 0));
        Assert.Equal(Vst3Result.Ok, ConnectionPoints.Disconnect(a, b));
        Assert.Equal(Vst3Result.InvalidArgument, ConnectionPoints.Disconnect(a, b));
    }

    [Fact]
    public void Component_describes_a_stereo_main_bus_each_way_an_inactive_sidechain_and_its_controller()
    {
        using var component = CreateComponent();
        Assert.Equal(Vst3Result.Ok, component.GetControllerClassId(out var controllerCid));
        Assert.Equal(TestBundle.ControllerCid, controllerCid.ToString());

        Assert.Equal(2, component.GetBusCount(MediaType.Audio, BusDirection.Input));
        Assert.Equal(1, component.GetBusCount(MediaType.Audio, BusDirection.Output));
        Assert.Equal(0, component.GetBusCount(MediaType.Event, BusDirection.Input));
        Assert.Equal(0, component.GetBusCount(MediaType.Event, BusDirection.Output));

        Assert.Equal(Vst3Result.Ok, component.GetBusInfo(MediaType.Audio, BusDirection.Output, 0, out var output));
        Assert.Equal(2, output.ChannelCount);
        Assert.Equal(BusType.Main, output.BusType);
        Assert.Equal(BusFlags.DefaultActive, output.Flags);
        Assert.Equal(BusDirection.Output, output.Direction);
        Assert.Equal("Output", output.Name.ToString());
        // The sidechain: a stereo aux input, inactive until the host activates it (what hosts expect of a sidechain).
        Assert.Equal(Vst3Result.Ok, component.GetBusInfo(MediaType.Audio, BusDirection.Input, 1, out var sidechain));
        Assert.Equal((2, BusType.Aux, BusFlags.None, BusDirection.Input, "Sidechain"),
            (sidechain.ChannelCount, sidechain.BusType, sidechain.Flags, sidechain.Direction, sidechain.Name.ToString()));
        Assert.Equal(Vst3Result.InvalidArgument, component.GetBusInfo(MediaType.Audio, BusDirection.Input, 2, out _));
        Assert.Equal(Vst3Result.InvalidArgument, component.GetBusInfo(MediaType.Audio, BusDirection.Output, 1, out _));
        Assert.Equal(Vst3Result.InvalidArgument, component.GetBusInfo(MediaType.Event, BusDirection.Input, 0, out _));
        Assert.Equal(Vst3Result.Ok, component.ActivateBus(MediaType.Audio, BusDirection.Input, 0, true));
        Assert.Equal(Vst3Result.Ok, component.ActivateBus(MediaType.Audio, BusDirection.Input, 1, true));
        Assert.Equal(Vst3Result.InvalidArgument, component.ActivateBus(MediaType.Audio, BusDirection.Input, 3, true));
        Assert.Equal(Vst3Result.InvalidArgument, component.ActivateBus(MediaType.Audio, BusDirection.Output, 1, true));

        Assert.Equal(0u, component.GetLatencySamples());
        Assert.Equal(0u, component.GetTailSamples());
        Assert.True(component.HasContextRequirements);
        var needs = component.GetProcessContextRequirements();
        Assert.True(needs.HasFlag(ProcessContextRequirements.NeedTempo));
        Assert.True(needs.HasFlag(ProcessContextRequirements.NeedTimeSignature));
        Assert.True(needs.HasFlag(ProcessContextRequirements.NeedCycleMusic));
        Assert.True(needs.HasFlag(ProcessContextRequirements.NeedProjectTimeMusic));
        Assert.True(needs.HasFlag(ProcessContextRequirements.NeedTransportState));
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(1, true)]
    [InlineData(2, false)]
    [InlineData(-1, false)]
    public void Both_sample_sizes_are_supported(int size, bool supported)
    {
        using var component = CreateComponent();
        Assert.Equal(supported ? Vst3Result.True : Vst3Result.False, component.CanProcessSampleSize(size));
    }

    [Fact]
    public void Bus_arrangements_accept_mono_and_stereo_pairs_only()
    {
        using var component = CreateComponent();
        Assert.Equal(Vst3Result.Ok, component.SetBusArrangements([SpeakerArrangements.Mono], [SpeakerArrangements.Mono]));
        Assert.Equal(Vst3Result.Ok, component.GetBusArrangement(BusDirection.Output, 0, out ulong arrangement));
        Assert.Equal(SpeakerArrangements.Mono, arrangement);
        Assert.Equal(Vst3Result.Ok, component.GetBusInfo(MediaType.Audio, BusDirection.Input, 0, out var input));
        Assert.Equal(1, input.ChannelCount);

        // Input: mono in with stereo out, 5.1-like masks (main or sidechain), three inputs, no buses. The mono layout
        // must survive them.
        Assert.Equal(Vst3Result.False, component.SetBusArrangements([SpeakerArrangements.Mono], [SpeakerArrangements.Stereo]));
        Assert.Equal(Vst3Result.False, component.SetBusArrangements([0x3FUL], [0x3FUL]));
        Assert.Equal(Vst3Result.False, component.SetBusArrangements([SpeakerArrangements.Stereo, 0x3FUL], [SpeakerArrangements.Stereo]));
        Assert.Equal(Vst3Result.False, component.SetBusArrangements([SpeakerArrangements.Stereo, SpeakerArrangements.Stereo, SpeakerArrangements.Stereo], [SpeakerArrangements.Stereo]));
        Assert.Equal(Vst3Result.False, component.SetBusArrangements([], []));
        Assert.Equal(Vst3Result.Ok, component.GetBusArrangement(BusDirection.Input, 0, out arrangement));
        Assert.Equal(SpeakerArrangements.Mono, arrangement);

        Assert.Equal(Vst3Result.Ok, component.SetBusArrangements([SpeakerArrangements.Stereo], [SpeakerArrangements.Stereo]));
        Assert.Equal(Vst3Result.Ok, component.GetBusArrangement(BusDirection.Input, 0, out arrangement));
        Assert.Equal(SpeakerArrangements.Stereo, arrangement);
        Assert.Equal(Vst3Result.Ok, component.GetBusArrangement(BusDirection.Input, 1, out arrangement));
        Assert.Equal(SpeakerArrangements.Stereo, arrangement);
        Assert.Equal(Vst3Result.InvalidArgument, component.GetBusArrangement(BusDirection.Input, 2, out _));

        // A mono sidechain beside a stereo main bus.
        Assert.Equal(Vst3Result.Ok, component.SetBusArrangements([SpeakerArrangements.Stereo, SpeakerArrangements.Mono], [SpeakerArrangements.Stereo]));
        Assert.Equal(Vst3Result.Ok, component.GetBusArrangement(BusDirection.Input, 1, out arrangement));
        Assert.Equal(SpeakerArrangements.Mono, arrangement);
        Assert.Equal(Vst3Result.Ok, component.GetBusInfo(MediaType.Audio, BusDirection.Input, 1, out var sidechain));
        Assert.Equal(1, sidechain.ChannelCount);
    }

    [Fact]
    public void Controller_creates_an_editor_view_with_content_scale_support()
    {
        // createView("editor"): one IPlugView reference owned by the host; the same object answers
        // IPlugViewContentScaleSupport. Without a frame (no run loop) it cannot attach to X11 and says so.
        using var controller = CreateController();
        using var view = new PlugViewRef(controller.CreateView());
        Assert.Equal(Vst3Result.Ok, Vst3Unknown.QueryInterface(view.View, Iids.IPlugViewContentScaleSupport.Tuid, out nint scale));
        Vst3Unknown.Release(scale);
        Assert.Equal(Vst3Result.Ok, view.GetSize(out var size));
        Assert.Equal((960, 640), (size.Right - size.Left, size.Bottom - size.Top));
        Assert.Equal(Vst3Result.False, view.Attached(1, "X11EmbedWindowID"));
    }

    private ComponentRef CreateComponent()
    {
        Assert.Equal(Vst3Result.Ok, _plugin.Factory.CreateInstance(PluginHarness.ProcessorCid, Iids.IComponent.Tuid, out nint pointer));
        return new ComponentRef(pointer);
    }

    private EditControllerRef CreateController()
    {
        Assert.Equal(Vst3Result.Ok, _plugin.Factory.CreateInstance(PluginHarness.ControllerCid, Iids.IEditController.Tuid, out nint pointer));
        return new EditControllerRef(pointer);
    }

    private static nint Query(nint unknown, Vst3Uid iid)
    {
        Assert.Equal(Vst3Result.Ok, Vst3Unknown.QueryInterface(unknown, iid.Tuid, out nint result));
        return result;
    }

    private static void AssertNoInterface(nint unknown, Tuid iid)
    {
        void* result = (void*)0xDEAD;
        int status = ((delegate* unmanaged[MemberFunction]<nint, Tuid*, void**, int>)Vst3Unknown.Slot(unknown, FUnknownSlots.QueryInterface))(unknown, &iid, &result);
        Assert.Equal(Vst3Result.NoInterface, status);
        Assert.True(result == null, $"queryInterface({iid}) left the out pointer non-null");
    }

    internal static Vst3Uid IidByName(string name) => name switch
    {
        nameof(Iids.FUnknown) => Iids.FUnknown,
        nameof(Iids.IPluginBase) => Iids.IPluginBase,
        nameof(Iids.IComponent) => Iids.IComponent,
        nameof(Iids.IAudioProcessor) => Iids.IAudioProcessor,
        nameof(Iids.IProcessContextRequirements) => Iids.IProcessContextRequirements,
        nameof(Iids.IConnectionPoint) => Iids.IConnectionPoint,
        nameof(Iids.IEditController) => Iids.IEditController,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };
}
