namespace AceStep.Engine.Analysis;

/// <summary>
/// Names the key: the pitch-class profile of the whole piece (<see cref="Chromagram"/>) is correlated with the
/// major and minor <see cref="KeyProfiles"/> in all 12 transpositions and the best of the 24 wins. A piece with no
/// clear pitch content (silence, noise, unpitched drums) gets no key rather than a confident wrong one.
/// </summary>
internal static class KeyEstimator
{
    /// <summary>
    /// The least spread of the chroma, as (max − min) / mean, for it to name a key. Broadband noise spreads its peaks
    /// evenly over the pitch classes (spread well under 0.5); any chord progression is far above 1.
    /// </summary>
    public const double MinimumSpread = 0.5;

    /// <summary>
/// The least correlation with the best key's profile for the key to be named: chord progressions score 0.8 and more,
/// pitched drums alone about 0.3–0.55, noise under 0.3.
/// </summary>
    public const double MinimumCorrelation = 0.65;

    /// <summary>Sounding frames needed (each 256 ms apart): about 1.5 s of pitched sound.</summary>
    public const int MinimumFrames = 6;

    /// <summary>Estimates the key of a mono signal.</summary>
    public static KeyEstimate Estimate(float[] signal, double sampleRate, CancellationToken cancellationToken)
    {
        var (chroma, frames, _) = Chromagram.Compute(signal, sampleRate, cancellationToken);
        return FromChroma(chroma, frames);
    }

    /// <summary>The key a 12-bin chroma (index 0 = C) points to, from <paramref name="frames"/> sounding frames.</summary>
    public static KeyEstimate FromChroma(ReadOnlySpan<double> chroma, int frames)
    {
        if (frames < MinimumFrames || Spread(chroma) < MinimumSpread)
        {
            return new KeyEstimate(null, 0, 0);
        }
        var best = new MusicalKey(0, KeyMode.Major);
        double bestR = double.NegativeInfinity, secondR = double.NegativeInfinity;
        foreach (var mode in (ReadOnlySpan<KeyMode>)[KeyMode.Major, KeyMode.Minor])
        {
            for (var tonic = 0; tonic < 12; tonic++)
            {
                var key = new MusicalKey(tonic, mode);
                var r = KeyProfiles.Correlation(chroma, key);
                if (r > bestR)
                {
                    (secondR, bestR, best) = (bestR, r, key);
                }
                else if (r > secondR)
                {
                    secondR = r;
                }
            }
        }
        return bestR < MinimumCorrelation
            ? new KeyEstimate(null, 0, bestR)
            : new KeyEstimate(best, Math.Clamp(bestR - secondR, 0, 1), bestR);
    }

    private static double Spread(ReadOnlySpan<double> chroma)
    {
        double min = double.PositiveInfinity, max = 0, sum = 0;
        foreach (var c in chroma)
        {
            min = Math.Min(min, c);
            max = Math.Max(max, c);
            sum += c;
        }
        return sum <= 0 ? 0 : (max - min) / (sum / 12);
    }
}
