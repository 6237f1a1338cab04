using System.Runtime.InteropServices;

namespace AceStep.Vst3.Hosting;

/// <summary>
/// Everything one <c>process</c> call needs, in native memory: a main input and output bus with real channel buffers
/// (32- or 64-bit), optionally a second (aux, sidechain) input bus, the <c>ProcessData</c>, a <c>ProcessContext</c> and optional parameter changes. Built once and
/// reused for every block, as a host's audio thread does.
/// </summary>
public sealed unsafe class ProcessBlock : IDisposable
{
    private readonly void** _inputChannels;
    private readonly void** _outputChannels;
    private readonly void** _auxChannels;
    private AudioBusBuffers* _buses;
    private ProcessData* _data;
    private ProcessContext* _context;

    /// <summary>Allocates the buffers (zeroed).</summary>
    /// <param name="sampleSize">32- or 64-bit samples.</param>
    /// <param name="channels">Channels of the input and of the output bus.</param>
    /// <param name="maxSamples">Samples per channel buffer (the setupProcessing maximum).</param>
    /// <param name="inPlace">Whether output channel <c>c</c> is the same memory as input channel <c>c</c>, as hosts may arrange.</param>
    /// <param name="auxChannels">Channels of a second input bus (a sidechain), or 0 for none.</param>
    public ProcessBlock(SymbolicSampleSize sampleSize, int channels, int maxSamples, bool inPlace = false, int auxChannels = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(auxChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxSamples);
        SampleSize = sampleSize;
        Channels = channels;
        MaxSamples = maxSamples;
        InPlace = inPlace;
        nuint bytes = (nuint)maxSamples * (nuint)SampleBytes;
        _inputChannels = (void**)NativeMemory.AllocZeroed((nuint)channels, (nuint)sizeof(void*));
        _outputChannels = (void**)NativeMemory.AllocZeroed((nuint)channels, (nuint)sizeof(void*));
        for (int c = 0; c < channels; c++)
        {
            _inputChannels[c] = NativeMemory.AllocZeroed(bytes);
            _outputChannels[c] = inPlace ? _inputChannels[c] : NativeMemory.AllocZeroed(bytes);
        }

        AuxChannels = auxChannels;
        _auxChannels = (void**)NativeMemory.AllocZeroed((nuint)Math.Max(auxChannels, 1), (nuint)sizeof(void*));
        for (int c = 0; c < auxChannels; c++)
        {
            _auxChannels[c] = NativeMemory.AllocZeroed(bytes);
        }

        // Inputs are contiguous (main, then aux) as ProcessData wants them; the output bus follows.
        _buses = (AudioBusBuffers*)NativeMemory.AllocZeroed(3, (nuint)sizeof(AudioBusBuffers));
        _buses[0] = new AudioBusBuffers { NumChannels = channels, ChannelBuffers = _inputChannels };
        _buses[1] = new AudioBusBuffers { NumChannels = auxChannels, ChannelBuffers = _auxChannels };
        _buses[2] = new AudioBusBuffers { NumChannels = channels, ChannelBuffers = _outputChannels };
        _context = (ProcessContext*)NativeMemory.AllocZeroed((nuint)sizeof(ProcessContext));
        _data = (ProcessData*)NativeMemory.AllocZeroed((nuint)sizeof(ProcessData));
        _data->ProcessMode = ProcessMode.Realtime;
        _data->SymbolicSampleSize = sampleSize;
        _data->NumSamples = maxSamples;
        _data->NumInputs = auxChannels > 0 ? 2 : 1;
        _data->NumOutputs = 1;
        _data->Inputs = &_buses[0];
        _data->Outputs = &_buses[2];
        _data->ProcessContext = _context;
    }

    /// <summary>The sample format of the buffers.</summary>
    public SymbolicSampleSize SampleSize { get; }

    /// <summary>Channels of the main input and the output bus.</summary>
    public int Channels { get; }

    /// <summary>Channels of the aux (sidechain) input bus; 0 when the block has none.</summary>
    public int AuxChannels { get; }

    /// <summary>Capacity of each channel buffer in samples.</summary>
    public int MaxSamples { get; }

    /// <summary>Whether input and output share memory.</summary>
    public bool InPlace { get; }

    /// <summary>The <c>ProcessData*</c> to pass to <c>process</c>.</summary>
    public ProcessData* Data => _data != null ? _data : throw new ObjectDisposedException(nameof(ProcessBlock));

    /// <summary>The context the block carries; fill it before <c>process</c>.</summary>
    public ref ProcessContext Context => ref *_context;

