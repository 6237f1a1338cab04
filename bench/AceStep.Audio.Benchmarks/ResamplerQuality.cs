using AceStep.Audio;

namespace AceStep.Audio.Benchmarks;

/// <summary>What a resampler does to signals whose exact output is known analytically (all levels in dB).</summary>
/// <param name="PassbandDb">The largest gain error of tones at 1 kHz, 10 kHz, 18 kHz and 0.9 × the lower Nyquist.</param>
/// <param name="OtherDb">Everything in the tone channel that is not those tones (aliases, images, noise), re the input RMS.</param>
/// <param name="StopbandDb">Downsampling: a tone at 1.05 × the target Nyquist, which must vanish; upsampling: the image of
/// a tone at 0.97 × the source Nyquist. Re the tone's level.</param>
/// <param name="SweepErrorDb">Largest sample-by-sample difference from a log sweep (20 Hz → 0.9 × lower Nyquist)
/// computed at the output rate, re its amplitude: includes any delay, so it is what a user aligning takes sees.</param>
/// <param name="FrameError">Output frames minus round(N × out / in).</param>
public sealed record ResamplerQualityResult(double PassbandDb, double OtherDb, double StopbandDb, double SweepErrorDb, long FrameError);

/// <summary>
/// Measures a resampler on 1 s analytic signals, on the steady-state middle half of its output, with a least-squares
/// fit of sine and cosine at each known frequency (plus DC), which has no window leakage.
/// </summary>
public static class ResamplerQuality
{
    /// <summary>Measures <paramref name="resample"/> converting <paramref name="from"/> Hz to <paramref name="to"/> Hz.</summary>
    public static ResamplerQualityResult Measure(Func<AudioBuffer, int, AudioBuffer> resample, int from, int to)
    {
        var lowerNyquist = Math.Min(from, to) / 2.0;
        double[] tones = [1_000, 10_000, 18_000, 0.9 * lowerNyquist];
        var probe = to < from ? 1.05 * to / 2.0 : 0.97 * from / 2.0;
        var probeAt = to < from ? probe : from - probe; // where it shows in the output (the image when upsampling)

        // Left: the tones at 0.15 each; right: the stopband probe at 0.5.
        var input = Stereo(from, from, t => tones.Sum(f => 0.15 * Math.Sin(2 * Math.PI * f * t)), t => 0.5 * Math.Sin(2 * Math.PI * probe * t));
        var output = resample(input, to);
        var (left, right) = Split(output);
        var (lo, hi) = (output.Frames / 4, output.Frames * 3 / 4);

        var fit = Fit(left, lo, hi, to, tones);
        var passband = fit.Amplitudes.Max(a => Math.Abs(Db(a / 0.15)));
        var inputRms = 0.15 * Math.Sqrt(tones.Length / 2.0);
        var other = Db(fit.ResidualRms / inputRms);
        // Upsampling: the probe itself passes (attenuated by the roll-off), so it is fitted beside its image, whose level is
        // read; otherwise the probe's leakage into a one-frequency fit would be measured instead of the image.
        var stopband = Db(Fit(right, lo, hi, to, to < from ? [probeAt] : [probe, probeAt]).Amplitudes[^1] / 0.5);

        var f1 = 0.9 * lowerNyquist;
        var k = Math.Log(f1 / 20);
        double Sweep(double t) => 0.5 * Math.Sin(2 * Math.PI * 20 / k * (Math.Exp(t * k) - 1));
        var swept = Split(resample(Stereo(from, from, Sweep, Sweep), to)).Left;
        var worst = 0.0;
        for (var n = swept.Length / 20; n < swept.Length * 19 / 20; n++)
            worst = Math.Max(worst, Math.Abs(swept[n] - Sweep((double)n / to)));

        return new ResamplerQualityResult(passband, other, stopband, Db(worst / 0.5), output.Frames - (long)Math.Round((double)from * to / from));
    }

    private static double Db(double ratio) => 20 * Math.Log10(Math.Max(ratio, 1e-12));

    private static AudioBuffer Stereo(int frames, int rate, Func<double, double> left, Func<double, double> right)
    {
        var samples = new float[frames * 2];
        for (var n = 0; n < frames; n++)
        {
            samples[2 * n] = (float)left((double)n / rate);
            samples[2 * n + 1] = (float)right((double)n / rate);
        }
        return new AudioBuffer(samples, rate, 2);
    }

    private static (double[] Left, double[] Right) Split(AudioBuffer audio)
    {
        var left = new double[audio.Frames];
        var right = new double[audio.Frames];
        for (var n = 0; n < audio.Frames; n++)
        {
            left[n] = audio.Samples[2 * n];
            right[n] = audio.Samples[2 * n + 1];
        }
        return (left, right);
    }

    // Least squares of DC + sin/cos at each frequency over [lo, hi): amplitudes and the residual's RMS.
    private static (double[] Amplitudes, double ResidualRms) Fit(double[] y, int lo, int hi, int rate, double[] frequencies)
    {
        var m = 1 + 2 * frequencies.Length;
        double Basis(int j, int n)
        {
            if (j == 0)
                return 1;
            var phase = 2 * Math.PI * frequencies[(j - 1) / 2] * n / rate;
            return j % 2 == 1 ? Math.Sin(phase) : Math.Cos(phase);
        }
        var a = new double[m, m + 1];
        for (var n = lo; n < hi; n++)
        {
            var row = new double[m];
            for (var j = 0; j < m; j++)
                row[j] = Basis(j, n);
            for (var i = 0; i < m; i++)
            {
                for (var j = 0; j < m; j++)
                    a[i, j] += row[i] * row[j];
                a[i, m] += row[i] * y[n];
            }
        }
        var x = Solve(a, m);
        var residual = 0.0;
        for (var n = lo; n < hi; n++)
        {
            var e = y[n];
            for (var j = 0; j < m; j++)
                e -= x[j] * Basis(j, n);
            residual += e * e;
        }
        var amplitudes = frequencies.Select((_, i) => Math.Sqrt(x[1 + 2 * i] * x[1 + 2 * i] + x[2 + 2 * i] * x[2 + 2 * i])).ToArray();
        return (amplitudes, Math.Sqrt(residual / (hi - lo)));
    }

    // Gaussian elimination with partial pivoting on the augmented m × (m + 1) system.
    private static double[] Solve(double[,] a, int m)
    {
        for (var c = 0; c < m; c++)
        {
            var pivot = Enumerable.Range(c, m - c).MaxBy(r => Math.Abs(a[r, c]));
            for (var j = 0; j <= m; j++)
                (a[c, j], a[pivot, j]) = (a[pivot, j], a[c, j]);
            for (var r = 0; r < m; r++)
            {
                if (r == c)
                    continue;
                var f = a[r, c] / a[c, c];
                for (var j = c; j <= m; j++)
                    a[r, j] -= f * a[c, j];
            }
        }
        return Enumerable.Range(0, m).Select(i => a[i, m] / a[i, i]).ToArray();
    }
}
