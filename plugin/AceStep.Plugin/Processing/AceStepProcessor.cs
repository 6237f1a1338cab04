using AceStep.Plugin.Interop;
using AceStep.Plugin.Parameters;
using AceStep.Plugin.State;
using AceStep.Vst3;

namespace AceStep.Plugin.Processing;

/// <summary>
/// The audio component: <c>IComponent</c>, <c>IAudioProcessor</c>, <c>IProcessContextRequirements</c> and
/// <c>IConnectionPoint</c>, one interface pointer each. One stereo (or mono) main bus in and out. Until a take is
/// playing (capture, engine round trip and playback come later) the audio passes through bit for bit, bypassed or not.
/// </summary>
/// <remarks>
/// Threads: <see cref="Process"/> runs on the host's audio thread and never allocates, locks or blocks; everything
/// else comes from the host's UI/main thread. Parameter values are doubles written whole (atomic on 64-bit), so
/// getState on the UI thread sees each value either before or after a block, never torn.
/// </remarks>
internal sealed unsafe class AceStepProcessor : ComObject, IConnectionPointOwner
{
    /// <summary>Slot indices of the interface pointers.</summary>
    public const int ComponentSlot = 0;
    public const int AudioProcessorSlot = 1;
    public const int ContextRequirementsSlot = 2;
    public const int ConnectionPointSlot = 3;

    /// <summary>What the processor asks hosts to fill in the ProcessContext: where the audio is on the timeline and in music.</summary>
    public const ProcessContextRequirements ContextRequirements =
        ProcessContextRequirements.NeedProjectTimeMusic
        | ProcessContextRequirements.NeedBarPositionMusic
        | ProcessContextRequirements.NeedCycleMusic
        | ProcessContextRequirements.NeedTempo
        | ProcessContextRequirements.NeedTimeSignature
        | ProcessContextRequirements.NeedTransportState;

    private readonly HostContext _host = new();
    private readonly double[] _normalized = PluginStateSnapshot.Default().Normalized;
    private string _prompt = "";
    private string _lyrics = "";
    private ulong _inputArrangement = SpeakerArrangements.Stereo;
    private ulong _outputArrangement = SpeakerArrangements.Stereo;
    private bool _active;
    private ProcessSetup _setup;
    private ProcessContext _lastContext;

    public AceStepProcessor()
        : base([ProcessorVtables.Component, ProcessorVtables.AudioProcessor, ProcessorVtables.ContextRequirements, ConnectionPointVtable.Vtable])
    {
    }

    public PeerConnection Connection { get; } = new();

    /// <summary>The host's name from initialize (REAPER-specific behaviour keys off it later).</summary>
    public string? HostName => _host.HostName;

    /// <summary>The last block's ProcessContext, copied in place; where capture will read tempo and position.</summary>
    public ref readonly ProcessContext LastContext => ref _lastContext;

    /// <summary>The sample rate and block size from setupProcessing.</summary>
    public ref readonly ProcessSetup Setup => ref _setup;

    public bool Initialize(void* context) => _host.Initialize(context);

    public bool Terminate()
    {
        Connection.Clear();
        return _host.Terminate();
    }

    public static int GetBusCount(MediaType type, BusDirection direction) =>
        type == MediaType.Audio && direction is BusDirection.Input or BusDirection.Output ? 1 : 0;

    public bool TryGetBusInfo(MediaType type, BusDirection direction, int index, BusInfo* info)
    {
        if (index != 0 || GetBusCount(type, direction) == 0)
        {
            return false;
        }

        *info = default;
        info->MediaType = MediaType.Audio;
        info->Direction = direction;
        info->ChannelCount = ChannelCount(direction == BusDirection.Input ? _inputArrangement : _outputArrangement);
        info->Name.Set(direction == BusDirection.Input ? "Input" : "Output");
        info->BusType = BusType.Main;
        info->Flags = BusFlags.DefaultActive;
        return true;
    }

    public static bool IsValidBus(MediaType type, BusDirection direction, int index) => index == 0 && GetBusCount(type, direction) == 1;