    /// <summary>Samples in the next block (at most <see cref="MaxSamples"/>).</summary>
    public int NumSamples
    {
        get => Data->NumSamples;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaxSamples);
            Data->NumSamples = value;
        }
    }

    /// <summary>Whether the block carries the context (hosts may pass none).</summary>
    public bool HasContext
    {
        get => Data->ProcessContext != null;
        set => Data->ProcessContext = value ? _context : null;
    }

    /// <summary>The input parameter changes, or null for none.</summary>
    public ParameterChanges? InputParameterChanges
    {
        get;
        set
        {
            field = value;
            Data->InputParameterChanges = value is null ? null : (void*)value.NativePointer;
        }
    }

    /// <summary>Where the plug-in reports parameter changes of its own (e.g. a trigger switching itself off), or null.</summary>
    public ParameterChanges? OutputParameterChanges
    {
        get;
        set
        {
            field = value;
            Data->OutputParameterChanges = value is null ? null : (void*)value.NativePointer;
        }
    }

    /// <summary>Silence flags of the input bus (bit c = channel c is silent).</summary>
    public ulong InputSilenceFlags
    {
        get => _buses[0].SilenceFlags;
        set => _buses[0].SilenceFlags = value;
    }

    /// <summary>Silence flags the plugin reported for the output bus.</summary>
    public ulong OutputSilenceFlags
    {
        get => _buses[2].SilenceFlags;
        set => _buses[2].SilenceFlags = value;
    }

    private int SampleBytes => SampleSize == SymbolicSampleSize.Sample64 ? sizeof(double) : sizeof(float);

    /// <summary>Input channel <paramref name="channel"/> as 32-bit samples.</summary>
    /// <param name="channel">Channel index.</param>
    /// <returns>All <see cref="MaxSamples"/> samples.</returns>
    public Span<float> Input32(int channel) => Buffer<float>(_inputChannels, channel, SymbolicSampleSize.Sample32);

    /// <summary>Aux (sidechain) input channel <paramref name="channel"/> as 32-bit samples.</summary>
    /// <param name="channel">Channel index.</param>
    /// <returns>All <see cref="MaxSamples"/> samples.</returns>
    public Span<float> Aux32(int channel)
    {
        return Buffer<float>(_auxChannels, channel, SymbolicSampleSize.Sample32, AuxChannels);
    }

    /// <summary>Output channel <paramref name="channel"/> as 32-bit samples.</summary>
    /// <param name="channel">Channel index.</param>
    /// <returns>All <see cref="MaxSamples"/> samples.</returns>
    public Span<float> Output32(int channel) => Buffer<float>(_outputChannels, channel, SymbolicSampleSize.Sample32);

    /// <summary>Input channel <paramref name="channel"/> as 64-bit samples.</summary>
    /// <param name="channel">Channel index.</param>
    /// <returns>All <see cref="MaxSamples"/> samples.</returns>
    public Span<double> Input64(int channel) => Buffer<double>(_inputChannels, channel, SymbolicSampleSize.Sample64);

    /// <summary>Output channel <paramref name="channel"/> as 64-bit samples.</summary>
    /// <param name="channel">Channel index.</param>
    /// <returns>All <see cref="MaxSamples"/> samples.</returns>
    public Span<double> Output64(int channel) => Buffer<double>(_outputChannels, channel, SymbolicSampleSize.Sample64);

    /// <summary>Frees the native memory.</summary>
    public void Dispose()
    {
        if (_data == null)
        {
            return;
        }

        for (int c = 0; c < Channels; c++)
        {
            NativeMemory.Free(_inputChannels[c]);
            if (!InPlace)
            {
                NativeMemory.Free(_outputChannels[c]);
            }
        }

        for (int c = 0; c < AuxChannels; c++)
        {
            NativeMemory.Free(_auxChannels[c]);
        }

        NativeMemory.Free(_inputChannels);
        NativeMemory.Free(_outputChannels);
        NativeMemory.Free(_auxChannels);
        NativeMemory.Free(_buses);
        NativeMemory.Free(_context);
        NativeMemory.Free(_data);
        _buses = null;
        _context = null;
        _data = null;
    }

    private Span<T> Buffer<T>(void** channels, int channel, SymbolicSampleSize expected, int count = -1)
        where T : unmanaged
    {
        ObjectDisposedException.ThrowIf(_data == null, this);
        if (SampleSize != expected)
        {
            throw new InvalidOperationException($"The block holds {SampleSize} samples.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(channel);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(channel, count < 0 ? Channels : count);
        return new Span<T>(channels[channel], MaxSamples);
    }
}
