using AceStep.Vst3;

namespace AceStep.Plugin.Processing;

/// <summary>Copies each input channel to the matching output channel, bit for bit; allocation-free.</summary>
internal static unsafe class AudioPassThrough
{
    /// <summary>
    /// Output bus <c>b</c> channel <c>c</c> gets input bus <c>b</c> channel <c>c</c> (nothing to do when the host
    /// processes in place, i.e. both point at the same memory); output channels without an input are cleared and
    /// flagged silent. Input silence flags carry over.
    /// </summary>
    public static void Process(ProcessData* data)
    {
        int sampleBytes = data->SymbolicSampleSize == SymbolicSampleSize.Sample64 ? sizeof(double) : sizeof(float);
        long blockBytes = (long)data->NumSamples * sampleBytes;
        for (int bus = 0; bus < data->NumOutputs; bus++)
        {
            AudioBusBuffers* output = &data->Outputs[bus];
            AudioBusBuffers* input = bus < data->NumInputs && data->Inputs != null ? &data->Inputs[bus] : null;
            ulong silence = 0;
            for (int channel = 0; channel < output->NumChannels; channel++)
            {
                void* destination = output->ChannelBuffers == null ? null : output->ChannelBuffers[channel];
                if (destination == null)
                {
                    continue;
                }

                void* source = input != null && input->ChannelBuffers != null && channel < input->NumChannels
                    ? input->ChannelBuffers[channel]
                    : null;
                if (source == null)
                {
                    new Span<byte>(destination, checked((int)blockBytes)).Clear();
                    silence |= channel < 64 ? 1UL << channel : 0;
                }
                else
                {
                    if (source != destination)
                    {
                        Buffer.MemoryCopy(source, destination, blockBytes, blockBytes);
                    }

                    silence |= channel < 64 ? input->SilenceFlags & (1UL << channel) : 0;
                }
            }

            output->SilenceFlags = silence;
        }
    }
}