    public void SetActive(bool active)
    {
        // Capture buffers will be sized here from Setup (sample rate × bounded seconds) before the audio thread runs;
        // pass-through needs nothing.
        _active = active;
    }

    /// <summary>Accepts mono→mono or stereo→stereo on the one bus each way; anything else keeps the current layout.</summary>
    public bool SetBusArrangements(ulong* inputs, int inputCount, ulong* outputs, int outputCount)
    {
        if (_active || inputCount != 1 || outputCount != 1 || inputs == null || outputs == null)
        {
            return false;
        }

        ulong input = inputs[0];
        ulong output = outputs[0];
        if (input != output || input is not (SpeakerArrangements.Mono or SpeakerArrangements.Stereo))
        {
            return false;
        }

        _inputArrangement = input;
        _outputArrangement = output;
        return true;
    }

    public bool TryGetBusArrangement(BusDirection direction, int index, out ulong arrangement)
    {
        arrangement = direction == BusDirection.Input ? _inputArrangement : _outputArrangement;
        return index == 0 && direction is BusDirection.Input or BusDirection.Output;
    }

    public static bool CanProcessSampleSize(int size) => size is (int)SymbolicSampleSize.Sample32 or (int)SymbolicSampleSize.Sample64;

    public bool SetupProcessing(ProcessSetup* setup)
    {
        if (_active
            || setup->MaxSamplesPerBlock <= 0
            || !(setup->SampleRate > 0)
            || !CanProcessSampleSize((int)setup->SymbolicSampleSize))
        {
            return false;
        }

        _setup = *setup;
        return true;
    }

    /// <summary>One block: parameter changes, context, audio. Allocation-free.</summary>
    public int Process(ProcessData* data)
    {
        if (data->InputParameterChanges != null)
        {
            ApplyParameterChanges(data->InputParameterChanges);
        }

        if (data->ProcessContext != null)
        {
            _lastContext = *data->ProcessContext;
        }

        // Hosts flush parameter changes with a block of zero samples and no buffers.
        if (data->NumSamples <= 0 || data->NumOutputs <= 0 || data->Outputs == null)
        {
            return Vst3Result.Ok;
        }

        if (!CanProcessSampleSize((int)data->SymbolicSampleSize))
        {
            return Vst3Result.InvalidArgument;
        }

        // The seam for playback: once a take is active (and bypass is off) its audio replaces the input over the
        // take's range. There are no takes yet, so both paths are the untouched input.
        AudioPassThrough.Process(data);
        return Vst3Result.Ok;
    }

    public PluginStateSnapshot Snapshot() => new([.. _normalized], _prompt, _lyrics);

    public void Apply(PluginStateSnapshot state)
    {
        state.Normalized.CopyTo(_normalized, 0);
        _prompt = state.Prompt;
        _lyrics = state.Lyrics;
    }

    protected override int SlotFor(in Tuid iid) =>
        iid == Iids.IComponent.Tuid || iid == Iids.IPluginBase.Tuid ? ComponentSlot
        : iid == Iids.IAudioProcessor.Tuid ? AudioProcessorSlot
        : iid == Iids.IProcessContextRequirements.Tuid ? ContextRequirementsSlot
        : iid == Iids.IConnectionPoint.Tuid ? ConnectionPointSlot
        : -1;

    protected override void OnDestroy() => Terminate();

    private void ApplyParameterChanges(void* changes)
    {
        int count = HostParameterChanges.Count(changes);
        for (int i = 0; i < count; i++)
        {
            void* queue = HostParameterChanges.Queue(changes, i);
            if (queue == null)
            {
                continue;
            }

            uint id = HostParameterChanges.ParameterId(queue);
            // Sample accuracy is not needed for any of these settings: the block's last value wins.
            if (PluginParameters.Find(id) is not null && HostParameterChanges.TryGetLast(queue, out double value))
            {
                _normalized[id] = double.IsNaN(value) ? _normalized[id] : Math.Clamp(value, 0, 1);
            }
        }
    }

    private static int ChannelCount(ulong arrangement) => System.Numerics.BitOperations.PopCount(arrangement);
}
