namespace AceStep.Cli.Audio;

/// <summary>Which of the three audio commands runs.</summary>
public enum AudioJobKind
{
    /// <summary><c>acestep generate</c>: text to music.</summary>
    Generate,

    /// <summary><c>acestep repaint</c>: regenerate (or extend) a span of a source.</summary>
    Repaint,

    /// <summary><c>acestep cover</c>: a new take of a whole source.</summary>
    Cover,
}
