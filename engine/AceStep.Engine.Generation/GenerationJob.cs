using AceStep.Audio;
using AceStep.Contracts.Tasks;

namespace AceStep.Engine.Generation;

/// <summary>One task as the model sees it: the normalised request, the seed of each result, and the source audio.</summary>
/// <param name="Request">The validated, normalised request.</param>
/// <param name="Seeds">One seed per result: <c>seed + i (mod 2^32)</c>.</param>
/// <param name="Source">For repaint and cover: the input audio at 48 kHz stereo; null for text-to-music.</param>
/// <param name="Original">The input as the client sent it (rate and frames, before conversion to 48 kHz), so results
/// returned at that rate cover exactly the submitted span; null when unknown (e.g. a task re-run after a restart).</param>
public sealed record GenerationJob(AudioInferenceRequest Request, IReadOnlyList<uint> Seeds, AudioBuffer? Source, SourceTiming? Original = null);

/// <summary>Rate and length of an input as submitted.</summary>
/// <param name="SampleRate">Samples per second per channel.</param>
/// <param name="Frames">Samples per channel.</param>
public sealed record SourceTiming(int SampleRate, long Frames)
{
    /// <summary>
    /// Frames of a result at <paramref name="rate"/>: the submitted length scaled once to that rate, plus a repaint's
    /// extension computed at that rate from the request's seconds. A result at the submitted rate is then exactly as
    /// long as the submitted audio plus the extension, whatever rounding the conversion to 48 kHz did.
    /// </summary>
    /// <param name="rate">Output rate.</param>
    /// <param name="repaintStart">Repaint start in seconds (negative = extend before), or null.</param>
    /// <param name="repaintEnd">Repaint end in seconds (past the source = extend after), or null.</param>
    public long OutputFrames(int rate, double? repaintStart = null, double? repaintEnd = null)
    {
        var frames = (long)Math.Round(Frames * (double)rate / SampleRate);
        var before = repaintStart is < 0 ? (long)Math.Round(-repaintStart.Value * rate) : 0;
        var after = repaintEnd is { } end && end * SampleRate > Frames ? Math.Max(0, (long)Math.Round(end * rate) - frames) : 0;
        return frames + before + after;
    }
}

/// <summary>One generated result.</summary>
/// <param name="Audio">The audio, at the model's rate (48 kHz) and stereo.</param>
/// <param name="Seed">The seed that produced it.</param>
public sealed record GeneratedAudio(AudioBuffer Audio, uint Seed);

/// <summary>How far a job is.</summary>
/// <param name="Fraction">0 to 1 over the whole job.</param>
/// <param name="Stage">What runs now, e.g. <c>text-encoder</c>, <c>diffusion</c>, <c>vae-decode</c>.</param>
public sealed record GenerationProgress(double Fraction, string Stage);
