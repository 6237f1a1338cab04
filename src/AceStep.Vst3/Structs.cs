using System.Runtime.InteropServices;

// Layouts follow the SDK headers (natural alignment, pack 16 on Linux 64-bit); sizes and offsets are checked by
// tests/AceStep.Vst3.Tests against the measured table in shared/spec/vst3-abi.md §1.2. Fields are public because
// these structs are the wire format that native code reads and writes in place.
#pragma warning disable CA1051 // Interop structs expose their fields on purpose (see above).

namespace AceStep.Vst3;

/// <summary><c>PFactoryInfo</c> (<c>ipluginbase.h</c>): who made the module. 452 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct PFactoryInfo
{
    /// <summary>Vendor name.</summary>
    public CString64 Vendor;

    /// <summary>Vendor web site.</summary>
    public CString256 Url;

    /// <summary>Vendor e-mail.</summary>
    public CString128 Email;

    /// <summary>Factory flags.</summary>
    public FactoryFlags Flags;
}

/// <summary><c>PClassInfo</c>: the basic description of one class. 116 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct PClassInfo
{
    /// <summary>Class ID.</summary>
    public Tuid Cid;

    /// <summary>How many instances may exist; <see cref="ClassCardinality.ManyInstances"/>.</summary>
    public int Cardinality;

    /// <summary>Class category, e.g. <see cref="ClassCategories.AudioEffect"/>.</summary>
    public CString32 Category;

    /// <summary>Class name.</summary>
    public CString64 Name;
}

/// <summary><c>PClassInfo2</c>: <see cref="PClassInfo"/> plus flags, subcategories, vendor and versions. 440 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct PClassInfo2
{
    /// <summary>Class ID.</summary>
    public Tuid Cid;

    /// <summary>How many instances may exist.</summary>
    public int Cardinality;

    /// <summary>Class category.</summary>
    public CString32 Category;

    /// <summary>Class name.</summary>
    public CString64 Name;

    /// <summary>Component flags.</summary>
    public ComponentFlags ClassFlags;

    /// <summary>'|'-separated subcategories, e.g. <c>Fx|Delay</c>.</summary>
    public CString128 SubCategories;

    /// <summary>Vendor of this class; empty means the factory's vendor.</summary>
    public CString64 Vendor;

    /// <summary>Version of this class, e.g. <c>1.0.0</c>.</summary>
    public CString64 Version;

    /// <summary>SDK version it was built against, e.g. <c>VST 3.7.14</c>.</summary>
    public CString64 SdkVersion;
}

/// <summary><c>PClassInfoW</c>: <see cref="PClassInfo2"/> with UTF-16 name, vendor and versions. 696 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct PClassInfoW
{
    /// <summary>Class ID.</summary>
    public Tuid Cid;

    /// <summary>How many instances may exist.</summary>
    public int Cardinality;

    /// <summary>Class category (char8).</summary>
    public CString32 Category;

    /// <summary>Class name (char16).</summary>
    public String64 Name;

    /// <summary>Component flags.</summary>
    public ComponentFlags ClassFlags;

    /// <summary>'|'-separated subcategories (char8).</summary>
    public CString128 SubCategories;

    /// <summary>Vendor (char16).</summary>
    public String64 Vendor;

    /// <summary>Version (char16).</summary>
    public String64 Version;

    /// <summary>SDK version (char16).</summary>
    public String64 SdkVersion;
}

/// <summary><c>BusInfo</c> (<c>ivstcomponent.h</c>). 276 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct BusInfo
{
    /// <summary>Audio or event.</summary>
    public MediaType MediaType;

    /// <summary>Input or output.</summary>
    public BusDirection Direction;

    /// <summary>Number of channels (audio) or MIDI channels (event).</summary>
    public int ChannelCount;

    /// <summary>Bus name.</summary>
    public String128 Name;

    /// <summary>Main or aux.</summary>
    public BusType BusType;

    /// <summary>Bus flags.</summary>
    public BusFlags Flags;
}

/// <summary><c>RoutingInfo</c>. 12 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct RoutingInfo
{
    /// <summary>Audio or event.</summary>
    public MediaType MediaType;

    /// <summary>Bus index.</summary>
    public int BusIndex;

    /// <summary>Channel (-1 for all).</summary>
    public int Channel;
}

/// <summary><c>ProcessSetup</c> (<c>ivstaudioprocessor.h</c>). 24 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct ProcessSetup
{
    /// <summary>Realtime, prefetch or offline.</summary>
    public ProcessMode ProcessMode;

    /// <summary>32- or 64-bit samples.</summary>
    public SymbolicSampleSize SymbolicSampleSize;

    /// <summary>Largest block the host will pass to process().</summary>
    public int MaxSamplesPerBlock;

    /// <summary>Sample rate in Hz.</summary>
    public double SampleRate;
}

/// <summary><c>AudioBusBuffers</c>: the channels of one bus in one block. 24 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct AudioBusBuffers
{
    /// <summary>Number of channels.</summary>
    public int NumChannels;

    /// <summary>Bit per channel that is silent.</summary>
    public ulong SilenceFlags;

    /// <summary>The union <c>channelBuffers32</c>/<c>channelBuffers64</c>; read through the typed properties.</summary>
    public void** ChannelBuffers;

    /// <summary>Channel pointers when the sample size is 32-bit.</summary>
    public readonly float** ChannelBuffers32 => (float**)ChannelBuffers;

    /// <summary>Channel pointers when the sample size is 64-bit.</summary>
    public readonly double** ChannelBuffers64 => (double**)ChannelBuffers;
}

