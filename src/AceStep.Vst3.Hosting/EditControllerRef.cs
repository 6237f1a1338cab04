namespace AceStep.Vst3.Hosting;

/// <summary>
/// Owned references to a plugin's <c>IEditController</c> (and its <c>IConnectionPoint</c> when it has one). Calls
/// return the plugin's answers unchanged. Disposing releases every reference.
/// </summary>
public sealed unsafe class EditControllerRef : IDisposable
{
    private nint _controller;
    private nint _connectionPoint;

    /// <summary>Takes ownership of one <c>IEditController*</c> reference.</summary>
    /// <param name="controller">The pointer createInstance returned.</param>
    public EditControllerRef(nint controller)
    {
        ArgumentOutOfRangeException.ThrowIfZero(controller);
        _controller = controller;
        _connectionPoint = ComponentRef.Query(controller, Iids.IConnectionPoint);
    }

    /// <summary>The <c>IEditController*</c>.</summary>
    public nint Controller => _controller != 0 ? _controller : throw new ObjectDisposedException(nameof(EditControllerRef));

    /// <summary>The <c>IConnectionPoint*</c> (zero when the controller has none).</summary>
    public nint ConnectionPoint => _connectionPoint;

    /// <summary><c>initialize(context)</c>.</summary>
    /// <param name="context">The host context, or zero.</param>
    /// <returns>The <c>tresult</c>.</returns>
    public int Initialize(nint context) =>
        ((delegate* unmanaged[MemberFunction]<nint, nint, int>)Slot(PluginBaseSlots.Initialize))(Controller, context);

    /// <summary><c>terminate()</c>.</summary>
    /// <returns>The <c>tresult</c>.</returns>
    public int Terminate() => ((delegate* unmanaged[MemberFunction]<nint, int>)Slot(PluginBaseSlots.Terminate))(Controller);

    /// <summary><c>setComponentState</c>: the component's state, so the controller mirrors its parameters.</summary>
    /// <param name="stream">The stream (read from its position).</param>
    /// <returns>The <c>tresult</c>.</returns>
    public int SetComponentState(MemoryBStream stream) => StreamCall(EditControllerSlots.SetComponentState, stream);

    /// <summary><c>setState</c> (the controller's own state).</summary>
    /// <param name="stream">The stream.</param>
    /// <returns>The <c>tresult</c>.</returns>
    public int SetState(MemoryBStream stream) => StreamCall(EditControllerSlots.SetState, stream);

    /// <summary><c>getState</c> (the controller's own state).</summary>
    /// <param name="stream">The stream.</param>
    /// <returns>The <c>tresult</c>.</returns>
    public int GetState(MemoryBStream stream) => StreamCall(EditControllerSlots.GetState, stream);

    /// <summary><c>getParameterCount</c>.</summary>
    /// <returns>The count.</returns>
    public int GetParameterCount() => ((delegate* unmanaged[MemberFunction]<nint, int>)Slot(EditControllerSlots.GetParameterCount))(Controller);

    /// <summary><c>getParameterInfo</c>.</summary>
    /// <param name="index">Parameter index.</param>
    /// <param name="info">What the plugin filled.</param>
    /// <returns>The <c>tresult</c>.</returns>
    public int GetParameterInfo(int index, out ParameterInfo info)
    {
        ParameterInfo result = default;
        int status = ((delegate* unmanaged[MemberFunction]<nint, int, ParameterInfo*, int>)Slot(EditControllerSlots.GetParameterInfo))(Controller, index, &result);
        info = result;
        return status;
    }

    /// <summary><c>getParamStringByValue</c>.</summary>
    /// <param name="id">Parameter ID.</param>
    /// <param name="normalized">The value to display.</param>
    /// <param name="text">The display text, or null when the call failed.</param>
    /// <returns>The <c>tresult</c>.</returns>
    public int GetParamStringByValue(uint id, double normalized, out string? text)
    {
        String128 buffer = default;
        int status = ((delegate* unmanaged[MemberFunction]<nint, uint, double, char*, int>)Slot(EditControllerSlots.GetParamStringByValue))(
            Controller, id, normalized, (char*)&buffer);
        text = status == Vst3Result.Ok ? buffer.ToString() : null;
        return status;
    }

    /// <summary><c>getParamValueByString</c>.</summary>
    /// <param name="id">Parameter ID.</param>
    /// <param name="text">Display text.</param>
    /// <param name="normalized">The value the plugin read.</param>
    /// <returns>The <c>tresult</c>.</returns>
    public int GetParamValueByString(uint id, string text, out double normalized)
    {
        ArgumentNullException.ThrowIfNull(text);
        double result = 0;
        fixed (char* chars = text + "\0")
        {
            int status = ((delegate* unmanaged[MemberFunction]<nint, uint, char*, double*, int>)Slot(EditControllerSlots.GetParamValueByString))(
                Controller, id, chars, &result);
            normalized = result;
            return status;
        }
    }

