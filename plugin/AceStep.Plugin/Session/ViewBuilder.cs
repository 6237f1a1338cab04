using AceStep.Contracts.Sessions;
using AceStep.Plugin.Processing;
using AceStep.Plugin.Parameters;
using AceStep.Plugin.Timeline;

namespace AceStep.Plugin.Session;

/// <summary>Assembles the <see cref="SessionView"/> the control page shows from the instance's current state.</summary>
internal static class ViewBuilder
{
    /// <summary>Most bar lines sent (a very long range at a fast tempo would otherwise send thousands).</summary>
    private const int MaxBarLines = 512;

    public static SessionView Build(AceStepProcessor processor, JobRange range, in TransportSnapshot transport, SessionJob job,
        SessionSettings settings, SessionWaveform? capture, IReadOnlyList<TakeView> takes)
    {
        double rate = processor.Setup.SampleRate;
        bool hasRange = range.Source != JobRangeSource.Unresolved && rate > 0;
        bool hasTempo = (transport.Fields & TransportFields.Tempo) != 0;
        bool hasSignature = (transport.Fields & TransportFields.TimeSignature) != 0;
        var position = transport;
        return new SessionView
        {
            HostName = processor.HostName,
            TrackName = processor.Track?.Name,
            TrackColor = processor.Track?.CssColor,
            SampleRate = rate,
            Context = new SessionContext
            {
                Tempo = hasTempo ? transport.Tempo : null,
                Numerator = hasSignature ? transport.Numerator : null,
                Denominator = hasSignature ? transport.Denominator : null,
                RangeStart = hasRange ? range.StartSamples / rate : null,
                RangeEnd = hasRange ? range.EndSamples / rate : null,
                RangeStartBar = hasRange && hasSignature ? Bar(transport, range.StartSamples) : null,
                RangeEndBar = hasRange && hasSignature ? Bar(transport, range.EndSamples) : null,
                RangeSource = range.Source switch
                {
                    JobRangeSource.HostSelection => "hostSelection",
                    JobRangeSource.Cycle => "cycle",
                    JobRangeSource.Bars => "parameters",
                    _ => null,
                },
                BarLines = capture is not null && hasTempo && hasSignature ? BarLines(transport, capture.Start, capture.Start + capture.Duration) : [],
            },
            Capture = capture,
            Settings = settings,
            Job = job,
            Takes = [.. takes.Select(t => new SessionTake
            {
                Id = t.Saved.Id,
                Start = t.Saved.Position / t.Saved.SampleRate,
                StartBar = hasSignature && t.Saved.SampleRate == rate ? Bar(position, t.Saved.Position) : null,
                Duration = t.Saved.Frames / t.Saved.SampleRate,
                Seed = t.Saved.Seed,
                Settings = t.Saved.Settings,
                Active = t.Active,
                Missing = t.Missing,
                File = t.Saved.File.Length == 0 ? null : t.Saved.File,
                Waveform = t.Peaks is { } peaks ? new SessionWaveform { Start = t.Saved.Position / t.Saved.SampleRate, Duration = t.Saved.Frames / t.Saved.SampleRate, Peaks = peaks } : null,
                AudioUrl = t.AudioUrl,
            })],
            Listen = processor.Plain(ParameterId.Listen) >= 1 ? "take" : "original",
        };
    }

    // A sample position on the host's ruler, through the latest block's tempo (constant since bar 1, as bar numbers).
    // Hosts round their ppq (Ardour: to 1/1920 quarter), so the conversion can land a tick before a bar line: rounding
    // to 1/480 quarter first keeps "3.1.1" from reading "2.3.4"; the label shows sixteenths only.
    private static string? Bar(in TransportSnapshot transport, long samples) =>
        transport.TryPpqFromSamples(samples, out double ppq)
            ? TakeNaming.Display(Math.Round(ppq * 480) / 480, transport.Numerator, transport.Denominator)
            : null;

    // Bar starts between two times, from the latest block's tempo and metre (constant since bar 1, as everywhere else).
    private static List<double> BarLines(in TransportSnapshot transport, double from, double to)
    {
        var lines = new List<double>();
        if (!(transport.Tempo > 0) || transport.Numerator <= 0 || transport.Denominator <= 0 || !(transport.SampleRate > 0))
            return lines;
        double perBar = TransportSnapshot.QuarterNotesPerBar(transport.Numerator, transport.Denominator);
        double secondsPerQuarter = 60.0 / transport.Tempo;
        // Anchor on the block: its ppq at its time, so the lines agree with the host's grid near the play position.
        double blockSeconds = transport.ProjectTimeSamples / transport.SampleRate;
        double ppqAtFrom = transport.Ppq + ((from - blockSeconds) / secondsPerQuarter);
        double bar = Math.Ceiling(ppqAtFrom / perBar);
        for (int i = 0; i < MaxBarLines; i++, bar++)
        {
            double seconds = blockSeconds + (((bar * perBar) - transport.Ppq) * secondsPerQuarter);
            if (seconds > to)
                break;
            if (seconds >= from)
                lines.Add(seconds);
        }

        return lines;
    }
}
