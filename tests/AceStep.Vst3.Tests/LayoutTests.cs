using AceStep.Vst3;

namespace AceStep.Vst3.Tests;

/// <summary>Sizes and offsets against the table in shared/spec/vst3-abi.md §1.2 (printed from the real headers).</summary>
public unsafe class LayoutTests
{
    private static int Offset(void* start, void* field) => (int)((byte*)field - (byte*)start);

    [Fact]
    public void Sizes_match_the_sdk()
    {
        Assert.Equal(16, sizeof(Tuid));
        Assert.Equal(452, sizeof(PFactoryInfo));
        Assert.Equal(116, sizeof(PClassInfo));
        Assert.Equal(440, sizeof(PClassInfo2));
        Assert.Equal(696, sizeof(PClassInfoW));
        Assert.Equal(276, sizeof(BusInfo));
        Assert.Equal(12, sizeof(RoutingInfo));
        Assert.Equal(24, sizeof(ProcessSetup));
        Assert.Equal(24, sizeof(AudioBusBuffers));
        Assert.Equal(80, sizeof(ProcessData));
        Assert.Equal(112, sizeof(ProcessContext));
        Assert.Equal(792, sizeof(ParameterInfo));
        Assert.Equal(16, sizeof(ViewRect));
        Assert.Equal(4, sizeof(Chord));
        Assert.Equal(8, sizeof(FrameRate));
        Assert.Equal(16, sizeof(NativeInterfaceSlot));
        Assert.Equal(256, sizeof(String128));
    }

    [Fact]
    public void PFactoryInfo_offsets()
    {
        var s = default(PFactoryInfo);
        Assert.Equal(0, Offset(&s, &s.Vendor));
        Assert.Equal(64, Offset(&s, &s.Url));
        Assert.Equal(320, Offset(&s, &s.Email));
        Assert.Equal(448, Offset(&s, &s.Flags));
    }

    [Fact]
    public void PClassInfo_offsets()
    {
        var s = default(PClassInfo);
        Assert.Equal(0, Offset(&s, &s.Cid));
        Assert.Equal(16, Offset(&s, &s.Cardinality));
        Assert.Equal(20, Offset(&s, &s.Category));
        Assert.Equal(52, Offset(&s, &s.Name));
    }

    [Fact]
    public void PClassInfo2_offsets()
    {
        var s = default(PClassInfo2);
        Assert.Equal(16, Offset(&s, &s.Cardinality));
        Assert.Equal(20, Offset(&s, &s.Category));
        Assert.Equal(52, Offset(&s, &s.Name));
        Assert.Equal(116, Offset(&s, &s.ClassFlags));
        Assert.Equal(120, Offset(&s, &s.SubCategories));
        Assert.Equal(248, Offset(&s, &s.Vendor));
        Assert.Equal(312, Offset(&s, &s.Version));
        Assert.Equal(376, Offset(&s, &s.SdkVersion));
    }

    [Fact]
    public void PClassInfoW_offsets()
    {
        var s = default(PClassInfoW);
        Assert.Equal(16, Offset(&s, &s.Cardinality));
        Assert.Equal(20, Offset(&s, &s.Category));
        Assert.Equal(52, Offset(&s, &s.Name));
        Assert.Equal(180, Offset(&s, &s.ClassFlags));
        Assert.Equal(184, Offset(&s, &s.SubCategories));
        Assert.Equal(312, Offset(&s, &s.Vendor));
        Assert.Equal(440, Offset(&s, &s.Version));
        Assert.Equal(568, Offset(&s, &s.SdkVersion));
    }

    [Fact]
    public void BusInfo_offsets()
    {
        var s = default(BusInfo);
        Assert.Equal(4, Offset(&s, &s.Direction));
        Assert.Equal(8, Offset(&s, &s.ChannelCount));
        Assert.Equal(12, Offset(&s, &s.Name));
        Assert.Equal(268, Offset(&s, &s.BusType));
        Assert.Equal(272, Offset(&s, &s.Flags));
    }

    [Fact]
    public void ProcessSetup_and_AudioBusBuffers_offsets()
    {
        var setup = default(ProcessSetup);
        Assert.Equal(8, Offset(&setup, &setup.MaxSamplesPerBlock));
        Assert.Equal(16, Offset(&setup, &setup.SampleRate));
        var buffers = default(AudioBusBuffers);
        Assert.Equal(8, Offset(&buffers, &buffers.SilenceFlags));
        Assert.Equal(16, Offset(&buffers, &buffers.ChannelBuffers));
    }