/// <summary><c>ProcessData</c>: everything one process() call gets. 80 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct ProcessData
{
    /// <summary>Realtime, prefetch or offline.</summary>
    public ProcessMode ProcessMode;

    /// <summary>32- or 64-bit samples.</summary>
    public SymbolicSampleSize SymbolicSampleSize;

    /// <summary>Samples in this block (0 for a parameter flush).</summary>
    public int NumSamples;

    /// <summary>Number of input buses.</summary>
    public int NumInputs;

    /// <summary>Number of output buses.</summary>
    public int NumOutputs;

    /// <summary>Input buses.</summary>
    public AudioBusBuffers* Inputs;

    /// <summary>Output buses.</summary>
    public AudioBusBuffers* Outputs;

    /// <summary><c>IParameterChanges*</c> from the host.</summary>
    public void* InputParameterChanges;

    /// <summary><c>IParameterChanges*</c> to the host.</summary>
    public void* OutputParameterChanges;

    /// <summary><c>IEventList*</c> from the host.</summary>
    public void* InputEvents;

    /// <summary><c>IEventList*</c> to the host.</summary>
    public void* OutputEvents;

    /// <summary>Transport and time information; may be null.</summary>
    public ProcessContext* ProcessContext;
}

/// <summary><c>Chord</c> inside <see cref="ProcessContext"/>. 4 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct Chord
{
    /// <summary>Key note of the chord (0 = C).</summary>
    public byte KeyNote;

    /// <summary>Lowest note of the chord.</summary>
    public byte RootNote;

    /// <summary>Notes of the chord, bit 0 = the key note.</summary>
    public short ChordMask;
}

/// <summary><c>FrameRate</c> inside <see cref="ProcessContext"/>. 8 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct FrameRate
{
    /// <summary>Frames per second.</summary>
    public uint FramesPerSecond;

    /// <summary>Pull-down and drop-frame flags.</summary>
    public uint Flags;
}

/// <summary><c>ProcessContext</c> (<c>ivstprocesscontext.h</c>): transport, tempo, metre. 112 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct ProcessContext
{
    /// <summary>Which fields are valid and the transport state.</summary>
    public ProcessContextState State;

    /// <summary>Sample rate in Hz.</summary>
    public double SampleRate;

    /// <summary>Project time in samples at the start of the block.</summary>
    public long ProjectTimeSamples;

    /// <summary>System time in nanoseconds.</summary>
    public long SystemTime;

    /// <summary>Continuous sample count that does not jump with the transport (the SDK spells it "continous").</summary>
    public long ContinousTimeSamples;

    /// <summary>Project time in quarter notes.</summary>
    public double ProjectTimeMusic;

    /// <summary>Last bar start in quarter notes.</summary>
    public double BarPositionMusic;

    /// <summary>Cycle start in quarter notes.</summary>
    public double CycleStartMusic;

    /// <summary>Cycle end in quarter notes.</summary>
    public double CycleEndMusic;

    /// <summary>Tempo in BPM.</summary>
    public double Tempo;

    /// <summary>Time signature numerator.</summary>
    public int TimeSigNumerator;

    /// <summary>Time signature denominator.</summary>
    public int TimeSigDenominator;

    /// <summary>Musical chord.</summary>
    public Chord Chord;

    /// <summary>SMPTE offset in sub-frames (1/80 frame).</summary>
    public int SmpteOffsetSubframes;

    /// <summary>Frame rate.</summary>
    public FrameRate FrameRate;

    /// <summary>Samples to the next MIDI clock (24 ppq).</summary>
    public int SamplesToNextClock;
}

/// <summary><c>ParameterInfo</c> (<c>ivsteditcontroller.h</c>). 792 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct ParameterInfo
{
    /// <summary>Parameter ID.</summary>
    public uint Id;

    /// <summary>Title.</summary>
    public String128 Title;

    /// <summary>Short title.</summary>
    public String128 ShortTitle;

    /// <summary>Units, e.g. "dB".</summary>
    public String128 Units;

    /// <summary>0 for continuous, else the number of steps.</summary>
    public int StepCount;

    /// <summary>Default value, normalized 0..1.</summary>
    public double DefaultNormalizedValue;

    /// <summary>Unit it belongs to; <see cref="ParameterInfoConstants.RootUnitId"/>.</summary>
    public int UnitId;

    /// <summary>Parameter flags.</summary>
    public ParameterFlags Flags;
}

/// <summary><c>ViewRect</c> (<c>iplugview.h</c>). 16 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct ViewRect
{
    /// <summary>Left edge.</summary>
    public int Left;

    /// <summary>Top edge.</summary>
    public int Top;

    /// <summary>Right edge.</summary>
    public int Right;

    /// <summary>Bottom edge.</summary>
    public int Bottom;
}

/// <summary>
/// The native object the plugin hands out per interface: the vtable pointer first (what C++ expects), then a
/// <see cref="GCHandle"/> to the managed object that implements it.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct NativeInterfaceSlot
{
    /// <summary>The vtable.</summary>
    public void** Vtable;

    /// <summary><see cref="GCHandle.ToIntPtr(GCHandle)"/> of the managed implementation.</summary>
    public nint GcHandle;
}
