using SkiaSharp;

namespace AceStep.Plugin.Editor;

/// <summary>The control page's palette (engine/AceStep.Engine.Host/Http/ControlPage/control.css), so both views look alike.</summary>
internal static class EditorTheme
{
    public static readonly SKColor Background = SKColor.Parse("#0f1216");
    public static readonly SKColor Panel = SKColor.Parse("#171b21");
    public static readonly SKColor Panel2 = SKColor.Parse("#1e242c");
    public static readonly SKColor Line = SKColor.Parse("#2a313b");
    public static readonly SKColor Text = SKColor.Parse("#e6e9ee");
    public static readonly SKColor Muted = SKColor.Parse("#8d97a5");
    public static readonly SKColor Accent = SKColor.Parse("#5eead4");
    public static readonly SKColor AccentInk = SKColor.Parse("#06201c");
    public static readonly SKColor Range = new(94, 234, 212, 36);
    public static readonly SKColor Bar = new(230, 233, 238, 56);
    public static readonly SKColor Danger = SKColor.Parse("#f87171");
    public static readonly SKColor WarnBackground = SKColor.Parse("#3b1d1d");
    public static readonly SKColor Focus = SKColor.Parse("#fbbf24");
    public static readonly SKColor Missing = new(248, 113, 113, 60);
    public static readonly SKColor Selection = new(94, 234, 212, 70);
}
