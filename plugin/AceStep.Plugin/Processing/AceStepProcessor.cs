using AceStep.Plugin.Capture;
using AceStep.Plugin.Interop;
using AceStep.Plugin.Parameters;
using AceStep.Plugin.Playback;
using AceStep.Plugin.Session;
using AceStep.Plugin.Session.Reaper;
using AceStep.Plugin.State;
using AceStep.Plugin.Timeline;
using AceStep.Vst3;

namespace AceStep.Plugin.Processing;

/// <summary>
/// The audio component: <c>IComponent</c>, <c>IAudioProcessor</c>, <c>IProcessContextRequirements</c> and
/// <c>IConnectionPoint</c>, one interface pointer each. One stereo (or mono) main bus in and out, and a sidechain
/// (aux) input bus, inactive until the host activates it. Each rolling block's input — the sidechain's while it is
/// active, else the main input's — is recorded into the <see cref="Capture"/> at its project position, its musical position is published to other
/// threads (<see cref="Transport"/>), and the active take (handed over through <see cref="Takes"/>) replaces the input
/// over its range; everywhere else the audio passes through bit for bit.
/// </summary>
/// <remarks>
/// Threads: <see cref="Process"/> runs on the host's audio thread and never allocates, locks or blocks; everything
/// else comes from the host's UI/main thread. Parameter values are doubles written whole (atomic on 64-bit), so
/// getState on the UI thread sees each value either before or after a block, never torn.
/// </remarks>
internal sealed unsafe class AceStepProcessor : ComObject, IConnectionPointOwner, IStateHolder
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
    private TextSettings _texts = TextSettings.Default;
    private Guid _instanceId = Guid.NewGuid();
    private long _generateTriggers;
    private long _openPageTriggers;
    private long _triggerHoldFrames;
    private readonly double[] _hostTriggerValues = new double[PluginParameters.Count];
    private ReaperLink? _reaper;
    private ulong _inputArrangement = SpeakerArrangements.Stereo;
    private ulong _outputArrangement = SpeakerArrangements.Stereo;
    private ulong _sidechainArrangement = SpeakerArrangements.Stereo;

    // Set by activateBus (main thread, while inactive); read by process(). The capture follows it: a plugin on an
    // empty track with the mix routed to its sidechain hears the mix as its context.
    private bool _sidechainActive;
    private bool _active;
    private ProcessSetup _setup;
    private ProcessContext _lastContext;
    private readonly PlayheadGuard _playhead = new();
    private long _blocks;
    private long _untrustedBlocks;
    private Controller.TrackInfo? _track;

    public AceStepProcessor()
        : base([ProcessorVtables.Component, ProcessorVtables.AudioProcessor, ProcessorVtables.ContextRequirements, ConnectionPointVtable.Vtable])
    {
        ProcessorDirectory.Register(this);
        Library = new TakeLibrary(Takes);
        Runtime = new InstanceRuntime(this);
    }

    /// <summary>
    /// How long after an activation a trigger's rising edge is not a press: loading a project, hosts restore automatable
    /// parameters by queueing them into the first blocks (Ardour sends an older project's saved "Generate On" that way),
    /// and a switch that fired from a loaded project would start a take nobody asked for. Not after setState: a state
    /// always holds the triggers Off (they are never restored On), and a producer may press Generate right after
    /// loading a preset.
    /// </summary>
    public const double TriggerHoldSeconds = 0.5;

    /// <summary>The id carried by the last state the host gave, and when (its controller's state follows it).</summary>
    public (Guid Id, long Sequence) LastState { get; private set; }

    private static long s_stateSequence;

    /// <summary>The instance's id: the secret part of its control page address, kept in the state (version 3).</summary>
    public Guid InstanceId => _instanceId;

    /// <summary>The takes the project lists and which are loaded into <see cref="Takes"/>.</summary>
    public TakeLibrary Library { get; }

    /// <summary>The worker loop: takes, files, the control page.</summary>
    public InstanceRuntime Runtime { get; }

    /// <summary>REAPER's host extension when the host is REAPER (queried at initialize), else null.</summary>
    public ReaperLink? Reaper => Volatile.Read(ref _reaper);

    /// <summary>The prompt, lyrics, language and BPM override, swapped whole (main thread and worker).</summary>
    public TextSettings Texts
    {
        get => Volatile.Read(ref _texts);
        set => Volatile.Write(ref _texts, value);
    }

    /// <summary>Rising edges of the Generate parameter seen by process() (the worker compares it with what it handled).</summary>
    public long GenerateTriggers => Volatile.Read(ref _generateTriggers);

    /// <summary>Rising edges of the Open Control Page parameter seen by process().</summary>
    public long OpenPageTriggers => Volatile.Read(ref _openPageTriggers);

    /// <summary>
    /// Parameter values the worker set from the control page, waiting for the controller to tell the host (it does so on
    /// the host's main thread, where IComponentHandler must be called).
    /// </summary>
    public System.Collections.Concurrent.ConcurrentQueue<(ParameterId Id, double Normalized)> HostEdits { get; } = new();

    /// <summary>Sets a parameter from the worker: the processor uses it at once, and the controller forwards it to the host.</summary>
    public void SetParameterFromWorker(ParameterId id, double normalized)
    {
        normalized = Math.Clamp(normalized, 0, 1);
        Volatile.Write(ref _normalized[(int)id], normalized);
        HostEdits.Enqueue((id, normalized));
        // Without a directly connected controller nobody drains the queue: keep only the latest edits.
        while (HostEdits.Count > 256 && HostEdits.TryDequeue(out _))
        {
        }
    }

    public PeerConnection Connection { get; } = new();

    /// <summary>The track the host says the instance is on (from the controller's IInfoListener), or null.</summary>
    public Controller.TrackInfo? Track
    {
        get => Volatile.Read(ref _track);
        set
        {
            Volatile.Write(ref _track, value);
            Runtime.Wake();
        }
    }

    /// <summary>The host's name from initialize (REAPER-specific behaviour keys off it later).</summary>
    public string? HostName => _host.HostName;

    /// <summary>The last block's ProcessContext, copied in place; where capture will read tempo and position.</summary>
    public ref readonly ProcessContext LastContext => ref _lastContext;

    /// <summary>The sample rate and block size from setupProcessing.</summary>
    public ref readonly ProcessSetup Setup => ref _setup;

    /// <summary>What played through the plugin, by project position (read with <see cref="CaptureReader"/>).</summary>
    public TimelineCapture Capture { get; } = new();

    /// <summary>The latest block's musical position, for threads other than the audio thread.</summary>
    public TransportPublisher Transport { get; } = new();

    /// <summary>The takes and which one plays.</summary>
    public TakeSlots Takes { get; } = new();

    /// <summary>Blocks whose position jumped where no loop wraps: passed through, neither recorded nor played over.</summary>
    public long UntrustedBlocks => Volatile.Read(ref _untrustedBlocks);

    /// <summary>Blocks processed (with audio) so far; a worker that retires a take may wait for it to advance.</summary>
    public long BlocksProcessed => Volatile.Read(ref _blocks);

    /// <summary>The plain value of a parameter (any thread; each value is written whole).</summary>
    public double Plain(ParameterId id) => PluginParameters.All[(int)id].ToPlain(Volatile.Read(ref _normalized[(int)id]));

    /// <summary>
    /// The range a job would cover now: REAPER's time selection (as the worker last read it), else the host's cycle,
    /// else Start Bar and Length (any thread but audio).
    /// </summary>
    public JobRange ResolveJobRange()
    {
        bool haveTransport = Transport.TryRead(out var transport);
        if (Reaper?.Selection is { } selection && _setup.SampleRate > 0)
        {
            return JobRange.FromSeconds(selection.Start, selection.End, _setup.SampleRate, haveTransport ? transport : default);
        }

        return haveTransport
            ? JobRange.Resolve(transport, (int)Plain(ParameterId.StartBar), (int)Plain(ParameterId.LengthBars))
            : default;
    }

    public bool Initialize(void* context)
    {
        if (!_host.Initialize(context))
        {
            return false;
        }

        Volatile.Write(ref _reaper, ReaperLink.TryCreate(context));
        return true;
    }

    public bool Terminate()
    {
        Runtime.Stop();
        Interlocked.Exchange(ref _reaper, null)?.Dispose();
        Connection.Clear();
        // The capture is the instance's largest allocation; a terminated instance will not record again.
        Capture.Clear();
        // terminate returns the component to its created state; a host that did not deactivate first must still be
        // able to initialize and set it up again.
        _active = false;
        return _host.Terminate();
    }

    /// <summary>Index of the sidechain among the audio input buses.</summary>
    public const int SidechainBus = 1;

    /// <summary>Two audio inputs (main, sidechain) and one output; no event buses.</summary>
    public static int GetBusCount(MediaType type, BusDirection direction) => (type, direction) switch
    {
        (MediaType.Audio, BusDirection.Input) => 2,
        (MediaType.Audio, BusDirection.Output) => 1,
        _ => 0,
    };

    public bool TryGetBusInfo(MediaType type, BusDirection direction, int index, BusInfo* info)
    {
        if (!IsValidBus(type, direction, index))
        {
            return false;
        }

        bool sidechain = direction == BusDirection.Input && index == SidechainBus;
        *info = default;
        info->MediaType = MediaType.Audio;
        info->Direction = direction;
        info->ChannelCount = ChannelCount(sidechain ? _sidechainArrangement : direction == BusDirection.Input ? _inputArrangement : _outputArrangement);
        info->Name.Set(sidechain ? "Sidechain" : direction == BusDirection.Input ? "Input" : "Output");
        // A sidechain is an aux bus that starts inactive: hosts show it as a sidechain input and activate it when
        // something is routed to it.
        info->BusType = sidechain ? BusType.Aux : BusType.Main;
        info->Flags = sidechain ? BusFlags.None : BusFlags.DefaultActive;
        return true;
    }

    public static bool IsValidBus(MediaType type, BusDirection direction, int index) =>
        index >= 0 && index < GetBusCount(type, direction);

    /// <summary>activateBus: only the sidechain's state matters (the main buses are always used).</summary>
    public bool ActivateBus(MediaType type, BusDirection direction, int index, bool state)
    {
        if (!IsValidBus(type, direction, index))
        {
            return false;
        }

        if (direction == BusDirection.Input && index == SidechainBus)
        {
            Volatile.Write(ref _sidechainActive, state);
        }

        return true;
    }

    /// <summary>Whether the sidechain bus is active (its audio is what the capture records).</summary>
    public bool SidechainActive => Volatile.Read(ref _sidechainActive);

    public void SetActive(bool active)
    {
        if (active && _setup.SampleRate > 0)
        {
            // Everything the audio thread writes is allocated here, before it runs.
            try
            {
                Capture.Prepare(_setup.SampleRate, ChannelCount(SidechainActive ? _sidechainArrangement : _inputArrangement), CaptureOptions.Seconds);
            }
            catch (OutOfMemoryException)
            {
                // A failed activation would leave the host with a dead instance; without a capture the plugin still
                // passes audio through and plays takes, and a repaint says the range was not recorded.
                Capture.Clear();
            }
        }

        if (active)
        {
            HoldTriggers();
        }

        // setActive runs on the host's main thread: a chance to make REAPER inserts the timer has not made yet.
        Reaper?.RunPendingInserts();
        if (active && _host.IsInitialized)
        {
            // The worker lives from the first activation to terminate; starting it again is a no-op.
            Runtime.Start();
        }

        _active = active;
    }

    /// <summary>
    /// Accepts mono→mono or stereo→stereo on the main buses, with or without a mono or stereo sidechain; anything
    /// else keeps the current layout.
    /// </summary>
    public bool SetBusArrangements(ulong* inputs, int inputCount, ulong* outputs, int outputCount)
    {
        if (_active || inputCount is not (1 or 2) || outputCount != 1 || inputs == null || outputs == null)
        {
            return false;
        }

        ulong input = inputs[0];
        ulong output = outputs[0];
        ulong sidechain = inputCount == 2 ? inputs[1] : _sidechainArrangement;
        if (input != output || input is not (SpeakerArrangements.Mono or SpeakerArrangements.Stereo)
            || sidechain is not (SpeakerArrangements.Mono or SpeakerArrangements.Stereo))
        {
            return false;
        }

        _inputArrangement = input;
        _outputArrangement = output;
        _sidechainArrangement = sidechain;
        return true;
    }

    public bool TryGetBusArrangement(BusDirection direction, int index, out ulong arrangement)
    {
        arrangement = direction == BusDirection.Input
            ? index == SidechainBus ? _sidechainArrangement : _inputArrangement
            : _outputArrangement;
        return index >= 0 && index < GetBusCount(MediaType.Audio, direction);
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

        if (setup->SampleRate != _setup.SampleRate)
        {
            // Positions recorded at another rate mean other times: the capture starts over (reallocated on activation).
            Capture.Clear();
        }

        _setup = *setup;
        return true;
    }

    /// <summary>One block: parameter changes, context, audio. Allocation-free.</summary>
    public int Process(ProcessData* data)
    {
        if (data->InputParameterChanges != null)
        {
            ApplyParameterChanges(data->InputParameterChanges, data->OutputParameterChanges);
        }

        long hold = Volatile.Read(ref _triggerHoldFrames);
        if (hold > 0)
        {
            Volatile.Write(ref _triggerHoldFrames, Math.Max(0, hold - Math.Max(data->NumSamples, 0)));
        }

        ProcessContext* context = data->ProcessContext;
        // Rolling means the position advances with the audio: the transport plays, or the host renders offline (hosts
        // differ on whether an export sets kPlaying). A stopped transport repeats one position, so it is neither
        // recorded nor played over.
        bool rolling = context != null
            && ((context->State & ProcessContextState.Playing) != 0 || data->ProcessMode == ProcessMode.Offline);
        bool trusted = false;
        if (context != null)
        {
            _lastContext = *context;
            var snapshot = TransportSnapshot.From(*context, _setup.SampleRate, data->ProcessMode, _blocks);
            bool audio = data->NumSamples > 0 && data->NumOutputs > 0 && data->Outputs != null;
            trusted = _playhead.Advance(ref snapshot, rolling, audio ? data->NumSamples : 0);
            Transport.Publish(snapshot);
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

        // A block whose position jumped where no loop wraps is played as it comes in, neither recorded nor rendered
        // over (PlayheadGuard): a wrong position must never put audio at a wrong place.
        if (rolling && !trusted)
        {
            Volatile.Write(ref _untrustedBlocks, _untrustedBlocks + 1);
        }

        rolling &= trusted;
        if (rolling)
        {
            // The input is recorded before the output is written: in place, they are the same memory.
            // From the sidechain while the host has it active and hands its buffers over.
            int source = _sidechainActive && data->NumInputs > SidechainBus ? SidechainBus : 0;
            Capture.Write(context->ProjectTimeSamples, data, source);
        }

        AudioPassThrough.Process(data);
        if (rolling && _normalized[(int)ParameterId.Bypass] < 0.5 && _normalized[(int)ParameterId.Listen] >= 0.5
            && Takes.Active is { } take && take.SampleRate == _setup.SampleRate)
        {
            TakeRenderer.Render(take, context->ProjectTimeSamples, data);
        }

        Volatile.Write(ref _blocks, _blocks + 1);
        return Vst3Result.Ok;
    }

    /// <summary>Take messages (<see cref="TakeMessages"/>); anything else is not understood.</summary>
    public int Notify(void* message) => TakeMessages.Handle(message, Takes);

    public PluginStateSnapshot Snapshot()
    {
        Diagnostics.ContextTrace.StateSaving(this);
        return CurrentState();
    }

    /// <summary>What <see cref="Snapshot"/> saves, without the trace of a save (the controller reads it too).</summary>
    public PluginStateSnapshot CurrentState()
    {
        var texts = Texts;
        var (takes, active) = Library.Saved();
        double[] normalized = [.. _normalized];
        PluginParameters.ResetTriggers(normalized);
        return new PluginStateSnapshot(normalized, texts.Prompt, texts.Lyrics)
        {
            InstanceId = _instanceId,
            Language = texts.Language,
            Bpm = texts.Bpm,
            Takes = takes,
            ActiveTakeId = active,
            TrackClasses = texts.TrackClasses,
        };
    }

    /// <summary>
    /// Takes a state from the host. The settings always apply (triggers stay Off: a saved switch never fires). The id
    /// and the takes apply only to the instance's own project state: a preset (as the host marks it), or a state whose
    /// id another live instance holds (a preset from it, a duplicated track), brings settings only, so two tracks never
    /// share a control page or a take list.
    /// </summary>
    public void Apply(PluginStateSnapshot state, StateOrigin origin)
    {
        state.Normalized.CopyTo(_normalized, 0);
        PluginParameters.ResetTriggers(_normalized);
        Texts = new TextSettings(state.Prompt, state.Lyrics, state.Language, state.Bpm) { TrackClasses = state.TrackClasses };
        bool copy = origin == StateOrigin.Preset
            || (state.InstanceId != Guid.Empty && ProcessorDirectory.HeldByAnother(state.InstanceId, this));
        LastState = (state.InstanceId, Interlocked.Increment(ref s_stateSequence));
        // A state older than version 3 has no id: the instance keeps its own (and its control page address).
        if (!copy && state.InstanceId != Guid.Empty)
        {
            _instanceId = state.InstanceId;
        }

        if (!copy)
        {
            Library.Restore(state.Takes, state.ActiveTakeId);
            Library.LoadActive();
        }

        Runtime.Wake();
        Diagnostics.ContextTrace.StateApplied(this, state);
    }

    /// <summary>Ignores trigger edges for <see cref="TriggerHoldSeconds"/> of processed audio from now.</summary>
    private void HoldTriggers()
    {
        double rate = _setup.SampleRate > 0 ? _setup.SampleRate : 48_000;
        Volatile.Write(ref _triggerHoldFrames, (long)(TriggerHoldSeconds * rate));
    }

    protected override int SlotFor(in Tuid iid) =>
        iid == Iids.IComponent.Tuid || iid == Iids.IPluginBase.Tuid ? ComponentSlot
        : iid == Iids.IAudioProcessor.Tuid ? AudioProcessorSlot
        : iid == Iids.IProcessContextRequirements.Tuid ? ContextRequirementsSlot
        : iid == Iids.IConnectionPoint.Tuid ? ConnectionPointSlot
        : -1;

    protected override void OnDestroy()
    {
        ProcessorDirectory.Unregister(this);
        Terminate();
    }

    private void ApplyParameterChanges(void* changes, void* output)
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
            if (PluginParameters.Find(id) is not null && HostParameterChanges.TryGetLast(queue, out double value) && !double.IsNaN(value))
            {
                double next = Math.Clamp(value, 0, 1);
                if (PluginParameters.IsTrigger((ParameterId)id))
                {
                    OnTrigger((ParameterId)id, next, output);
                    continue;
                }

                _normalized[id] = next;
            }
        }
    }

    /// <summary>
    /// A trigger is a momentary switch: Off → On counts one press (unless it arrives while restoring) and the switch goes back
    /// to Off at once, here and, through the block's output changes, in the host, so that its saved value is Off. The
    /// worker notices the counter change (no signal, no lock here).
    /// </summary>
    private void OnTrigger(ParameterId id, double value, void* output)
    {
        // Edges are taken from the host's own values: an automation lane that holds On presses once, not every block.
        double previous = _hostTriggerValues[(int)id];
        _hostTriggerValues[(int)id] = value;
        _normalized[(int)id] = 0;
        if (value < 0.5 || previous >= 0.5)
        {
            return;
        }

        if (Volatile.Read(ref _triggerHoldFrames) <= 0)
        {
            if (id == ParameterId.Generate)
            {
                Volatile.Write(ref _generateTriggers, _generateTriggers + 1);
            }
            else if (id == ParameterId.OpenPage)
            {
                Volatile.Write(ref _openPageTriggers, _openPageTriggers + 1);
            }
        }

        // Told the host it is Off again: its next On is a new press, whether or not it echoes the Off back.
        if (output != null && HostParameterChanges.TryReport(output, (uint)id, 0, 0))
        {
            _hostTriggerValues[(int)id] = 0;
        }
    }

    private static int ChannelCount(ulong arrangement) => System.Numerics.BitOperations.PopCount(arrangement);
}
