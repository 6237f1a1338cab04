namespace AceStep.Plugin.Timeline;

/// <summary>Where the range of a job came from.</summary>
internal enum JobRangeSource
{
    /// <summary>Not enough context to place the range (no tempo, signature or ppq yet).</summary>
    Unresolved = 0,

    /// <summary>The host's cycle (loop) range from the ProcessContext.</summary>
    Cycle = 1,

    /// <summary>The Start Bar and Length parameters.</summary>
    Bars = 2,

    /// <summary>
    /// REAPER's time selection through <c>IReaperHostApplication</c> (read by the worker). It takes precedence over
    /// the cycle: a REAPER loop is the time selection only when the user links them.
    /// </summary>
    HostSelection = 3,
}

/// <summary>The span of timeline a job covers.</summary>
/// <param name="Source">Where it came from.</param>
/// <param name="StartSamples">First project sample.</param>
/// <param name="EndSamples">End (exclusive) in project samples.</param>
/// <param name="StartPpq">Start in quarter notes.</param>
/// <param name="EndPpq">End in quarter notes.</param>
internal readonly record struct JobRange(JobRangeSource Source, long StartSamples, long EndSamples, double StartPpq, double EndPpq)
{
    /// <summary>Length in samples.</summary>
    public long LengthSamples => EndSamples - StartSamples;

    /// <summary>
    /// Resolves the range of a job: the cycle range when the host gives one, else <paramref name="startBar"/> and
    /// <paramref name="lengthBars"/> placed with the current tempo and signature (a constant signature since bar 1 is
    /// assumed, as for bar numbers). Conversions to samples use the tempo of the latest block, anchored at its position.
    /// </summary>
    /// <param name="transport">The latest snapshot.</param>
    /// <param name="startBar">1-based first bar (the Start Bar parameter).</param>
    /// <param name="lengthBars">Bars (the Length parameter).</param>
    /// <returns>The range; <see cref="JobRangeSource.Unresolved"/> when it cannot be placed.</returns>
    public static JobRange Resolve(in TransportSnapshot transport, int startBar, int lengthBars)
    {
        if ((transport.Fields & TransportFields.CycleSamples) != 0 && transport.CycleEndSamples > transport.CycleStartSamples)
        {
            return new(JobRangeSource.Cycle, transport.CycleStartSamples, transport.CycleEndSamples, transport.CycleStartPpq, transport.CycleEndPpq);
        }

        if ((transport.Fields & TransportFields.TimeSignature) == 0 || startBar < 1 || lengthBars < 1)
        {
            return default;
        }

        double perBar = TransportSnapshot.QuarterNotesPerBar(transport.Numerator, transport.Denominator);
        double startPpq = (startBar - 1) * perBar;
        double endPpq = startPpq + (lengthBars * perBar);
        // Bar 1 is the project start: a conversion anchored at a later block lands a few samples before 0 when the host
        // rounds its ppq (Ardour: 1920 ticks per quarter note), which is no place on the timeline.
        return transport.TryPpqToSamples(startPpq, out long start) && transport.TryPpqToSamples(endPpq, out long end)
            ? new(JobRangeSource.Bars, Math.Max(0, start), end, startPpq, endPpq)
            : default;
    }

    /// <summary>
    /// A host selection given in seconds on the project timeline (REAPER's time selection): samples at
    /// <paramref name="sampleRate"/>, quarter notes from the latest block's tempo when it has one (else 0).
    /// </summary>
    public static JobRange FromSeconds(double start, double end, double sampleRate, in TransportSnapshot transport)
    {
        if (!(end > start) || start < 0 || !(sampleRate > 0))
        {
            return default;
        }

        long startSamples = (long)Math.Round(start * sampleRate, MidpointRounding.AwayFromZero);
        long endSamples = (long)Math.Round(end * sampleRate, MidpointRounding.AwayFromZero);
        transport.TryPpqFromSamples(startSamples, out double startPpq);
        transport.TryPpqFromSamples(endSamples, out double endPpq);
        return new(JobRangeSource.HostSelection, startSamples, endSamples, startPpq, endPpq);
    }
}
