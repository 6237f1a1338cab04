namespace AceStep.Vst3;

/// <summary>Interface identifiers (the four numbers of each <c>DECLARE_CLASS_IID</c>, SDK 3.7.14).</summary>
/// <remarks>Use <see cref="Vst3Uid.Tuid"/> for the bytes of the current platform.</remarks>
public static class Iids
{
    /// <summary><c>FUnknown</c>: The root of every interface.</summary>
    public static readonly Vst3Uid FUnknown = new(0x00000000, 0x00000000, 0xC0000000, 0x00000046);

    /// <summary><c>IPluginBase</c>: initialize/terminate of components and controllers.</summary>
    public static readonly Vst3Uid IPluginBase = new(0x22888DDB, 0x156E45AE, 0x8358B348, 0x08190625);

    /// <summary><c>IPluginFactory</c>: The module's class factory.</summary>
    public static readonly Vst3Uid IPluginFactory = new(0x7A4D811C, 0x52114A1F, 0xAED9D2EE, 0x0B43BF9F);

    /// <summary><c>IPluginFactory2</c>: Factory with PClassInfo2.</summary>
    public static readonly Vst3Uid IPluginFactory2 = new(0x0007B650, 0xF24B4C0B, 0xA464EDB9, 0xF00B2ABB);

    /// <summary><c>IPluginFactory3</c>: Factory with Unicode class info and a host context.</summary>
    public static readonly Vst3Uid IPluginFactory3 = new(0x4555A2AB, 0xC1234E57, 0x9B122910, 0x36878931);

    /// <summary><c>IComponent</c>: The processing component (buses, state, activation).</summary>
    public static readonly Vst3Uid IComponent = new(0xE831FF31, 0xF2D54301, 0x928EBBEE, 0x25697802);

    /// <summary><c>IAudioProcessor</c>: Audio processing on the component.</summary>
    public static readonly Vst3Uid IAudioProcessor = new(0x42043F99, 0xB7DA453C, 0xA569E79D, 0x9AAEC33D);

    /// <summary><c>IProcessContextRequirements</c>: Which ProcessContext fields the plugin needs.</summary>
    public static readonly Vst3Uid IProcessContextRequirements = new(0x2A654303, 0xEF764E3D, 0x95B5FE83, 0x730EF6D0);

    /// <summary><c>IAudioPresentationLatency</c>: Host-side presentation latency information.</summary>
    public static readonly Vst3Uid IAudioPresentationLatency = new(0x309ECE78, 0xEB7D4FAE, 0x8B2225D9, 0x09FD08B6);

    /// <summary><c>IEditController</c>: The controller (parameters, editor).</summary>
    public static readonly Vst3Uid IEditController = new(0xDCD7BBE3, 0x7742448D, 0xA874AACC, 0x979C759E);

    /// <summary><c>IEditController2</c>: Controller extension (knob mode, help, open about box).</summary>
    public static readonly Vst3Uid IEditController2 = new(0x7F4EFE59, 0xF3204967, 0xAC27A3AE, 0xAFB63038);

    /// <summary><c>IComponentHandler</c>: Host callback for parameter edits.</summary>
    public static readonly Vst3Uid IComponentHandler = new(0x93A0BEA3, 0x0BD045DB, 0x8E890B0C, 0xC1E46AC6);

    /// <summary><c>IComponentHandler2</c>: Extended host callback (dirty state, group edits).</summary>
    public static readonly Vst3Uid IComponentHandler2 = new(0xF040B4B3, 0xA36045EC, 0xABCDC045, 0xB4D5A2CC);

    /// <summary><c>IConnectionPoint</c>: Messaging between component and controller.</summary>
    public static readonly Vst3Uid IConnectionPoint = new(0x70A4156F, 0x6E6E4026, 0x989148BF, 0xAA60D8D1);

    /// <summary><c>IMessage</c>: A message carried over a connection point.</summary>
    public static readonly Vst3Uid IMessage = new(0x936F033B, 0xC6C047DB, 0xBB0882F8, 0x13C1E613);

    /// <summary><c>IAttributeList</c>: Attributes of a message.</summary>
    public static readonly Vst3Uid IAttributeList = new(0x1E5F0AEB, 0xCC7F4533, 0xA2544011, 0x38AD5EE4);

    /// <summary><c>IBStream</c>: Host stream for state.</summary>
    public static readonly Vst3Uid IBStream = new(0xC3BF6EA2, 0x30994752, 0x9B6BF990, 0x1EE33E9B);

