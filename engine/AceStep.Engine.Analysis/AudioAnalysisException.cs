namespace AceStep.Engine.Analysis;

/// <summary>Audio that cannot be analysed at all; callers map it to an API error.</summary>
public class AudioAnalysisException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AudioAnalysisException()
    {
    }

    /// <summary>Creates the exception with a message for a person.</summary>
    public AudioAnalysisException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the cause.</summary>
    public AudioAnalysisException(string message, Exception innerException) : base(message, innerException)
    {
    }
}

/// <summary>The audio is shorter than <see cref="AudioAnalyzer.MinimumSeconds"/>: too few beats and chords to judge.</summary>
public sealed class AudioTooShortException : AudioAnalysisException
{
    /// <summary>Creates the exception.</summary>
    public AudioTooShortException()
    {
    }

    /// <summary>Creates the exception with a message for a person.</summary>
    public AudioTooShortException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the cause.</summary>
    public AudioTooShortException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for audio of <paramref name="seconds"/>.</summary>
    public AudioTooShortException(double seconds)
        : base(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"The audio is {seconds:0.00} s long; key and tempo need at least {AudioAnalyzer.MinimumSeconds:0} s."))
    {
        Seconds = seconds;
    }

    /// <summary>The audio's length in seconds.</summary>
    public double Seconds { get; }
}
