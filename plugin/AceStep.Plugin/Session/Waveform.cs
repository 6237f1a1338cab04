namespace AceStep.Plugin.Session;

/// <summary>Waveform overviews for the control page: min/max pairs of the channels' mix, one pair per bucket.</summary>
internal static class Waveform
{
    /// <summary>Buckets of a take's overview.</summary>
    public const int TakeBuckets = 400;

    /// <summary>Buckets of the capture's overview around the range.</summary>
    public const int CaptureBuckets = 800;

    /// <summary>The overview of <paramref name="frames"/> frames of interleaved audio from frame <paramref name="from"/>.</summary>
    public static float[] Peaks(ReadOnlySpan<float> interleaved, int channels, long from, long frames, int buckets)
    {
        if (frames <= 0 || buckets <= 0 || channels <= 0)
            return [];
        buckets = (int)Math.Min(buckets, frames);
        var peaks = new float[buckets * 2];
        for (int b = 0; b < buckets; b++)
        {
            long start = from + (frames * b / buckets);
            long end = from + (frames * (b + 1) / buckets);
            float min = float.MaxValue, max = float.MinValue;
            for (long i = start; i < end; i++)
            {
                float sum = 0;
                for (int c = 0; c < channels; c++)
                    sum += interleaved[(int)((i * channels) + c)];
                float mixed = sum / channels;
                min = Math.Min(min, mixed);
                max = Math.Max(max, mixed);
            }

            peaks[2 * b] = Math.Clamp(min, -1, 1);
            peaks[(2 * b) + 1] = Math.Clamp(max, -1, 1);
        }

        return peaks;
    }
}
