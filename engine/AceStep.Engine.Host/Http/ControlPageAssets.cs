using System.Collections.Frozen;
using System.Text;

namespace AceStep.Engine.Host.Http;

/// <summary>The page's files, embedded in the engine assembly (no build step, nothing fetched from elsewhere).</summary>
internal static class ControlPageAssets
{
    private static readonly FrozenDictionary<string, (byte[] Bytes, string ContentType)> s_assets = new Dictionary<string, (byte[], string)>
    {
        ["control.css"] = (Read("control.css"), "text/css; charset=utf-8"),
        ["control.js"] = (Read("control.js"), "text/javascript; charset=utf-8"),
        ["icon.svg"] = (Read("icon.svg"), "image/svg+xml"),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The page's HTML (with a title placeholder).</summary>
    public static string Page { get; } = Encoding.UTF8.GetString(Read("control.html"));

    /// <summary>An asset by file name, or null.</summary>
    public static (byte[] Bytes, string ContentType)? Find(string name) =>
        s_assets.TryGetValue(name, out var asset) ? asset : null;

    private static byte[] Read(string name)
    {
        using var stream = typeof(ControlPageAssets).Assembly.GetManifestResourceStream("AceStep.Engine.Host.ControlPage." + name)
            ?? throw new InvalidOperationException($"The control page asset {name} is not embedded in the engine; the build is broken.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
