using SkiaSharp;

namespace AceStep.Plugin.Editor;

/// <summary>
/// The typefaces the editor draws with, and text drawing that falls back per character to a system font that has the
/// glyph (CJK, accents outside the UI font): the prompt and lyrics may be in any script.
/// </summary>
internal sealed class EditorFonts : IDisposable
{
    private readonly Dictionary<int, SKTypeface?> _fallbacks = [];
    private readonly bool _fallbackToSystem;

    private EditorFonts(SKTypeface ui, SKTypeface bold, SKTypeface mono, bool fallbackToSystem)
    {
        Ui = ui;
        Bold = bold;
        Mono = mono;
        _fallbackToSystem = fallbackToSystem;
    }

    public SKTypeface Ui { get; }

    public SKTypeface Bold { get; }

    public SKTypeface Mono { get; }

    /// <summary>The system's sans-serif and monospace fonts (fontconfig on Linux), with per-character fallback.</summary>
    /// <remarks>
    /// Windows knows no "sans-serif" family, and its default typeface can be empty (Wine's is: no glyphs, so the editor
    /// drew no text), so Windows' own UI and monospace families come next, then any installed family.
    /// </remarks>
    public static EditorFonts System()
    {
        var ui = FirstWithGlyphs(SKFontStyle.Normal, "sans-serif", "Segoe UI", "Arial", "DejaVu Sans");
        var bold = FirstWithGlyphs(SKFontStyle.Bold, "sans-serif", "Segoe UI", "Arial", "DejaVu Sans") ?? ui;
        var mono = FirstWithGlyphs(SKFontStyle.Normal, "monospace", "Consolas", "Courier New", "DejaVu Sans Mono") ?? ui;
        ui ??= AnyInstalledFamily() ?? SKTypeface.Default;
        return new EditorFonts(ui, bold ?? ui, mono ?? ui, fallbackToSystem: true);
    }

    private static SKTypeface? FirstWithGlyphs(SKFontStyle style, params string[] families)
    {
        foreach (string family in families)
        {
            var typeface = SKTypeface.FromFamilyName(family, style);
            if (typeface is { GlyphCount: > 0 })
                return typeface;
            typeface?.Dispose();
        }

        return null;
    }

    private static SKTypeface? AnyInstalledFamily()
    {
        foreach (string family in SKFontManager.Default.FontFamilies)
        {
            if (FirstWithGlyphs(SKFontStyle.Normal, family) is { } typeface)
                return typeface;
        }

        return null;
    }

    /// <summary>Fonts from files and no system fallback: identical pixels on every machine (snapshot tests).</summary>
    public static EditorFonts FromFiles(string ui, string bold, string mono) =>
        new(SKTypeface.FromFile(ui) ?? throw new FileNotFoundException("No font in " + ui, ui),
            SKTypeface.FromFile(bold) ?? throw new FileNotFoundException("No font in " + bold, bold),
            SKTypeface.FromFile(mono) ?? throw new FileNotFoundException("No font in " + mono, mono),
            fallbackToSystem: false);

    /// <summary>Width of <paramref name="text"/> drawn with <paramref name="font"/>.</summary>
    public float Measure(string text, SKFont font)
    {
        float width = 0;
        foreach (var (run, typeface) in Runs(text, font.Typeface))
            width += WithTypeface(font, typeface, f => f.MeasureText(run));
        return width;
    }

    /// <summary>Draws <paramref name="text"/> at the baseline (x, y); returns the advance.</summary>
    public float Draw(SKCanvas canvas, string text, float x, float y, SKFont font, SKPaint paint)
    {
        float start = x;
        foreach (var (run, typeface) in Runs(text, font.Typeface))
        {
            float advance = x;
            WithTypeface(font, typeface, f =>
            {
                canvas.DrawText(run, advance, y, f, paint);
                return 0f;
            });
            x += WithTypeface(font, typeface, f => f.MeasureText(run));
        }

        return x - start;
    }

    /// <summary>Cuts <paramref name="text"/> with an ellipsis so it fits <paramref name="width"/>.</summary>
    public string Fit(string text, SKFont font, float width)
    {
        if (Measure(text, font) <= width)
            return text;
        var bounds = TextBuffer.Boundaries(text);
        for (int i = bounds.Count - 1; i > 0; i--)
        {
            string cut = text[..bounds[i - 1]] + "…";
            if (Measure(cut, font) <= width)
                return cut;
        }

        return "…";
    }

    /// <summary>Breaks <paramref name="text"/> into lines of at most <paramref name="width"/> at spaces (long words are cut).</summary>
    public List<string> Wrap(string text, SKFont font, float width)
    {
        var lines = new List<string>();
        var line = "";
        foreach (var word in text.Split(' '))
        {
            string candidate = line.Length == 0 ? word : line + " " + word;
            if (Measure(candidate, font) <= width || line.Length == 0)
            {
                line = candidate;
                continue;
            }

            lines.Add(line);
            line = word;
        }

        if (line.Length > 0)
            lines.Add(line);
        return [.. lines.Select(l => Fit(l, font, width))];
    }

    public void Dispose()
    {
        foreach (var typeface in _fallbacks.Values.Distinct())
            typeface?.Dispose();
        Ui.Dispose();
        if (!ReferenceEquals(Bold, Ui))
            Bold.Dispose();
        if (!ReferenceEquals(Mono, Ui))
            Mono.Dispose();
    }

    private static float WithTypeface(SKFont font, SKTypeface typeface, Func<SKFont, float> use)
    {
        if (ReferenceEquals(typeface, font.Typeface))
            return use(font);
        using var other = new SKFont(typeface, font.Size) { Edging = font.Edging, Subpixel = font.Subpixel, Hinting = font.Hinting };
        return use(other);
    }

    // Splits the text into runs drawn by one typeface each: the font's own where it has the glyph, else a fallback.
    private List<(string Run, SKTypeface Typeface)> Runs(string text, SKTypeface primary)
    {
        var runs = new List<(string, SKTypeface)>();
        if (text.Length == 0)
            return runs;
        int runStart = 0;
        SKTypeface? current = null;
        for (int i = 0; i < text.Length;)
        {
            int codepoint = CodePoints.Read(text, i, out int units);
            var typeface = TypefaceFor(codepoint, primary);
            if (current is not null && !ReferenceEquals(typeface, current))
            {
                runs.Add((text[runStart..i], current));
                runStart = i;
            }

            current = typeface;
            i += units;
        }

        runs.Add((text[runStart..], current!));
        return runs;
    }

    private SKTypeface TypefaceFor(int codepoint, SKTypeface primary)
    {
        if (!_fallbackToSystem || codepoint < 0x250 || primary.ContainsGlyph(codepoint))
            return primary;
        if (!_fallbacks.TryGetValue(codepoint, out var fallback))
        {
            fallback = SKFontManager.Default.MatchCharacter(primary.FamilyName, primary.FontStyle, null, codepoint);
            _fallbacks[codepoint] = fallback;
        }

        return fallback ?? primary;
    }
}

internal static class CodePoints
{
    /// <summary>The code point at <paramref name="index"/> and how many UTF-16 units it takes (a lone surrogate reads as U+FFFD).</summary>
    public static int Read(string text, int index, out int units)
    {
        if (char.IsHighSurrogate(text[index]) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]))
        {
            units = 2;
            return char.ConvertToUtf32(text[index], text[index + 1]);
        }

        units = 1;
        return char.IsSurrogate(text[index]) ? 0xFFFD : text[index];
    }
}
