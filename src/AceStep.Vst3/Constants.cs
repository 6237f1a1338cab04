using System.Diagnostics.CodeAnalysis;

namespace AceStep.Vst3;

/// <summary><c>PFactoryInfo::FactoryFlags</c>.</summary>
[SuppressMessage("Naming", "CA1711", Justification = "Named as in the VST3 headers.")]
[Flags]
public enum FactoryFlags
{
    /// <summary>No flags.</summary>
    None = 0,

    /// <summary>Classes may be unloaded when unused.</summary>
    ClassesDiscardable = 1,

    /// <summary>Deprecated licence check.</summary>
    LicenseCheck = 2,

    /// <summary>Components must not be discarded.</summary>
    ComponentNonDiscardable = 8,

    /// <summary>Strings are Unicode (the SDK's <c>kDefaultFactoryFlags</c>).</summary>
    Unicode = 16,
}

/// <summary><c>PClassInfo2::classFlags</c> (<c>ComponentFlags</c>, <c>ivstcomponent.h</c>).</summary>
[SuppressMessage("Naming", "CA1711", Justification = "Named as in the VST3 headers.")]
[Flags]
public enum ComponentFlags : uint
{
    /// <summary>No flags.</summary>
    None = 0,

    /// <summary>Processor and controller may run on different computers.</summary>
    Distributable = 1,

    /// <summary>Supports simple IO mode.</summary>
    SimpleModeSupported = 2,
}

/// <summary><c>PClassInfo::ClassCardinality</c>.</summary>
public static class ClassCardinality
{
    /// <summary><c>kManyInstances</c>.</summary>
    public const int ManyInstances = 0x7FFFFFFF;
}

/// <summary>Class category strings.</summary>
public static class ClassCategories
{
    /// <summary><c>kVstAudioEffectClass</c>: a processing component.</summary>
    public const string AudioEffect = "Audio Module Class";

    /// <summary><c>kVstComponentControllerClass</c>: an edit controller.</summary>
    public const string ComponentController = "Component Controller Class";
}

/// <summary>Subcategory strings; combine with '|'.</summary>
public static class PlugTypes
{
    /// <summary>An effect.</summary>
    public const string Fx = "Fx";

    /// <summary>A generator.</summary>
    public const string Generator = "Generator";

    /// <summary>An instrument.</summary>
    public const string Instrument = "Instrument";

    /// <summary>Sampler-like.</summary>
    public const string Sampler = "Sampler";

    /// <summary>Tools.</summary>
    public const string Tools = "Tools";
}

/// <summary>SDK version strings written to class info.</summary>
public static class SdkVersions
{
    /// <summary>The SDK version whose headers the ABI facts were measured from.</summary>
    public const string Current = "VST 3.7.14";
}

/// <summary><c>MediaTypes</c>.</summary>
public enum MediaType
{
    /// <summary>Audio bus.</summary>
    Audio = 0,

    /// <summary>Event (note) bus.</summary>
    Event = 1,
}

/// <summary><c>BusDirections</c>.</summary>
public enum BusDirection
{
    /// <summary>Input.</summary>
    Input = 0,

    /// <summary>Output.</summary>
    Output = 1,
}

/// <summary><c>BusTypes</c>.</summary>
public enum BusType
{
    /// <summary>Main bus.</summary>
    Main = 0,

    /// <summary>Auxiliary (side-chain) bus.</summary>
    Aux = 1,
}

/// <summary><c>BusInfo::BusFlags</c>.</summary>
[SuppressMessage("Naming", "CA1711", Justification = "Named as in the VST3 headers.")]
[Flags]
public enum BusFlags : uint
{
    /// <summary>No flags.</summary>
    None = 0,

    /// <summary>Active by default.</summary>
    DefaultActive = 1,

    /// <summary>Carries control voltage.</summary>
    IsControlVoltage = 2,
}

/// <summary><c>ProcessModes</c>.</summary>
public enum ProcessMode
{
    /// <summary>Realtime.</summary>
    Realtime = 0,

    /// <summary>Faster than realtime, ahead of playback.</summary>
    Prefetch = 1,

    /// <summary>Offline render.</summary>
    Offline = 2,
}

/// <summary><c>SymbolicSampleSizes</c>.</summary>
public enum SymbolicSampleSize
{
    /// <summary>32-bit float.</summary>
    Sample32 = 0,

    /// <summary>64-bit double.</summary>
    Sample64 = 1,
}

