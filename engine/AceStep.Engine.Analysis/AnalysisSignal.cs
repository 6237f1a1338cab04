using System.Numerics;
using AceStep.Audio;

namespace AceStep.Engine.Analysis;

/// <summary>
/// The mono, low-rate signal both estimators work on: channels averaged, low-passed and decimated by a whole factor to
/// about <see cref="TargetRate"/>. Key needs nothing above ~2 kHz and tempo little above 8 kHz, and a third of the
/// samples makes every later FFT three times cheaper.
/// </summary>
internal static class AnalysisSignal
{
    /// <summary>The rate the decimation aims at (48 kHz → 16 kHz exactly).</summary>
    public const int TargetRate = 16_000;

    private const int TapsPerFactor = 16;
    private const int BlockFrames = 1 << 16;

    /// <summary>The mono signal and its sample rate.</summary>
    public static (float[] Samples, double SampleRate) From(AudioBuffer audio, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audio);
        var factor = Math.Max(1, (int)Math.Round((double)audio.SampleRate / TargetRate));
        var rate = (double)audio.SampleRate / factor;
        if (factor == 1)
        {
            var mono = new float[audio.Frames];
            MixBlock(audio, 0, mono);
            return (mono, rate);
        }

        var taps = LowPass(factor);
        var half = taps.Length / 2;
        var output = new float[(audio.Frames + factor - 1) / factor];
        // Mono is built a block at a time (plus the filter's reach on each side) so ten minutes of 48 kHz stereo never
        // needs a full-length mono copy at the input rate.
        var scratch = new float[BlockFrames * factor + taps.Length + factor];
        for (var firstOut = 0; firstOut < output.Length; firstOut += BlockFrames)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = Math.Min(BlockFrames, output.Length - firstOut);
            var inStart = firstOut * factor - half;
            var inLength = (count - 1) * factor + taps.Length;
            var span = scratch.AsSpan(0, inLength);
            span.Clear();
            var from = Math.Max(0, inStart);
            var to = Math.Min(audio.Frames, inStart + inLength);
            if (to > from)
            {
                MixBlock(audio, from, span.Slice(from - inStart, to - from));
            }
            for (var i = 0; i < count; i++)
            {
                output[firstOut + i] = Dot(span.Slice(i * factor, taps.Length), taps);
            }
        }
        return (output, rate);
    }

    /// <summary>Averages the channels of frames [first, first + destination.Length) into <paramref name="destination"/>.</summary>
    private static void MixBlock(AudioBuffer audio, int first, Span<float> destination)
    {
        var channels = audio.Channels;
        var samples = audio.Samples.AsSpan(first * channels, destination.Length * channels);
        if (channels == 1)
        {
            samples.CopyTo(destination);
            return;
        }
        var scale = 1f / channels;
        for (var i = 0; i < destination.Length; i++)
        {
            var sum = 0f;
            var frame = samples.Slice(i * channels, channels);
            foreach (var s in frame)
            {
                sum += s;
            }
            destination[i] = sum * scale;
        }
    }

    /// <summary>A Blackman-windowed sinc low-pass at 90 % of the output Nyquist frequency, unit gain at DC.</summary>
    private static float[] LowPass(int factor)
    {
        var length = TapsPerFactor * factor + 1;
        var taps = new float[length];
        var cutoff = 0.9 / (2 * factor);
        var centre = (length - 1) / 2.0;
        var sum = 0.0;
        for (var i = 0; i < length; i++)
        {
            var x = i - centre;
            var sinc = x == 0 ? 2 * cutoff : Math.Sin(2 * Math.PI * cutoff * x) / (Math.PI * x);
            var window = 0.42 - 0.5 * Math.Cos(2 * Math.PI * i / (length - 1)) + 0.08 * Math.Cos(4 * Math.PI * i / (length - 1));
            taps[i] = (float)(sinc * window);
            sum += taps[i];
        }
        for (var i = 0; i < length; i++)
        {
            taps[i] = (float)(taps[i] / sum);
        }
        return taps;
    }

    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var width = Vector<float>.Count;
        var acc = Vector<float>.Zero;
        var i = 0;
        for (; i <= a.Length - width; i += width)
        {
            acc += new Vector<float>(a[i..]) * new Vector<float>(b[i..]);
        }
        var sum = Vector.Sum(acc);
        for (; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
