namespace AceStep.Vst3.Hosting;

/// <summary>
/// Owned references to a plugin's processing component: <c>IComponent</c>, plus <c>IAudioProcessor</c>,
/// <c>IProcessContextRequirements</c> and <c>IConnectionPoint</c> when it answers queryInterface for them. Calls
/// return the plugin's <c>tresult</c> as it is, so tests can check refusals. Disposing releases every reference.
/// </summary>
public sealed unsafe class ComponentRef : IDisposable
{
    private nint _component;
    private nint _processor;
    private nint _contextRequirements;
    private nint _connectionPoint;

    /// <summary>Takes ownership of one <c>IComponent*</c> reference.</summary>
    /// <param name="component">The pointer createInstance returned.</param>
    public ComponentRef(nint component)
    {
        ArgumentOutOfRangeException.ThrowIfZero(component);
        _component = component;
        _processor = Query(component, Iids.IAudioProcessor);
        _contextRequirements = Query(component, Iids.IProcessContextRequirements);
        _connectionPoint = Query(component, Iids.IConnectionPoint);
    }

    /// <summary>The <c>IComponent*</c>.</summary>
    public nint Component => Live(_component);

    /// <summary>The <c>IAudioProcessor*</c> (zero when the component has none).</summary>
    public nint AudioProcessor => _processor;

    /// <summary>The <c>IConnectionPoint*</c> (zero when the component has none).</summary>
    public nint ConnectionPoint => _connectionPoint;

    /// <summary>Whether the component answered for <c>IProcessContextRequirements</c>.</summary>
    public bool HasContextRequirements => _contextRequirements != 0;

    /// <summary><c>initialize(context)</c>.</summary>
    /// <param name="context">The host context (an <c>FUnknown*</c>), or zero.</param>
    /// <returns>The <c>tresult</c>.</returns>
    public int Initialize(nint context) =>
        ((delegate* unmanaged[MemberFunction]<nint, nint, int>)Vst3Unknown.Slot(Component, PluginBaseSlots.Initialize))(Component, context);

    /// <summary><c>terminate()</c>.</summary>
    /// <returns>The <c>tresult</c>.</returns>
    public int Terminate() =>
        ((delegate* unmanaged[MemberFunction]<nint, int>)Vst3Unknown.Slot(Component, PluginBaseSlots.Terminate))(Component);

    /// <summary><c>getControllerClassId</c>.</summary>
    /// <param name="classId">The controller's class ID.</param>
    /// <returns>The <c>tresult</c>.</returns>
    public int GetControllerClassId(out Tuid classId)
    {
        Tuid result = default;
        int status = ((delegate* unmanaged[MemberFunction]<nint, Tuid*, int>)Vst3Unknown.Slot(Component, ComponentSlots.GetControllerClassId))(Component, &result);
        classId = result;
        return status;
    }

    /// <summary><c>getBusCount</c>.</summary>
    /// <param name="type">Audio or event.</param>
    /// <param name="direction">Input or output.</param>
    /// <returns>The count.</returns>
    public int GetBusCount(MediaType type, BusDirection direction) =>
        ((delegate* unmanaged[MemberFunction]<nint, MediaType, BusDirection, int>)Vst3Unknown.Slot(Component, ComponentSlots.GetBusCount))(Component, type, direction);

    /// <summary><c>getBusInfo</c>.</summary>
    /// <param name="type">Audio or event.</param>
    /// <param name="direction">Input or output.</param>
    /// <param name="index">Bus index.</param>
    /// <param name="info">What the plugin filled.</param>
    /// <returns>The <c>tresult</c>.</returns>
    public int GetBusInfo(MediaType type, BusDirection direction, int index, out BusInfo info)
    {
        BusInfo result = default;
        int status = ((delegate* unmanaged[MemberFunction]<nint, MediaType, BusDirection, int, BusInfo*, int>)Vst3Unknown.Slot(Component, ComponentSlots.GetBusInfo))(
            Component, type, direction, index, &result);
        info = result;
        return status;
    }

    /// <summary><c>activateBus</c>.</summary>
    /// <param name="type">Audio or event.</param>
    /// <param name="direction">Input or output.</param>
    /// <param name="index">Bus index.</param>
    /// <param name="active">On or off.</param>
    /// <returns>The <c>tresult</c>.</returns>
    public int ActivateBus(MediaType type, BusDirection direction, int index, bool active) =>
        ((delegate* unmanaged[MemberFunction]<nint, MediaType, BusDirection, int, byte, int>)Vst3Unknown.Slot(Component, ComponentSlots.ActivateBus))(
            Component, type, direction, index, active ? (byte)1 : (byte)0);

    /// <summary><c>setActive</c>.</summary>
    /// <param name="active">On or off.</param>
    /// <returns>The <c>tresult</c>.</returns>
    public int SetActive(bool active) =>
        ((delegate* unmanaged[MemberFunction]<nint, byte, int>)Vst3Unknown.Slot(Component, ComponentSlots.SetActive))(Component, active ? (byte)1 : (byte)0);

    /// <summary><c>setState</c>.</summary>
    /// <param name="stream">The stream to read from (its current position).</param>
    /// <returns>The <c>tresult</c>.</returns>
    public int SetState(MemoryBStream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return ((delegate* unmanaged[MemberFunction]<nint, nint, int>)Vst3Unknown.Slot(Component, ComponentSlots.SetState))(Component, stream.NativePointer);
    }

    /// <summary><c>getState</c>.</summary>
    /// <param name="stream">The stream to write to (at its current position).</param>
    /// <returns>The <c>tresult</c>.</returns>
    public int GetState(MemoryBStream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return ((delegate* unmanaged[MemberFunction]<nint, nint, int>)Vst3Unknown.Slot(Component, ComponentSlots.GetState))(Component, stream.NativePointer);
    }

