using AceStep.Vst3;

namespace AceStep.Plugin.Playback;

/// <summary>
/// Puts a take's samples into a block's output at exactly their project positions (audio thread; allocation-free).
/// Inside the take, away from its edges, the output is the take's sample converted exactly; within
/// <see cref="Take.FadeFrames"/> of an edge it is an equal-power crossfade with the input; outside the take the output
/// is left as it is (the input, copied before).
/// </summary>
internal static unsafe class TakeRenderer
{
    /// <summary>
    /// The gain of the take at frame <paramref name="index"/> of a take with <paramref name="frames"/> frames and
    /// <paramref name="fade"/> fade frames: <c>sin(π/2 · (k + ½) / fade)</c> where <c>k</c> is the distance in frames to
    /// the nearer edge, 1 beyond the fades. The input's gain is the matching cosine, so the power sums to one.
    /// </summary>
    /// <param name="index">Frame within the take.</param>
    /// <param name="frames">The take's length.</param>
    /// <param name="fade">Fade length.</param>
    /// <param name="takeGain">Gain of the take.</param>
    /// <param name="inputGain">Gain of the input.</param>
    /// <returns>False when the frame is outside the fades (take only).</returns>
    public static bool FadeGains(int index, int frames, int fade, out double takeGain, out double inputGain)
    {
        int distance = Math.Min(index, frames - 1 - index);
        if (distance >= fade)
        {
            takeGain = 1;
            inputGain = 0;
            return false;
        }

        double angle = Math.PI / 2 * (distance + 0.5) / fade;
        takeGain = Math.Sin(angle);
        inputGain = Math.Cos(angle);
        return true;
    }

    /// <summary>Renders the part of <paramref name="take"/> that falls into the block starting at <paramref name="position"/>.</summary>
    /// <param name="take">The active take.</param>
    /// <param name="position">Project time of the block's first frame.</param>
    /// <param name="data">The block, whose output already holds the input.</param>
    /// <returns>Whether any frame of the take was in the block.</returns>
    public static bool Render(Take take, long position, ProcessData* data)
    {
        long blockEnd = position + data->NumSamples;
        long from = Math.Max(position, take.Position);
        long to = Math.Min(blockEnd, take.End);
        if (from >= to || data->NumOutputs <= 0 || data->Outputs == null)
        {
            return false;
        }

        AudioBusBuffers* output = &data->Outputs[0];
        if (output->ChannelBuffers == null)
        {
            return false;
        }

        int blockOffset = (int)(from - position);
        int takeOffset = (int)(from - take.Position);
        int count = (int)(to - from);
        bool is64 = data->SymbolicSampleSize == SymbolicSampleSize.Sample64;
        ulong silence = output->SilenceFlags;
        for (int channel = 0; channel < output->NumChannels; channel++)
        {
            void* buffer = output->ChannelBuffers[channel];
            if (buffer == null)
            {
                continue;
            }

            // A mono take feeds every channel; a stereo take on a mono bus plays its first channel.
            var source = take.Channel(Math.Min(channel, take.Channels - 1)).Slice(takeOffset, count);
            if (is64)
            {
                Mix(new Span<double>((double*)buffer + blockOffset, count), source, takeOffset, take.Frames, take.FadeFrames);
            }
            else
            {
                Mix(new Span<float>((float*)buffer + blockOffset, count), source, takeOffset, take.Frames, take.FadeFrames);
            }

            if (channel < 64)
            {
                silence &= ~(1UL << channel);
            }
        }

        output->SilenceFlags = silence;
        return true;
    }

    private static void Mix(Span<float> output, ReadOnlySpan<float> take, int takeOffset, int frames, int fade)
    {
        // The frames beyond both fades are the take as it is: copied in one go. Assigning (rather than mixing with a
        // gain of 0) also keeps a NaN or infinite input from leaking through, since 0 × NaN is not 0.
        Interior(output.Length, takeOffset, frames, fade, out int from, out int to);
        take[from..to].CopyTo(output[from..to]);
        Fade(output, take, takeOffset, frames, fade, 0, from);
        Fade(output, take, takeOffset, frames, fade, to, output.Length);
    }

    private static void Fade(Span<float> output, ReadOnlySpan<float> take, int takeOffset, int frames, int fade, int from, int to)
    {
        for (int i = from; i < to; i++)
        {
            output[i] = FadeGains(takeOffset + i, frames, fade, out double takeGain, out double inputGain)
                ? (float)((output[i] * inputGain) + (take[i] * takeGain))
                : take[i];
        }
    }

    private static void Mix(Span<double> output, ReadOnlySpan<float> take, int takeOffset, int frames, int fade)
    {
        Interior(output.Length, takeOffset, frames, fade, out int from, out int to);
        for (int i = from; i < to; i++)
        {
            output[i] = take[i];
        }

        Fade(output, take, takeOffset, frames, fade, 0, from);
        Fade(output, take, takeOffset, frames, fade, to, output.Length);
    }

    private static void Fade(Span<double> output, ReadOnlySpan<float> take, int takeOffset, int frames, int fade, int from, int to)
    {
        for (int i = from; i < to; i++)
        {
            output[i] = FadeGains(takeOffset + i, frames, fade, out double takeGain, out double inputGain)
                ? (output[i] * inputGain) + (take[i] * takeGain)
                : take[i];
        }
    }

    /// <summary>The part <c>[from, to)</c> of a stretch of <paramref name="count"/> frames that lies beyond both fades.</summary>
    private static void Interior(int count, int takeOffset, int frames, int fade, out int from, out int to)
    {
        from = Math.Clamp(fade - takeOffset, 0, count);
        to = Math.Clamp(frames - fade - takeOffset, from, count);
    }
}
