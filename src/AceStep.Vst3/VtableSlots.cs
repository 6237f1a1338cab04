namespace AceStep.Vst3;

// Absolute vtable indices (base-interface slots first, in declaration order), so a derived interface's table is its
// base's table plus more entries. Each class lists only its own slots and the count of the whole table.

/// <summary><c>FUnknown</c> slots.</summary>
public static class FUnknownSlots
{
    /// <summary><c>tresult queryInterface(const TUID iid, void** obj)</c>.</summary>
    public const int QueryInterface = 0;

    /// <summary><c>uint32 addRef()</c>.</summary>
    public const int AddRef = 1;

    /// <summary><c>uint32 release()</c>.</summary>
    public const int Release = 2;

    /// <summary>Number of slots.</summary>
    public const int Count = 3;
}

/// <summary><c>IPluginBase</c> slots.</summary>
public static class PluginBaseSlots
{
    /// <summary><c>initialize(FUnknown* context)</c>.</summary>
    public const int Initialize = 3;

    /// <summary><c>terminate()</c>.</summary>
    public const int Terminate = 4;

    /// <summary>Number of slots.</summary>
    public const int Count = 5;
}

/// <summary><c>IPluginFactory</c>, <c>IPluginFactory2</c> and <c>IPluginFactory3</c> slots (one chain).</summary>
public static class PluginFactorySlots
{
    /// <summary><c>getFactoryInfo(PFactoryInfo*)</c>.</summary>
    public const int GetFactoryInfo = 3;

    /// <summary><c>int32 countClasses()</c>.</summary>
    public const int CountClasses = 4;

    /// <summary><c>getClassInfo(int32, PClassInfo*)</c>.</summary>
    public const int GetClassInfo = 5;

    /// <summary><c>createInstance(FIDString cid, FIDString iid, void** obj)</c>.</summary>
    public const int CreateInstance = 6;

    /// <summary>Number of slots of <c>IPluginFactory</c>.</summary>
    public const int Count = 7;

    /// <summary><c>IPluginFactory2::getClassInfo2(int32, PClassInfo2*)</c>.</summary>
    public const int GetClassInfo2 = 7;

    /// <summary>Number of slots of <c>IPluginFactory2</c>.</summary>
    public const int Count2 = 8;

    /// <summary><c>IPluginFactory3::getClassInfoUnicode(int32, PClassInfoW*)</c>.</summary>
    public const int GetClassInfoUnicode = 8;

    /// <summary><c>IPluginFactory3::setHostContext(FUnknown*)</c>.</summary>
    public const int SetHostContext = 9;

    /// <summary>Number of slots of <c>IPluginFactory3</c>.</summary>
    public const int Count3 = 10;
}

/// <summary><c>IComponent</c> slots (after <see cref="PluginBaseSlots"/>).</summary>
public static class ComponentSlots
{
    /// <summary><c>getControllerClassId(TUID)</c>.</summary>
    public const int GetControllerClassId = 5;

    /// <summary><c>setIoMode(int32)</c>.</summary>
    public const int SetIoMode = 6;

    /// <summary><c>int32 getBusCount(MediaType, BusDirection)</c>.</summary>
    public const int GetBusCount = 7;

    /// <summary><c>getBusInfo(type, dir, index, BusInfo&amp;)</c>.</summary>
    public const int GetBusInfo = 8;

    /// <summary><c>getRoutingInfo(RoutingInfo&amp;, RoutingInfo&amp;)</c>.</summary>
    public const int GetRoutingInfo = 9;

    /// <summary><c>activateBus(type, dir, index, TBool)</c>.</summary>
    public const int ActivateBus = 10;

    /// <summary><c>setActive(TBool)</c>.</summary>
    public const int SetActive = 11;

    /// <summary><c>setState(IBStream*)</c>.</summary>
    public const int SetState = 12;

    /// <summary><c>getState(IBStream*)</c>.</summary>
    public const int GetState = 13;

    /// <summary>Number of slots.</summary>
    public const int Count = 14;
}

/// <summary><c>IAudioProcessor</c> slots (after <see cref="FUnknownSlots"/>).</summary>
public static class AudioProcessorSlots
{
    /// <summary><c>setBusArrangements(SpeakerArrangement*, int32, SpeakerArrangement*, int32)</c>.</summary>
    public const int SetBusArrangements = 3;

    /// <summary><c>getBusArrangement(dir, index, SpeakerArrangement&amp;)</c>.</summary>
    public const int GetBusArrangement = 4;