    /// <summary><c>IAudioProcessor::setBusArrangements</c>.</summary>
    /// <param name="inputs">One arrangement per input bus.</param>
    /// <param name="outputs">One arrangement per output bus.</param>
    /// <returns>The <c>tresult</c>.</returns>
    public int SetBusArrangements(ReadOnlySpan<ulong> inputs, ReadOnlySpan<ulong> outputs)
    {
        fixed (ulong* ins = inputs)
        fixed (ulong* outs = outputs)
        {
            return ((delegate* unmanaged[MemberFunction]<nint, ulong*, int, ulong*, int, int>)Vst3Unknown.Slot(Processor, AudioProcessorSlots.SetBusArrangements))(
                Processor, ins, inputs.Length, outs, outputs.Length);
        }
    }

    /// <summary><c>IAudioProcessor::getBusArrangement</c>.</summary>
    /// <param name="direction">Input or output.</param>
    /// <param name="index">Bus index.</param>
    /// <param name="arrangement">The speaker arrangement.</param>
    /// <returns>The <c>tresult</c>.</returns>
    public int GetBusArrangement(BusDirection direction, int index, out ulong arrangement)
    {
        ulong result = 0;
        int status = ((delegate* unmanaged[MemberFunction]<nint, BusDirection, int, ulong*, int>)Vst3Unknown.Slot(Processor, AudioProcessorSlots.GetBusArrangement))(
            Processor, direction, index, &result);
        arrangement = result;
        return status;
    }

    /// <summary><c>IAudioProcessor::canProcessSampleSize</c>.</summary>
    /// <param name="size">The symbolic sample size (raw, so invalid values can be tried).</param>
    /// <returns>The <c>tresult</c> (kResultTrue or kResultFalse).</returns>
    public int CanProcessSampleSize(int size) =>
        ((delegate* unmanaged[MemberFunction]<nint, int, int>)Vst3Unknown.Slot(Processor, AudioProcessorSlots.CanProcessSampleSize))(Processor, size);

    /// <summary><c>IAudioProcessor::getLatencySamples</c>.</summary>
    /// <returns>The latency.</returns>
    public uint GetLatencySamples() =>
        ((delegate* unmanaged[MemberFunction]<nint, uint>)Vst3Unknown.Slot(Processor, AudioProcessorSlots.GetLatencySamples))(Processor);

    /// <summary><c>IAudioProcessor::getTailSamples</c>.</summary>
    /// <returns>The tail length.</returns>
    public uint GetTailSamples() =>
        ((delegate* unmanaged[MemberFunction]<nint, uint>)Vst3Unknown.Slot(Processor, AudioProcessorSlots.GetTailSamples))(Processor);

    /// <summary><c>IAudioProcessor::setupProcessing</c>.</summary>
    /// <param name="setup">Mode, sample size, block size and rate.</param>
    /// <returns>The <c>tresult</c>.</returns>
    public int SetupProcessing(ProcessSetup setup) =>
        ((delegate* unmanaged[MemberFunction]<nint, ProcessSetup*, int>)Vst3Unknown.Slot(Processor, AudioProcessorSlots.SetupProcessing))(Processor, &setup);

    /// <summary><c>IAudioProcessor::setProcessing</c>.</summary>
    /// <param name="processing">On or off.</param>
    /// <returns>The <c>tresult</c>.</returns>
    public int SetProcessing(bool processing) =>
        ((delegate* unmanaged[MemberFunction]<nint, byte, int>)Vst3Unknown.Slot(Processor, AudioProcessorSlots.SetProcessing))(Processor, processing ? (byte)1 : (byte)0);

    /// <summary><c>IAudioProcessor::process</c> on a prepared block; allocation-free on the host side.</summary>
    /// <param name="block">The buffers, context and changes.</param>
    /// <returns>The <c>tresult</c>.</returns>
    public int Process(ProcessBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        return ((delegate* unmanaged[MemberFunction]<nint, ProcessData*, int>)Vst3Unknown.Slot(Processor, AudioProcessorSlots.Process))(Processor, block.Data);
    }

    /// <summary><c>IProcessContextRequirements::getProcessContextRequirements</c>.</summary>
    /// <returns>The flags.</returns>
    /// <exception cref="NotSupportedException">The component does not implement the interface.</exception>
    public ProcessContextRequirements GetProcessContextRequirements()
    {
        nint requirements = _contextRequirements != 0 ? _contextRequirements : throw new NotSupportedException("No IProcessContextRequirements.");
        return (ProcessContextRequirements)((delegate* unmanaged[MemberFunction]<nint, uint>)Vst3Unknown.Slot(
            requirements, ProcessContextRequirementsSlots.GetProcessContextRequirements))(requirements);
    }

    /// <summary>Releases every reference.</summary>
    public void Dispose()
    {
        ReleaseOnce(ref _connectionPoint);
        ReleaseOnce(ref _contextRequirements);
        ReleaseOnce(ref _processor);
        ReleaseOnce(ref _component);
    }

    private nint Processor => _processor != 0 ? _processor : throw new NotSupportedException("The component does not implement IAudioProcessor.");

    internal static nint Query(nint unknown, Vst3Uid iid) =>
        Vst3Unknown.QueryInterface(unknown, iid.Tuid, out nint result) == Vst3Result.Ok ? result : 0;

    internal static void ReleaseOnce(ref nint pointer)
    {
        nint taken = Interlocked.Exchange(ref pointer, 0);
        if (taken != 0)
        {
            Vst3Unknown.Release(taken);
        }
    }

    private static nint Live(nint pointer)
    {
        ObjectDisposedException.ThrowIf(pointer == 0, typeof(ComponentRef));
        return pointer;
    }
}
