namespace AceStep.Engine.Generation;

/// <summary>
/// The waveform splice that makes a repaint exact outside its span (task API: the audio outside the repaint range is
/// the input, bit for bit): the result is the source outside [start, end) and the generated audio inside, with linear
/// crossfades placed inside the span at each edge that borders source audio (latents are blended across the edge
/// beforehand, so the two signals are correlated there and a linear fade keeps the level).
/// </summary>
public static class RepaintSplice
{
    /// <summary>Splices interleaved audio of equal length.</summary>
    /// <param name="source">The (extended) source, interleaved.</param>
    /// <param name="generated">The decoded generation, interleaved, same length.</param>
    /// <param name="channels">Channels.</param>
    /// <param name="spanStart">First frame of the span.</param>
    /// <param name="spanEnd">End frame of the span (exclusive).</param>
    /// <param name="crossfadeFrames">Crossfade length at each inner edge; shortened to half the span if needed.</param>
    /// <returns>A new array.</returns>
    public static float[] Splice(ReadOnlySpan<float> source, ReadOnlySpan<float> generated, int channels, int spanStart, int spanEnd, int crossfadeFrames)
    {
        if (source.Length != generated.Length)
            throw new ArgumentException($"Source ({source.Length}) and generated ({generated.Length}) lengths differ.", nameof(generated));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        var frames = source.Length / channels;
        if (spanStart < 0 || spanEnd > frames || spanEnd <= spanStart)
            throw new ArgumentOutOfRangeException(nameof(spanEnd), $"Span {spanStart}–{spanEnd} is not inside 0–{frames}.");

        var result = source.ToArray();
        var fade = Math.Clamp(crossfadeFrames, 0, (spanEnd - spanStart) / 2);
        var fadeIn = spanStart > 0 ? fade : 0;          // an edge at the very start or end borders no source
        var fadeOut = spanEnd < frames ? fade : 0;
        for (var f = spanStart; f < spanEnd; f++)
        {
            var w = 1f;
            if (f - spanStart < fadeIn)
                w = (f - spanStart + 1f) / (fadeIn + 1f);
            else if (spanEnd - 1 - f < fadeOut)
                w = (spanEnd - f) / (fadeOut + 1f);
            for (var c = 0; c < channels; c++)
            {
                var i = (f * channels) + c;
                result[i] = w == 1f ? generated[i] : (w * generated[i]) + ((1f - w) * source[i]);
            }
        }

        return result;
    }
}
