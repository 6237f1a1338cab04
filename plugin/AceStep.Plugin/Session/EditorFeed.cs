using AceStep.Contracts.Sessions;
using AceStep.Plugin.Capture;
using AceStep.Plugin.Timeline;

namespace AceStep.Plugin.Session;

/// <summary>
/// What the worker hands the plugin's editor: the same view the control page gets, and the parts of the range that
/// have not been captured yet. Immutable; the editor reads the latest one on the UI thread.
/// </summary>
/// <param name="View">The session view.</param>
/// <param name="MissingSeconds">Stretches of the range (seconds on the timeline) with no captured audio.</param>
internal sealed record EditorFeed(SessionView View, IReadOnlyList<(double Start, double End)> MissingSeconds)
{
    /// <summary>The gaps of the capture inside the range (worker thread).</summary>
    public static IReadOnlyList<(double Start, double End)> Missing(CaptureStore? store, JobRange range, double rate)
    {
        if (range.Source == JobRangeSource.Unresolved || !(rate > 0) || range.LengthSamples <= 0)
            return [];
        var gaps = new List<(double, double)>();
        long at = range.StartSamples;
        foreach (var (start, end) in CaptureReader.CoveredRanges(store, range.StartSamples, range.EndSamples))
        {
            if (start > at)
                gaps.Add((at / rate, Math.Min(start, range.EndSamples) / rate));
            at = Math.Max(at, end);
        }

        if (at < range.EndSamples)
            gaps.Add((at / rate, range.EndSamples / rate));
        return gaps;
    }
}
