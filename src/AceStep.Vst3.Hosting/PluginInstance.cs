namespace AceStep.Vst3.Hosting;

/// <summary>
/// One plugin instance wired up the way a DAW does it: the component created and initialized with the host context,
/// its controller created from <c>getControllerClassId</c> and initialized, both connected through
/// <c>IConnectionPoint</c>, and the controller synchronised with <c>setComponentState</c>. Disposing disconnects,
/// terminates (controller first) and releases both.
/// </summary>
public sealed class PluginInstance : IDisposable
{
    private bool _connected;

    private PluginInstance(ComponentRef component, EditControllerRef controller)
    {
        Component = component;
        Controller = controller;
    }

    /// <summary>The processing component.</summary>
    public ComponentRef Component { get; }

    /// <summary>The edit controller.</summary>
    public EditControllerRef Controller { get; }

    /// <summary>Creates, initializes, connects and synchronises an instance of <paramref name="processorCid"/>.</summary>
    /// <param name="factory">The module's factory.</param>
    /// <param name="processorCid">The component class ID.</param>
    /// <param name="host">The host context passed to both initialize calls (kept alive by the caller).</param>
    /// <returns>The instance.</returns>
    /// <exception cref="Vst3ModuleException">A step failed.</exception>
    public static PluginInstance Create(PluginFactoryRef factory, Tuid processorCid, HostApplication host)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(host);
        Check(factory.CreateInstance(processorCid, Iids.IComponent.Tuid, out nint componentPointer), "createInstance(component)");
        var component = new ComponentRef(componentPointer);
        EditControllerRef? controller = null;
        try
        {
            Check(component.Initialize(host.NativePointer), "IComponent::initialize");
            Check(component.GetControllerClassId(out var controllerCid), "getControllerClassId");
            Check(factory.CreateInstance(controllerCid, Iids.IEditController.Tuid, out nint controllerPointer), "createInstance(controller)");
            controller = new EditControllerRef(controllerPointer);
            Check(controller.Initialize(host.NativePointer), "IEditController::initialize");
            var instance = new PluginInstance(component, controller);
            instance.Connect();
            instance.SyncController();
            return instance;
        }
        catch
        {
            controller?.Terminate();
            controller?.Dispose();
            component.Terminate();
            component.Dispose();
            throw;
        }
    }

    /// <summary>Sends the component's state to the controller (getState → setComponentState), as hosts do after loading.</summary>
    /// <exception cref="Vst3ModuleException">Either call failed.</exception>
    public void SyncController()
    {
        using var stream = new MemoryBStream();
        Check(Component.GetState(stream), "IComponent::getState");
        stream.Stream.Position = 0;
        Check(Controller.SetComponentState(stream), "setComponentState");
    }

    /// <summary>
    /// Disconnects the two, as if the host relayed their messages through proxies of its own (Ardour does): the
    /// controller no longer sees the processor's connection point.
    /// </summary>
    public void Disconnect()
    {
        if (!_connected)
            return;
        ConnectionPoints.Disconnect(Component.ConnectionPoint, Controller.ConnectionPoint);
        ConnectionPoints.Disconnect(Controller.ConnectionPoint, Component.ConnectionPoint);
        _connected = false;
    }

    /// <summary>Sets up processing and activates the component (setupProcessing, setActive(true), setProcessing(true)).</summary>
    /// <param name="setup">Mode, sample size, block size and rate.</param>
    /// <exception cref="Vst3ModuleException">A call failed.</exception>
    public void Activate(ProcessSetup setup)
    {
        Check(Component.SetupProcessing(setup), "setupProcessing");
        Check(Component.SetActive(true), "setActive(true)");
        Check(Component.SetProcessing(true), "setProcessing(true)");
    }

    /// <summary>setProcessing(false) and setActive(false).</summary>
    /// <exception cref="Vst3ModuleException">A call failed.</exception>
    public void Deactivate()
    {
        Check(Component.SetProcessing(false), "setProcessing(false)");
        Check(Component.SetActive(false), "setActive(false)");
    }

    /// <summary>Disconnects, terminates and releases both objects.</summary>
    public void Dispose()
    {
        if (_connected)
        {
            ConnectionPoints.Disconnect(Component.ConnectionPoint, Controller.ConnectionPoint);
            ConnectionPoints.Disconnect(Controller.ConnectionPoint, Component.ConnectionPoint);
            _connected = false;
        }

        Controller.Terminate();
        Component.Terminate();
        Controller.Dispose();
        Component.Dispose();
    }

    private void Connect()
    {
        if (Component.ConnectionPoint == 0 || Controller.ConnectionPoint == 0)
        {
            return;
        }

        Check(ConnectionPoints.Connect(Component.ConnectionPoint, Controller.ConnectionPoint), "IConnectionPoint::connect(component → controller)");
        Check(ConnectionPoints.Connect(Controller.ConnectionPoint, Component.ConnectionPoint), "IConnectionPoint::connect(controller → component)");
        _connected = true;
    }

    private static void Check(int result, string call)
    {
        if (result != Vst3Result.Ok)
        {
            throw new Vst3ModuleException($"{call} failed with {Vst3Result.Codes.Describe(result)}.") { Result = result };
        }
    }
}