    /// <summary><c>normalizedParamToPlain</c>.</summary>
    /// <param name="id">Parameter ID.</param>
    /// <param name="normalized">Normalized value.</param>
    /// <returns>Plain value.</returns>
    public double NormalizedParamToPlain(uint id, double normalized) =>
        ((delegate* unmanaged[MemberFunction]<nint, uint, double, double>)Slot(EditControllerSlots.NormalizedParamToPlain))(Controller, id, normalized);

    /// <summary><c>plainParamToNormalized</c>.</summary>
    /// <param name="id">Parameter ID.</param>
    /// <param name="plain">Plain value.</param>
    /// <returns>Normalized value.</returns>
    public double PlainParamToNormalized(uint id, double plain) =>
        ((delegate* unmanaged[MemberFunction]<nint, uint, double, double>)Slot(EditControllerSlots.PlainParamToNormalized))(Controller, id, plain);

    /// <summary><c>getParamNormalized</c>.</summary>
    /// <param name="id">Parameter ID.</param>
    /// <returns>The current normalized value.</returns>
    public double GetParamNormalized(uint id) =>
        ((delegate* unmanaged[MemberFunction]<nint, uint, double>)Slot(EditControllerSlots.GetParamNormalized))(Controller, id);

    /// <summary><c>setParamNormalized</c>.</summary>
    /// <param name="id">Parameter ID.</param>
    /// <param name="normalized">New value.</param>
    /// <returns>The <c>tresult</c>.</returns>
    public int SetParamNormalized(uint id, double normalized) =>
        ((delegate* unmanaged[MemberFunction]<nint, uint, double, int>)Slot(EditControllerSlots.SetParamNormalized))(Controller, id, normalized);

    /// <summary><c>setComponentHandler</c>.</summary>
    /// <param name="handler">An <c>IComponentHandler*</c>, or zero.</param>
    /// <returns>The <c>tresult</c>.</returns>
    public int SetComponentHandler(nint handler) =>
        ((delegate* unmanaged[MemberFunction]<nint, nint, int>)Slot(EditControllerSlots.SetComponentHandler))(Controller, handler);

    /// <summary><c>createView("editor")</c>; a non-zero view is owned by the caller.</summary>
    /// <returns>The <c>IPlugView*</c>, or zero when the plugin has no editor.</returns>
    public nint CreateView()
    {
        byte* name = stackalloc byte[] { (byte)'e', (byte)'d', (byte)'i', (byte)'t', (byte)'o', (byte)'r', 0 };
        return (nint)((delegate* unmanaged[MemberFunction]<nint, byte*, void*>)Slot(EditControllerSlots.CreateView))(Controller, name);
    }

    /// <summary>Releases every reference.</summary>
    public void Dispose()
    {
        ComponentRef.ReleaseOnce(ref _connectionPoint);
        ComponentRef.ReleaseOnce(ref _controller);
    }

    private void* Slot(int index) => Vst3Unknown.Slot(Controller, index);

    private int StreamCall(int slot, MemoryBStream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return ((delegate* unmanaged[MemberFunction]<nint, nint, int>)Slot(slot))(Controller, stream.NativePointer);
    }
}

/// <summary>Calls on <c>IConnectionPoint</c> pointers.</summary>
public static unsafe class ConnectionPoints
{
    /// <summary><c>connect(other)</c>.</summary>
    /// <param name="point">The connection point called.</param>
    /// <param name="other">The peer.</param>
    /// <returns>The <c>tresult</c>.</returns>
    public static int Connect(nint point, nint other) =>
        ((delegate* unmanaged[MemberFunction]<nint, nint, int>)Vst3Unknown.Slot(point, ConnectionPointSlots.Connect))(point, other);

    /// <summary><c>disconnect(other)</c>.</summary>
    /// <param name="point">The connection point called.</param>
    /// <param name="other">The peer.</param>
    /// <returns>The <c>tresult</c>.</returns>
    public static int Disconnect(nint point, nint other) =>
        ((delegate* unmanaged[MemberFunction]<nint, nint, int>)Vst3Unknown.Slot(point, ConnectionPointSlots.Disconnect))(point, other);

    /// <summary><c>notify(message)</c>.</summary>
    /// <param name="point">The connection point called.</param>
    /// <param name="message">An <c>IMessage*</c> (zero to probe argument checks).</param>
    /// <returns>The <c>tresult</c>.</returns>
    public static int Notify(nint point, nint message) =>
        ((delegate* unmanaged[MemberFunction]<nint, nint, int>)Vst3Unknown.Slot(point, ConnectionPointSlots.Notify))(point, message);
}
