namespace AceStep.Plugin.Editor;

/// <summary>X11 keysyms to the editor's keys and to text (when no input method composed the text).</summary>
internal static class X11Keys
{
    public static EditorKey ToEditorKey(uint keysym, bool control)
    {
        EditorKey key = keysym switch
        {
            0xFF08 => EditorKey.Backspace,
            0xFF09 or 0xFE20 => EditorKey.Tab, // Tab, ISO_Left_Tab (Shift+Tab)
            0xFF0D or 0xFF8D => EditorKey.Return, // Return, KP_Enter
            0xFF1B => EditorKey.Escape,
            0xFFFF or 0xFF9F => EditorKey.Delete,
            0xFF50 or 0xFF95 => EditorKey.Home,
            0xFF51 or 0xFF96 => EditorKey.Left,
            0xFF52 or 0xFF97 => EditorKey.Up,
            0xFF53 or 0xFF98 => EditorKey.Right,
            0xFF54 or 0xFF99 => EditorKey.Down,
            0xFF55 or 0xFF9A => EditorKey.PageUp,
            0xFF56 or 0xFF9B => EditorKey.PageDown,
            0xFF57 or 0xFF9C => EditorKey.End,
            _ => EditorKey.None,
        };
        if (key != EditorKey.None || !control)
            return key;
        return (keysym | 0x20) switch
        {
            'a' => EditorKey.A,
            'c' => EditorKey.C,
            'v' => EditorKey.V,
            'x' => EditorKey.X,
            _ => EditorKey.None,
        };
    }

    /// <summary>
    /// The text of a keysym: Latin-1 keysyms are their code points, Unicode keysyms (0x01000000 + U) carry theirs
    /// (what xdotool and most layouts send for CJK and rarer letters); others have none.
    /// </summary>
    public static string? ToText(uint keysym)
    {
        if (keysym is >= 0x20 and <= 0x7E or >= 0xA0 and <= 0xFF)
            return ((char)keysym).ToString();
        if (keysym is >= 0x01000100 and <= 0x0110FFFF)
        {
            int codepoint = (int)(keysym - 0x01000000);
            return codepoint is >= 0xD800 and <= 0xDFFF ? null : char.ConvertFromUtf32(codepoint);
        }

        return null;
    }
}
