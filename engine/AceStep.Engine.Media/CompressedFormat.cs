namespace AceStep.Engine.Media;

/// <summary>Formats FFmpeg encodes for the engine (WAV is written in-process).</summary>
public enum CompressedFormat
{
    /// <summary>MPEG-1 Layer III (libmp3lame).</summary>
    Mp3,

    /// <summary>Ogg Vorbis (libvorbis).</summary>
    Ogg,

    /// <summary>FLAC, 24-bit.</summary>
    Flac,
}

/// <summary>How to encode: format, output rate and channels, and the bitrate for lossy formats.</summary>
/// <param name="Format">Container and codec.</param>
/// <param name="SampleRate">Output sample rate in Hz.</param>
/// <param name="Channels">1 or 2.</param>
/// <param name="BitrateKbps">Lossy formats only; ignored for FLAC.</param>
public sealed record EncodeSettings(CompressedFormat Format, int SampleRate, int Channels, int? BitrateKbps = null);

/// <summary>What ffprobe reports about a file's first audio stream.</summary>
/// <param name="Codec">FFmpeg's codec name, e.g. <c>mp3</c>, <c>vorbis</c>, <c>flac</c>.</param>
/// <param name="SampleRate">Sample rate in Hz.</param>
/// <param name="Channels">Channel count.</param>
/// <param name="Duration">Stream duration.</param>
/// <param name="BitrateKbps">Average bitrate where the container states one.</param>
public sealed record AudioStreamInfo(string Codec, int SampleRate, int Channels, TimeSpan Duration, double? BitrateKbps);
