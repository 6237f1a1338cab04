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

    /// <summary><c>acestep lego</c> (base model): a new stem over the source, or over a span of it.</summary>
    Lego,

    /// <summary><c>acestep extract</c> (base model): one stem of the source alone.</summary>
    Extract,

    /// <summary><c>acestep complete</c> (base model): accompaniment around a single-track source.</summary>
    Complete,
}