    /// <summary><c>ISizeableStream</c>: Stream with a settable size.</summary>
    public static readonly Vst3Uid ISizeableStream = new(0x04F9549E, 0xE02F4E6E, 0x87E86A87, 0x47F4E17F);

    /// <summary><c>Vst::ChannelContext::IInfoListener</c>: the host tells the controller about the track it sits on.</summary>
    public static readonly Vst3Uid IInfoListener = new(0x0F194781, 0x8D984ADA, 0xBBA0C1EF, 0xC011D8D0);

    /// <summary><c>IStreamAttributes</c>: Attributes attached to a state stream.</summary>
    public static readonly Vst3Uid IStreamAttributes = new(0xD6CE2FFC, 0xEFAF4B8C, 0x9E74F1BB, 0x12DA44B4);

    /// <summary><c>IParameterChanges</c>: Parameter changes of one process block.</summary>
    public static readonly Vst3Uid IParameterChanges = new(0xA4779663, 0x0BB64A56, 0xB44384A8, 0x466FEB9D);

    /// <summary><c>IParamValueQueue</c>: The points of one parameter in one block.</summary>
    public static readonly Vst3Uid IParamValueQueue = new(0x01263A18, 0xED074F6F, 0x98C9D356, 0x4686F9BA);

    /// <summary><c>IEventList</c>: Events of one process block.</summary>
    public static readonly Vst3Uid IEventList = new(0x3A2C4214, 0x346349FE, 0xB2C4F397, 0xB9695A44);

    /// <summary><c>IHostApplication</c>: Host name and host-side object creation.</summary>
    public static readonly Vst3Uid IHostApplication = new(0x58E595CC, 0xDB2D4969, 0x8B6AAF8C, 0x36A664E5);

    /// <summary><c>IPlugInterfaceSupport</c>: Which interfaces the host supports.</summary>
    public static readonly Vst3Uid IPlugInterfaceSupport = new(0x4FB58B9E, 0x9EAA4E0F, 0xAB361C1C, 0xCCB56FEA);

    /// <summary><c>IUnitInfo</c>: Units and programs of a controller.</summary>
    public static readonly Vst3Uid IUnitInfo = new(0x3D4BD6B5, 0x913A4FD2, 0xA886E768, 0xA5EB92C1);

    /// <summary><c>IMidiMapping</c>: MIDI controller to parameter mapping.</summary>
    public static readonly Vst3Uid IMidiMapping = new(0xDF0FF9F7, 0x49B74669, 0xB63AB732, 0x7ADBF5E5);

    /// <summary><c>IPlugView</c>: The plugin's editor view.</summary>
    public static readonly Vst3Uid IPlugView = new(0x5BC32507, 0xD06049EA, 0xA6151B52, 0x2B755B29);

    /// <summary><c>IPlugFrame</c>: Host frame around the editor view.</summary>
    public static readonly Vst3Uid IPlugFrame = new(0x367FAF01, 0xAFA94693, 0x8D4DA2A0, 0xED0882A3);

    /// <summary><c>IPlugViewContentScaleSupport</c>: HiDPI scale factor for the editor view.</summary>
    public static readonly Vst3Uid IPlugViewContentScaleSupport = new(0x65ED9690, 0x8AC44525, 0x8AADEF7A, 0x72EA703F);

    /// <summary><c>IRunLoop</c>: Linux host run loop (Steinberg::Linux::IRunLoop).</summary>
    public static readonly Vst3Uid IRunLoop = new(0x18C35366, 0x97764F1A, 0x9C5B8385, 0x7A871389);

    /// <summary><c>IEventHandler</c>: Linux file-descriptor callback (Steinberg::Linux::IEventHandler).</summary>
    public static readonly Vst3Uid IEventHandler = new(0x561E65C9, 0x13A0496F, 0x813A2C35, 0x654D7983);

    /// <summary><c>ITimerHandler</c>: Linux timer callback (Steinberg::Linux::ITimerHandler).</summary>
    public static readonly Vst3Uid ITimerHandler = new(0x10BDD94F, 0x41424774, 0x821FAD8F, 0xECA72CA9);

    /// <summary><c>IReaperHostApplication</c>: REAPER's host extension (Cockos).</summary>
    public static readonly Vst3Uid IReaperHostApplication = new(0x79655E36, 0x77EE4267, 0xA573FEF7, 0x4912C27C);

    /// <summary><c>IReaperUIEmbedInterface</c>: REAPER's UI embedding extension (Cockos).</summary>
    public static readonly Vst3Uid IReaperUIEmbedInterface = new(0x049BF9E7, 0xBC74EAD0, 0xC4101E86, 0x7F725981);
}