    [Fact]
    public void ProcessData_offsets()
    {
        var s = default(ProcessData);
        Assert.Equal(8, Offset(&s, &s.NumSamples));
        Assert.Equal(12, Offset(&s, &s.NumInputs));
        Assert.Equal(16, Offset(&s, &s.NumOutputs));
        Assert.Equal(24, Offset(&s, &s.Inputs));
        Assert.Equal(32, Offset(&s, &s.Outputs));
        Assert.Equal(40, Offset(&s, &s.InputParameterChanges));
        Assert.Equal(48, Offset(&s, &s.OutputParameterChanges));
        Assert.Equal(56, Offset(&s, &s.InputEvents));
        Assert.Equal(64, Offset(&s, &s.OutputEvents));
        Assert.Equal(72, Offset(&s, &s.ProcessContext));
    }

    [Fact]
    public void ProcessContext_offsets()
    {
        var s = default(ProcessContext);
        Assert.Equal(8, Offset(&s, &s.SampleRate));
        Assert.Equal(16, Offset(&s, &s.ProjectTimeSamples));
        Assert.Equal(24, Offset(&s, &s.SystemTime));
        Assert.Equal(32, Offset(&s, &s.ContinousTimeSamples));
        Assert.Equal(40, Offset(&s, &s.ProjectTimeMusic));
        Assert.Equal(48, Offset(&s, &s.BarPositionMusic));
        Assert.Equal(56, Offset(&s, &s.CycleStartMusic));
        Assert.Equal(64, Offset(&s, &s.CycleEndMusic));
        Assert.Equal(72, Offset(&s, &s.Tempo));
        Assert.Equal(80, Offset(&s, &s.TimeSigNumerator));
        Assert.Equal(84, Offset(&s, &s.TimeSigDenominator));
        Assert.Equal(88, Offset(&s, &s.Chord));
        Assert.Equal(92, Offset(&s, &s.SmpteOffsetSubframes));
        Assert.Equal(96, Offset(&s, &s.FrameRate));
        Assert.Equal(104, Offset(&s, &s.SamplesToNextClock));
    }

    [Fact]
    public void ParameterInfo_offsets()
    {
        var s = default(ParameterInfo);
        Assert.Equal(4, Offset(&s, &s.Title));
        Assert.Equal(260, Offset(&s, &s.ShortTitle));
        Assert.Equal(516, Offset(&s, &s.Units));
        Assert.Equal(772, Offset(&s, &s.StepCount));
        Assert.Equal(776, Offset(&s, &s.DefaultNormalizedValue));
        Assert.Equal(784, Offset(&s, &s.UnitId));
        Assert.Equal(788, Offset(&s, &s.Flags));
    }

    [Fact]
    public void Flag_values_match_the_headers()
    {
        Assert.Equal(16, (int)FactoryFlags.Unicode);
        Assert.Equal(1u, (uint)ComponentFlags.Distributable);
        Assert.Equal(0x7FFFFFFF, ClassCardinality.ManyInstances);
        Assert.Equal(1u << 16, (uint)ParameterFlags.IsBypass);
        Assert.Equal(0x2EF02u, (uint)(ProcessContextState.Playing | ProcessContextState.SystemTimeValid
            | ProcessContextState.ProjectTimeMusicValid | ProcessContextState.TempoValid | ProcessContextState.BarPositionValid
            | ProcessContextState.TimeSigValid | ProcessContextState.SmpteValid | ProcessContextState.ClockValid
            | ProcessContextState.ContTimeValid));
        Assert.Equal(1024u, (uint)ProcessContextRequirements.NeedTransportState);
        Assert.Equal("Audio Module Class", ClassCategories.AudioEffect);
        Assert.Equal("Component Controller Class", ClassCategories.ComponentController);
    }

    [Fact]
    public void Vtable_slots_extend_their_bases()
    {
        Assert.Equal(FUnknownSlots.Count, PluginFactorySlots.GetFactoryInfo);
        Assert.Equal(PluginFactorySlots.Count, PluginFactorySlots.GetClassInfo2);
        Assert.Equal(PluginFactorySlots.Count2, PluginFactorySlots.GetClassInfoUnicode);
        Assert.Equal(9, PluginFactorySlots.SetHostContext);
        Assert.Equal(PluginBaseSlots.Count, ComponentSlots.GetControllerClassId);
        Assert.Equal(13, ComponentSlots.GetState);
        Assert.Equal(9, AudioProcessorSlots.Process);
        Assert.Equal(PluginBaseSlots.Count, EditControllerSlots.SetComponentState);
        Assert.Equal(17, EditControllerSlots.CreateView);
    }
}