    /// <summary><c>canProcessSampleSize(int32)</c>.</summary>
    public const int CanProcessSampleSize = 5;

    /// <summary><c>uint32 getLatencySamples()</c>.</summary>
    public const int GetLatencySamples = 6;

    /// <summary><c>setupProcessing(ProcessSetup&amp;)</c>.</summary>
    public const int SetupProcessing = 7;

    /// <summary><c>setProcessing(TBool)</c>.</summary>
    public const int SetProcessing = 8;

    /// <summary><c>process(ProcessData&amp;)</c>.</summary>
    public const int Process = 9;

    /// <summary><c>uint32 getTailSamples()</c>.</summary>
    public const int GetTailSamples = 10;

    /// <summary>Number of slots.</summary>
    public const int Count = 11;
}

/// <summary><c>IProcessContextRequirements</c> slots.</summary>
public static class ProcessContextRequirementsSlots
{
    /// <summary><c>uint32 getProcessContextRequirements()</c>.</summary>
    public const int GetProcessContextRequirements = 3;

    /// <summary>Number of slots.</summary>
    public const int Count = 4;
}

/// <summary><c>IEditController</c> slots (after <see cref="PluginBaseSlots"/>).</summary>
public static class EditControllerSlots
{
    /// <summary><c>setComponentState(IBStream*)</c>.</summary>
    public const int SetComponentState = 5;

    /// <summary><c>setState(IBStream*)</c>.</summary>
    public const int SetState = 6;

    /// <summary><c>getState(IBStream*)</c>.</summary>
    public const int GetState = 7;

    /// <summary><c>int32 getParameterCount()</c>.</summary>
    public const int GetParameterCount = 8;

    /// <summary><c>getParameterInfo(int32, ParameterInfo&amp;)</c>.</summary>
    public const int GetParameterInfo = 9;

    /// <summary><c>getParamStringByValue(ParamID, ParamValue, String128)</c>.</summary>
    public const int GetParamStringByValue = 10;

    /// <summary><c>getParamValueByString(ParamID, TChar*, ParamValue&amp;)</c>.</summary>
    public const int GetParamValueByString = 11;

    /// <summary><c>normalizedParamToPlain(ParamID, ParamValue)</c>.</summary>
    public const int NormalizedParamToPlain = 12;

    /// <summary><c>plainParamToNormalized(ParamID, ParamValue)</c>.</summary>
    public const int PlainParamToNormalized = 13;

    /// <summary><c>getParamNormalized(ParamID)</c>.</summary>
    public const int GetParamNormalized = 14;

    /// <summary><c>setParamNormalized(ParamID, ParamValue)</c>.</summary>
    public const int SetParamNormalized = 15;

    /// <summary><c>setComponentHandler(IComponentHandler*)</c>.</summary>
    public const int SetComponentHandler = 16;

    /// <summary><c>IPlugView* createView(FIDString)</c>.</summary>
    public const int CreateView = 17;

    /// <summary>Number of slots.</summary>
    public const int Count = 18;
}

/// <summary><c>IComponentHandler</c> slots (host side).</summary>
public static class ComponentHandlerSlots
{
    /// <summary><c>beginEdit(ParamID)</c>.</summary>
    public const int BeginEdit = 3;

    /// <summary><c>performEdit(ParamID, ParamValue)</c>.</summary>
    public const int PerformEdit = 4;

    /// <summary><c>endEdit(ParamID)</c>.</summary>
    public const int EndEdit = 5;

    /// <summary><c>restartComponent(int32)</c>.</summary>
    public const int RestartComponent = 6;

    /// <summary>Number of slots.</summary>
    public const int Count = 7;
}

/// <summary><c>IConnectionPoint</c> slots.</summary>
public static class ConnectionPointSlots
{
    /// <summary><c>connect(IConnectionPoint*)</c>.</summary>
    public const int Connect = 3;

    /// <summary><c>disconnect(IConnectionPoint*)</c>.</summary>
    public const int Disconnect = 4;

    /// <summary><c>notify(IMessage*)</c>.</summary>
    public const int Notify = 5;

    /// <summary>Number of slots.</summary>
    public const int Count = 6;
}

/// <summary><c>IBStream</c> slots (host side).</summary>
public static class BStreamSlots
{
    /// <summary><c>read(void*, int32, int32*)</c>.</summary>
    public const int Read = 3;

    /// <summary><c>write(void*, int32, int32*)</c>.</summary>
    public const int Write = 4;

    /// <summary><c>seek(int64, int32, int64*)</c>.</summary>
    public const int Seek = 5;

