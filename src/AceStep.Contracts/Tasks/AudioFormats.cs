namespace AceStep.Contracts.Tasks;

/// <summary>One row of the seed document's bitrate tables: a sample rate and its bitrate range in kbps.</summary>
/// <param name="SampleRate">Hz.</param>
/// <param name="MinBitrate">Lowest bitrate, kbps.</param>
/// <param name="MaxBitrate">Highest bitrate, kbps.</param>
public readonly record struct BitrateRow(int SampleRate, int MinBitrate, int MaxBitrate)
{
    /// <summary>128 kbps clamped into the row: the bitrate used when a sample rate comes without one.</summary>
    public int DefaultBitrate => Math.Clamp(AudioFormats.DefaultBitrate, MinBitrate, MaxBitrate);
}

/// <summary>The encoding limits of the seed document (<c>audioSettings</c>) and the engine's fixed formats.</summary>
public static class AudioFormats
{
    /// <summary>The bitrate asked for when none is given (kbps), clamped into the row.</summary>
    public const int DefaultBitrate = 128;

    /// <summary>Channels when none are given.</summary>
    public const int DefaultChannels = 2;

    /// <summary>MP3's default sample rate.</summary>
    public const int Mp3DefaultSampleRate = 44_100;

    /// <summary>OGG's default sample rate.</summary>
    public const int OggDefaultSampleRate = 48_000;

    /// <summary>The model's native rate: WAV and FLAC are written at it, PCM_F32 defaults to it.</summary>
    public const int NativeSampleRate = 48_000;

    /// <summary>Lowest PCM_F32 sample rate.</summary>
    public const int PcmMinSampleRate = 8_000;

    /// <summary>Highest PCM_F32 sample rate.</summary>
    public const int PcmMaxSampleRate = 384_000;

    /// <summary>MP3: same limits for mono and stereo.</summary>
    public static IReadOnlyList<BitrateRow> Mp3 { get; } =
    [
        new(8_000, 8, 64), new(11_025, 8, 64), new(12_000, 8, 64),
        new(16_000, 8, 160), new(22_050, 8, 160), new(24_000, 8, 160),
        new(32_000, 32, 320), new(44_100, 32, 320), new(48_000, 32, 320),
    ];

    /// <summary>OGG (Vorbis), one channel.</summary>
    public static IReadOnlyList<BitrateRow> OggMono { get; } =
    [
        new(8_000, 8, 40), new(12_000, 16, 48), new(16_000, 16, 96), new(24_000, 16, 80), new(48_000, 32, 224),
    ];

    /// <summary>OGG (Vorbis), two channels.</summary>
    public static IReadOnlyList<BitrateRow> OggStereo { get; } =
    [
        new(8_000, 16, 80), new(12_000, 16, 96), new(16_000, 24, 192), new(24_000, 32, 160), new(48_000, 48, 256),
    ];

    /// <summary>True for the formats that take <c>audioSettings</c> with a bitrate (MP3, OGG).</summary>
    public static bool IsLossy(this OutputFormat format) => format is OutputFormat.Mp3 or OutputFormat.Ogg;

    /// <summary>The table for a lossy format and channel count (1 or 2).</summary>
    public static IReadOnlyList<BitrateRow> Table(OutputFormat format, int channels) => format switch
    {
        OutputFormat.Mp3 => Mp3,
        OutputFormat.Ogg => channels == 1 ? OggMono : OggStereo,
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Only MP3 and OGG have bitrate tables."),
    };

    /// <summary>The default sample rate of a lossy format.</summary>
    public static int DefaultSampleRate(OutputFormat format) =>
        format == OutputFormat.Ogg ? OggDefaultSampleRate : Mp3DefaultSampleRate;

    /// <summary>The row of <paramref name="table"/> for a sample rate, if it has one.</summary>
    public static BitrateRow? FindRow(IReadOnlyList<BitrateRow> table, int sampleRate)
    {
        ArgumentNullException.ThrowIfNull(table);
        foreach (var row in table)
        {
            if (row.SampleRate == sampleRate)
            {
                return row;
            }
        }
        return null;
    }
}
