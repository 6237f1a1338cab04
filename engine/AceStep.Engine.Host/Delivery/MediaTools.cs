using AceStep.Engine.Media;

namespace AceStep.Engine.Host.Delivery;

/// <summary>
/// The engine's FFmpeg, or a clear error for the one task that needs it when it is not installed (the engine
/// itself runs without it).
/// </summary>
public sealed class MediaTools
{
    private readonly FfmpegInstallation? _ffmpeg;
    private readonly string? _whyMissing;

    /// <summary>Locates FFmpeg once, at engine start.</summary>
    public MediaTools(FfmpegInstallation? ffmpeg, string? whyMissing)
    {
        _ffmpeg = ffmpeg;
        _whyMissing = whyMissing;
    }

    /// <summary>The installation, if any.</summary>
    public FfmpegInstallation? Installation => _ffmpeg;

    /// <summary>The codec; throws <see cref="FfmpegNotFoundException"/> with the install hint when missing.</summary>
    public AudioCodec Codec => _ffmpeg is null
        ? throw new FfmpegNotFoundException(_whyMissing ?? "FFmpeg is not installed.")
        : new AudioCodec(_ffmpeg);
}