    /// <summary><c>tell(int64*)</c>.</summary>
    public const int Tell = 6;

    /// <summary>Number of slots.</summary>
    public const int Count = 7;
}

/// <summary><c>IParameterChanges</c> slots (host side).</summary>
public static class ParameterChangesSlots
{
    /// <summary><c>int32 getParameterCount()</c>.</summary>
    public const int GetParameterCount = 3;

    /// <summary><c>IParamValueQueue* getParameterData(int32)</c>.</summary>
    public const int GetParameterData = 4;

    /// <summary><c>IParamValueQueue* addParameterData(const ParamID&amp;, int32&amp;)</c>.</summary>
    public const int AddParameterData = 5;

    /// <summary>Number of slots.</summary>
    public const int Count = 6;
}

/// <summary><c>IParamValueQueue</c> slots.</summary>
public static class ParamValueQueueSlots
{
    /// <summary><c>ParamID getParameterId()</c>.</summary>
    public const int GetParameterId = 3;

    /// <summary><c>int32 getPointCount()</c>.</summary>
    public const int GetPointCount = 4;

    /// <summary><c>getPoint(int32, int32&amp;, ParamValue&amp;)</c>.</summary>
    public const int GetPoint = 5;

    /// <summary><c>addPoint(int32, ParamValue, int32&amp;)</c>.</summary>
    public const int AddPoint = 6;

    /// <summary>Number of slots.</summary>
    public const int Count = 7;
}

/// <summary><c>IHostApplication</c> slots (host side).</summary>
public static class HostApplicationSlots
{
    /// <summary><c>getName(String128)</c>.</summary>
    public const int GetName = 3;

    /// <summary><c>createInstance(TUID cid, TUID iid, void** obj)</c>.</summary>
    public const int CreateInstance = 4;

    /// <summary>Number of slots.</summary>
    public const int Count = 5;
}

/// <summary><c>IMessage</c> slots (host side; carried over <c>IConnectionPoint::notify</c>).</summary>
public static class MessageSlots
{
    /// <summary><c>FIDString getMessageID()</c>.</summary>
    public const int GetMessageId = 3;

    /// <summary><c>void setMessageID(FIDString)</c>.</summary>
    public const int SetMessageId = 4;

    /// <summary><c>IAttributeList* getAttributes()</c> (no reference added).</summary>
    public const int GetAttributes = 5;

    /// <summary>Number of slots.</summary>
    public const int Count = 6;
}

/// <summary><c>IAttributeList</c> slots (host side). Attribute IDs are ASCII C strings.</summary>
public static class AttributeListSlots
{
    /// <summary><c>setInt(AttrID, int64)</c>.</summary>
    public const int SetInt = 3;

    /// <summary><c>getInt(AttrID, int64&amp;)</c>.</summary>
    public const int GetInt = 4;

    /// <summary><c>setFloat(AttrID, double)</c>.</summary>
    public const int SetFloat = 5;

    /// <summary><c>getFloat(AttrID, double&amp;)</c>.</summary>
    public const int GetFloat = 6;

    /// <summary><c>setString(AttrID, const TChar*)</c>.</summary>
    public const int SetString = 7;

    /// <summary><c>getString(AttrID, TChar*, uint32 sizeInBytes)</c>.</summary>
    public const int GetString = 8;

    /// <summary><c>setBinary(AttrID, const void*, uint32)</c>.</summary>
    public const int SetBinary = 9;

    /// <summary><c>getBinary(AttrID, const void*&amp;, uint32&amp;)</c>.</summary>
    public const int GetBinary = 10;

    /// <summary>Number of slots.</summary>
    public const int Count = 11;
}

/// <summary><c>IStreamAttributes</c> slots (host side; queried from the <c>IBStream</c> of setState/getState).</summary>
public static class StreamAttributesSlots
{
    /// <summary><c>getFileName(String128)</c>.</summary>
    public const int GetFileName = 3;

    /// <summary><c>IAttributeList* getAttributes()</c> (no reference added).</summary>
    public const int GetAttributes = 4;

    /// <summary>Number of slots.</summary>
    public const int Count = 5;
}

/// <summary><c>Vst::ChannelContext::IInfoListener</c> slots (plug-in side, on the edit controller).</summary>
public static class InfoListenerSlots
{
    /// <summary><c>setChannelContextInfos(IAttributeList*)</c>: keys such as "channel name" (string), "channel color" (int64 ARGB).</summary>
    public const int SetChannelContextInfos = 3;

    /// <summary>Number of slots.</summary>
    public const int Count = 4;
}
