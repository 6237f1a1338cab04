using AceStep.Audio;

namespace AceStep.Engine.Media.Tests;

/// <summary>
/// Test signals computed analytically (in double, so the same signal can be rendered at any rate) and the
/// measurements the resampler tests make on them: least-squares tone fits, RMS, dB.
/// </summary>
internal static class ResamplerAnalysis
{
    /// <summary>A signal as a function of time in seconds.</summary>
    public delegate double Signal(double seconds);

    /// <summary>A sine of <paramref name="amplitude"/> at <paramref name="hz"/>, phase 0 at t = 0.</summary>
    public static Signal Sine(double hz, double amplitude) => t => amplitude * Math.Sin(2 * Math.PI * hz * t);

    /// <summary>
    /// An exponential sweep from <paramref name="fromHz"/> to <paramref name="toHz"/> over <paramref name="seconds"/>,
    /// with raised-cosine fades (so its edges do not splatter energy outside the swept band).
    /// </summary>
    public static Signal LogSweep(double fromHz, double toHz, double seconds, double amplitude, double fadeInSeconds, double fadeOutSeconds)
    {
        var rate = Math.Log(toHz / fromHz) / seconds;
        return t =>
        {
            if (t < 0 || t > seconds)
            {
                return 0;
            }
            var phase = 2 * Math.PI * fromHz / rate * (Math.Exp(rate * t) - 1);
            return amplitude * Fade(t, fadeInSeconds) * Fade(seconds - t, fadeOutSeconds) * Math.Sin(phase);
        };
    }

    /// <summary>Instantaneous frequency of <see cref="LogSweep"/> at <paramref name="t"/>.</summary>
    public static double SweepHz(double fromHz, double toHz, double seconds, double t) => fromHz * Math.Pow(toHz / fromHz, t / seconds);

    private static double Fade(double t, double length) =>
        t >= length ? 1 : t <= 0 ? 0 : 0.5 - 0.5 * Math.Cos(Math.PI * t / length);

    /// <summary>Renders <paramref name="frames"/> frames of one signal per channel at <paramref name="rate"/>.</summary>
    public static AudioBuffer Render(int rate, int frames, params Signal[] channels)
    {
        var samples = new float[frames * channels.Length];
        for (var i = 0; i < frames; i++)
        {
            for (var c = 0; c < channels.Length; c++)
            {
                samples[i * channels.Length + c] = (float)channels[c]((double)i / rate);
            }
        }
        return new AudioBuffer(samples, rate, channels.Length);
    }

    /// <summary>One channel of an interleaved buffer.</summary>
    public static double[] Channel(AudioBuffer audio, int channel)
    {
        var result = new double[audio.Frames];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = audio.Samples[i * audio.Channels + channel];
        }
        return result;
    }

    /// <summary>
    /// Joint least-squares fit of <c>Σ a_k·sin(2πf_k·t) + b_k·cos(2πf_k·t) + c</c> to <paramref name="x"/> over frames
    /// [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>), with t = frame / rate. Exact
    /// for any window length and any mix of tones (no leakage, unlike a windowed DFT), so a residual of −150 dB is
    /// really what the signal holds besides the tones.
    /// </summary>
    public static ToneFit[] FitTones(double[] x, int rate, double[] hz, int start, int count, out double residualRms)
    {
        var columns = 2 * hz.Length + 1;
        var ata = new double[columns, columns + 1];
        var row = new double[columns];
        for (var n = start; n < start + count; n++)
        {
            Basis(row, hz, (double)n / rate);
            for (var i = 0; i < columns; i++)
            {
                ata[i, columns] += row[i] * x[n];
                for (var j = 0; j < columns; j++)
                {
                    ata[i, j] += row[i] * row[j];
                }
            }
        }
        var solution = Solve(ata, columns);
        double residual = 0;
        for (var n = start; n < start + count; n++)
        {
            Basis(row, hz, (double)n / rate);
            var model = 0.0;
            for (var i = 0; i < columns; i++)
            {
                model += row[i] * solution[i];
            }
            residual += (x[n] - model) * (x[n] - model);
        }
        residualRms = Math.Sqrt(residual / count);
        return hz.Select((f, k) => new ToneFit(f, Math.Sqrt(solution[2 * k] * solution[2 * k] + solution[2 * k + 1] * solution[2 * k + 1]),
            Math.Atan2(solution[2 * k + 1], solution[2 * k]))).ToArray();
    }

    private static void Basis(double[] row, double[] hz, double t)
    {
        for (var k = 0; k < hz.Length; k++)
        {
            var w = 2 * Math.PI * hz[k] * t;
            row[2 * k] = Math.Sin(w);
            row[2 * k + 1] = Math.Cos(w);
        }
        row[^1] = 1;
    }

    private static double[] Solve(double[,] a, int size)
    {
        // Gaussian elimination with partial pivoting on the augmented matrix.
        for (var col = 0; col < size; col++)
        {
            var pivot = col;
            for (var r = col + 1; r < size; r++)
            {
                if (Math.Abs(a[r, col]) > Math.Abs(a[pivot, col]))
                {
                    pivot = r;
                }
            }
            for (var j = 0; j <= size; j++)
            {
                (a[col, j], a[pivot, j]) = (a[pivot, j], a[col, j]);
            }
            for (var r = col + 1; r < size; r++)
            {
                var f = a[r, col] / a[col, col];
                for (var j = col; j <= size; j++)
                {
                    a[r, j] -= f * a[col, j];
                }
            }
        }
        var x = new double[size];
        for (var i = size - 1; i >= 0; i--)
        {
            var s = a[i, size];
            for (var j = i + 1; j < size; j++)
            {
                s -= a[i, j] * x[j];
            }
            x[i] = s / a[i, i];
        }
        return x;
    }

    /// <summary>RMS of frames [start, start + count).</summary>
    public static double Rms(double[] x, int start, int count)
    {
        double sum = 0;
        for (var n = start; n < start + count; n++)
        {
            sum += x[n] * x[n];
        }
        return Math.Sqrt(sum / count);
    }

    /// <summary>Amplitude ratio in decibels.</summary>
    public static double Db(double ratio) => 20 * Math.Log10(ratio);

    /// <summary>Wraps an angle to (-π, π].</summary>
    public static double Wrap(double radians)
    {
        var r = Math.IEEERemainder(radians, 2 * Math.PI);
        return r <= -Math.PI ? r + 2 * Math.PI : r;
    }
}

/// <summary>A fitted tone: amplitude and phase (of the sine, radians, at t = 0).</summary>
internal readonly record struct ToneFit(double Hz, double Amplitude, double Phase)
{
    /// <summary>The delay this phase implies, in seconds (positive: the output is late).</summary>
    public double DelaySeconds => -ResamplerAnalysis.Wrap(Phase) / (2 * Math.PI * Hz);
}