/// <summary><c>ProcessContext::StatesAndFlags</c>.</summary>
[Flags]
public enum ProcessContextState : uint
{
    /// <summary>Nothing valid, stopped.</summary>
    None = 0,

    /// <summary>Transport is playing.</summary>
    Playing = 1 << 1,

    /// <summary>Cycle (loop) is active.</summary>
    CycleActive = 1 << 2,

    /// <summary>Recording.</summary>
    Recording = 1 << 3,

    /// <summary>systemTime is valid.</summary>
    SystemTimeValid = 1 << 8,

    /// <summary>projectTimeMusic is valid.</summary>
    ProjectTimeMusicValid = 1 << 9,

    /// <summary>tempo is valid.</summary>
    TempoValid = 1 << 10,

    /// <summary>barPositionMusic is valid.</summary>
    BarPositionValid = 1 << 11,

    /// <summary>cycleStartMusic and cycleEndMusic are valid.</summary>
    CycleValid = 1 << 12,

    /// <summary>The time signature is valid.</summary>
    TimeSigValid = 1 << 13,

    /// <summary>smpteOffsetSubframes and frameRate are valid.</summary>
    SmpteValid = 1 << 14,

    /// <summary>samplesToNextClock is valid.</summary>
    ClockValid = 1 << 15,

    /// <summary>continousTimeSamples is valid.</summary>
    ContTimeValid = 1 << 17,

    /// <summary>chord is valid.</summary>
    ChordValid = 1 << 18,
}

/// <summary><c>IProcessContextRequirements::Flags</c>: what the plugin asks the host to fill.</summary>
[Flags]
public enum ProcessContextRequirements : uint
{
    /// <summary>Nothing.</summary>
    None = 0,

    /// <summary>systemTime.</summary>
    NeedSystemTime = 1,

    /// <summary>continousTimeSamples.</summary>
    NeedContinousTimeSamples = 2,

    /// <summary>projectTimeMusic.</summary>
    NeedProjectTimeMusic = 4,

    /// <summary>barPositionMusic.</summary>
    NeedBarPositionMusic = 8,

    /// <summary>cycleStartMusic/cycleEndMusic.</summary>
    NeedCycleMusic = 16,

    /// <summary>samplesToNextClock.</summary>
    NeedSamplesToNextClock = 32,

    /// <summary>tempo.</summary>
    NeedTempo = 64,

    /// <summary>Time signature.</summary>
    NeedTimeSignature = 128,

    /// <summary>chord.</summary>
    NeedChord = 256,

    /// <summary>frameRate.</summary>
    NeedFrameRate = 512,

    /// <summary>Transport state (playing, cycle, recording).</summary>
    NeedTransportState = 1024,
}

/// <summary><c>ParameterInfo::ParameterFlags</c>.</summary>
[SuppressMessage("Naming", "CA1711", Justification = "Named as in the VST3 headers.")]
[Flags]
public enum ParameterFlags
{
    /// <summary>No flags.</summary>
    None = 0,

    /// <summary>Can be automated.</summary>
    CanAutomate = 1,

    /// <summary>Read-only.</summary>
    IsReadOnly = 2,

    /// <summary>Wraps around.</summary>
    IsWrapAround = 4,

    /// <summary>Shown as a list.</summary>
    IsList = 8,

    /// <summary>Hidden.</summary>
    IsHidden = 16,

    /// <summary>Program change.</summary>
    IsProgramChange = 1 << 15,

    /// <summary>The bypass parameter.</summary>
    IsBypass = 1 << 16,
}

/// <summary>Other <c>ParameterInfo</c> constants.</summary>
public static class ParameterInfoConstants
{
    /// <summary><c>kRootUnitId</c>.</summary>
    public const int RootUnitId = 0;
}

/// <summary>Common <c>SpeakerArrangement</c> values.</summary>
public static class SpeakerArrangements
{
    /// <summary>No speakers.</summary>
    public const ulong Empty = 0;

    /// <summary>Mono (<c>kSpeakerM</c>).</summary>
    public const ulong Mono = 0x80000;

    /// <summary>Stereo (L|R).</summary>
    public const ulong Stereo = 0x3;
}

/// <summary><c>IBStream::IStreamSeekMode</c>.</summary>
public enum StreamSeekMode
{
    /// <summary>From the start.</summary>
    Set = 0,

    /// <summary>From the current position.</summary>
    Current = 1,

    /// <summary>From the end.</summary>
    End = 2,
}
