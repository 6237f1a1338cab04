using System.Text.Json;

namespace AceStep.Ardour.Tests;

/// <summary>One line of the plugin's ACESTEP_PLUGIN_TRACE file (fields in docs/ardour.md).</summary>
internal sealed class TraceEvent(JsonElement json)
{
    public JsonElement Json { get; } = json;

    /// <summary>"getState" or "setState".</summary>
    public string Event => Json.GetProperty("event").GetString()!;

    public string? Host => Json.GetProperty("host").GetString();

    public double SampleRate => Json.GetProperty("sampleRate").GetDouble();

    /// <summary>The state bytes (getState: what the plugin wrote; setState: what it read, serialized again).</summary>
    public byte[] State => Convert.FromBase64String(Json.GetProperty("state").GetString()!);

    /// <summary>The latest transport the processor published, if it had processed any block.</summary>
    public JsonElement? Transport => Json.TryGetProperty("transport", out var t) ? t : null;

    /// <summary>A parameter's plain value as the processor held it, by title.</summary>
    public double Parameter(string title) => Json.GetProperty("parameters").GetProperty(title).GetDouble();

    public override string ToString() => Json.GetRawText();
}

/// <summary>The lines of one trace file.</summary>
internal sealed class PluginTrace(IReadOnlyList<TraceEvent> events)
{
    public IReadOnlyList<TraceEvent> Events { get; } = events;

    public static PluginTrace Read(string path) =>
        new(File.Exists(path)
            ? [.. File.ReadAllLines(path).Where(l => l.Length > 0).Select(l => new TraceEvent(JsonDocument.Parse(l).RootElement.Clone()))]
            : []);

    public IEnumerable<TraceEvent> Named(string name) => Events.Where(e => e.Event == name);

    public override string ToString() => Events.Count == 0 ? "(no trace lines)" : string.Join('\n', Events);
}
