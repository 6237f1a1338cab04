namespace AceStep.Engine.Analysis;

/// <summary>
/// The piece's pitch-class profile: how much spectral-peak energy lies on each of the 12 pitch classes, after
/// correcting for the recording's tuning. Peaks are located to a fraction of a bin (parabolic fit on log magnitude),
/// collected in a 10-cent histogram over the octave, the tuning is read off that histogram as a circular mean, and each
/// pitch class then takes the histogram around its tuned centre with a cos² weight, so energy between semitones
/// (leakage, noise, glides) counts little. A band-wide offset of up to ±50 cents (e.g. A = 432 Hz) is absorbed.
/// </summary>
internal static class Chromagram
{
    /// <summary>Frame size: at 16 kHz, 512 ms and 1.95 Hz per bin, half a semitone at the low limit.</summary>
    public const int FrameSize = 8192;

    /// <summary>Lowest frequency counted (just under C2): below it, the bins are too coarse for semitones.</summary>
    public const double MinHz = 60;

    /// <summary>Highest frequency counted (about C7): above it, energy is mostly overtones, not the notes played.</summary>
    public const double MaxHz = 2100;

    private const int SubBins = 10;
    private const int HistogramBins = 12 * SubBins;

    // A frame whose loudest peak is under -80 dBFS is silence: it says nothing about the key.
    private const float SilenceFloor = 1e-4f;

    // Peaks more than 40 dB under the frame's loudest are leakage or noise.
    private const float PeakFloor = 0.01f;

    /// <summary>
    /// The 12-bin profile (index 0 = C), summed over frames with each sounding frame normalised to 1, and the number
    /// of sounding frames. All zeros when nothing sounded.
    /// </summary>
    public static (double[] Chroma, int SoundingFrames, double TuningCents) Compute(float[] signal, double sampleRate,
        CancellationToken cancellationToken)
    {
        var stft = new SpectrumFrames(FrameSize, FrameSize / 2);
        var histogram = new double[HistogramBins];
        var frameHistogram = new double[HistogramBins];
        var binHz = sampleRate / FrameSize;
        var low = Math.Max(2, (int)Math.Floor(MinHz / binHz));
        var high = Math.Min(stft.Bins - 3, (int)Math.Ceiling(MaxHz / binHz));
        var floor = SilenceFloor * stft.FullScale;
        var sounding = 0;
        stft.Run(signal, (_, magnitude) =>
        {
            var loudest = 0f;
            for (var k = low; k <= high; k++)
            {
                loudest = Math.Max(loudest, magnitude[k]);
            }
            if (loudest < floor)
            {
                return;
            }
            Array.Clear(frameHistogram);
            var total = 0.0;
            var threshold = loudest * PeakFloor;
            for (var k = low; k <= high; k++)
            {
                var m = magnitude[k];
                if (m < threshold || m <= magnitude[k - 1] || m < magnitude[k + 1] || m < magnitude[k - 2] || m < magnitude[k + 2])
                {
                    continue;
                }
                var (offset, amplitude) = Refine(magnitude[k - 1], m, magnitude[k + 1]);
                var hz = (k + offset) * binHz;
                // Semitones above C, folded into one octave, shifted half a sub-bin so each sub-bin is centred.
                var semitones = 12 * Math.Log2(hz / 440.0) + 9;
                var folded = semitones - 12 * Math.Floor(semitones / 12);
                var index = (int)Math.Floor((folded + 0.5) * SubBins) % HistogramBins;
                frameHistogram[index] += amplitude;
                total += amplitude;
            }
            if (total <= 0)
            {
                return;
            }
            sounding++;
            for (var i = 0; i < HistogramBins; i++)
            {
                histogram[i] += frameHistogram[i] / total;
            }
        }, cancellationToken);

        var tuning = Tuning(histogram);
        var chroma = new double[12];
        for (var i = 0; i < HistogramBins; i++)
        {
            // Centre of sub-bin i in semitones above C, then corrected for the tuning.
            var pitch = (i + 0.5) / SubBins - 0.5 - tuning;
            var nearest = Math.Round(pitch);
            var deviation = pitch - nearest;
            var weight = Math.Cos(Math.PI * deviation);
            chroma[(((int)nearest % 12) + 12) % 12] += histogram[i] * weight * weight;
        }
        return (chroma, sounding, tuning * 100);
    }

    /// <summary>The sub-bin offset (-0.5 … 0.5) and amplitude of a peak from its bin and neighbours (parabola on log magnitude).</summary>
    private static (double Offset, double Amplitude) Refine(float left, float centre, float right)
    {
        var a = Math.Log(Math.Max(left, 1e-20f));
        var b = Math.Log(centre);
        var c = Math.Log(Math.Max(right, 1e-20f));
        var denominator = a - 2 * b + c;
        if (denominator >= 0)
        {
            return (0, centre);
        }
        var offset = Math.Clamp(0.5 * (a - c) / denominator, -0.5, 0.5);
        return (offset, Math.Exp(b - 0.25 * (a - c) * offset));
    }

    /// <summary>The tuning offset in semitones (-0.5 … 0.5): the circular mean of where peaks fall within a semitone.</summary>
    private static double Tuning(double[] histogram)
    {
        double x = 0, y = 0;
        for (var i = 0; i < HistogramBins; i++)
        {
            var deviation = (i % SubBins + 0.5) / SubBins - 0.5;
            var angle = 2 * Math.PI * deviation;
            x += histogram[i] * Math.Cos(angle);
            y += histogram[i] * Math.Sin(angle);
        }
        return x == 0 && y == 0 ? 0 : Math.Atan2(y, x) / (2 * Math.PI);
    }
}
