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

/// <summary>Audio longer than the caller's limit, found before (or while) decoding it.</summary>
public sealed class AudioTooLongException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AudioTooLongException(double seconds, double limitSeconds)
        : base(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"The audio is {seconds:0.0} s long; at most {limitSeconds:0} s is accepted."))
    {
        Seconds = seconds;
        LimitSeconds = limitSeconds;
    }

    /// <summary>The audio's length (from the container, or as far as it was decoded).</summary>
    public double Seconds { get; }

    /// <summary>The limit it broke.</summary>
    public double LimitSeconds { get; }
}
