using AceStep.Contracts.Sessions;
using AceStep.Plugin.Editor;

namespace AceStep.Plugin.Editor.Tests;

/// <summary>Views as the plugin's worker builds them: a 120 BPM 4/4 project, a range over bars 5–8.</summary>
internal static class SampleViews
{
    public static SessionWaveform Capture()
    {
        var peaks = new float[400];
        for (int i = 0; i < 200; i++)
        {
            float level = 0.25f + (0.6f * MathF.Abs(MathF.Sin(i * 0.15f))) * (i % 8 == 0 ? 1 : 0.7f);
            peaks[2 * i] = -level;
            peaks[(2 * i) + 1] = level * 0.9f;
        }

        return new SessionWaveform { Start = 4, Duration = 16, Peaks = peaks };
    }

    public static SessionView Idle(IReadOnlyList<SessionTake>? takes = null, SessionJob? job = null) => new()
    {
        HostName = "REAPER",
        SampleRate = 48000,
        Context = new SessionContext
        {
            Tempo = 120,
            Numerator = 4,
            Denominator = 4,
            RangeStart = 8,
            RangeEnd = 16,
            RangeSource = "cycle",
            BarLines = [4, 6, 8, 10, 12, 14, 16, 18, 20],
        },
        Capture = Capture(),
        Settings = new SessionSettings { Prompt = "warm analog synth bass, tight drums", Lyrics = "[verse]\nla la la", Seed = 42 },
        Job = job ?? new SessionJob(),
        Takes = takes ?? [],
    };

    public static SessionTake Take(string id, bool active, long seed) => new()
    {
        Id = id,
        Start = 8,
        Duration = 8,
        Seed = seed,
        Active = active,
        File = $"/tmp/takes/{id}.wav",
        Settings = new SessionSettings { Prompt = "warm analog synth bass", Mode = "repaint" },
        Waveform = new SessionWaveform { Start = 8, Duration = 8, Peaks = [.. Enumerable.Range(0, 120).Select(i => (i % 2 == 0 ? -1f : 1f) * (0.2f + (0.5f * MathF.Abs(MathF.Sin(i * 0.2f)))))] },
    };

    public static EditorSnapshot Snapshot(SessionView view, params TimeRange[] missing) =>
        new() { View = view, Running = true, Missing = missing };
}
