namespace AceStep.Engine.Media;

/// <summary>FFmpeg is not installed or cannot run; the message says how to fix it.</summary>
public sealed class FfmpegNotFoundException : Exception
{
    /// <summary>Creates the exception.</summary>
    public FfmpegNotFoundException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}

/// <summary>FFmpeg could not decode or encode a file; the message carries FFmpeg's own reason.</summary>
public sealed class MediaCodecException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MediaCodecException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}
