using System.Globalization;
using System.Xml.Linq;

namespace AceStep.Ardour.Tests;

/// <summary>Reads and patches an Ardour 7 session file (<c>name.ardour</c>, XML).</summary>
internal static class SessionFile
{
    /// <summary>Ardour 7 positions ("a…" values) count superclock ticks: this many per second.</summary>
    public const long SuperclockPerSecond = 282_240_000;

    /// <summary>
    /// Adds an auto-loop range. Ardour's Lua API has no way to create one (<c>Locations:add_range</c> makes range
    /// markers only), so the saved XML gets the Location element the GUI would have written.
    /// </summary>
    public static void AddLoopRange(string path, long startSample, long endSample, int sampleRate)
    {
        var document = XDocument.Load(path);
        var locations = document.Root?.Element("Locations") ?? throw new ArdourRunException($"{path} has no <Locations> element");
        if (locations.Elements("Location").Any(l => ((string?)l.Attribute("flags") ?? "").Contains("IsAutoLoop", StringComparison.Ordinal)))
        {
            throw new ArdourRunException($"{path} already has a loop range");
        }

        locations.Add(new XElement(
            "Location",
            new XAttribute("id", "990001"),
            new XAttribute("name", "Loop"),
            new XAttribute("start", "a" + Superclock(startSample, sampleRate)),
            new XAttribute("end", "a" + Superclock(endSample, sampleRate)),
            new XAttribute("flags", "IsAutoLoop,IsHidden"),
            new XAttribute("locked", "0"),
            new XAttribute("timestamp", "0"),
            new XAttribute("cue", "0")));
        document.Save(path);
    }

    /// <summary>The VST3 preset chunk Ardour stored for the (only) VST3 plugin in the session.</summary>
    public static byte[] PluginChunk(string path)
    {
        var processors = XDocument.Load(path).Descendants("Processor").Where(p => (string?)p.Attribute("type") == "vst3").ToList();
        if (processors.Count != 1)
        {
            throw new ArdourRunException($"{path} holds {processors.Count} VST3 processors, expected 1");
        }

        string text = processors[0].Element("vst3")?.Element("chunk")?.Value
            ?? throw new ArdourRunException($"{path}: the VST3 processor has no <vst3><chunk>");
        return Convert.FromBase64String(text.Trim());
    }

    private static long Superclock(long sample, int sampleRate)
    {
        if (sample * SuperclockPerSecond % sampleRate != 0)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"sample {sample} is not a whole number of superclock ticks at {sampleRate} Hz"));
        }

        return sample * SuperclockPerSecond / sampleRate;
    }
}
