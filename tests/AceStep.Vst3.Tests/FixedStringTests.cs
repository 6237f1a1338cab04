using AceStep.Vst3;

namespace AceStep.Vst3.Tests;

public class FixedStringTests
{
    [Fact]
    public void Short_text_round_trips_and_is_nul_terminated()
    {
        var s = CString32.From("Audio Module Class");
        Assert.Equal("Audio Module Class", s.ToString());
        Assert.Equal(0, s[18]);
    }

    [Fact]
    public void Too_long_text_is_cut_leaving_room_for_the_nul()
    {
        // Input: 40 ASCII letters into char8[32].
        var s = CString32.From(new string('a', 40));
        Assert.Equal(new string('a', 31), s.ToString());
        Assert.Equal(0, s[31]);

        var w = String64.From(new string('b', 100));
        Assert.Equal(63, w.ToString().Length);
        Assert.Equal('\0', w[63]);
    }

    [Fact]
    public void Utf8_is_never_cut_inside_a_character()
    {
        // Input: 30 ASCII letters then 'é' (2 bytes in UTF-8) into char8[32]: 30 + 2 = 32 bytes, no room for the NUL.
        var s = CString32.From(new string('x', 30) + "é");
        Assert.Equal(new string('x', 30), s.ToString());
    }

    [Fact]
    public void Utf16_is_never_cut_inside_a_surrogate_pair()
    {
        // Input: 62 letters then U+1F3B5 (a surrogate pair) into char16[64]: only one slot is left before the NUL.
        var w = String64.From(new string('x', 62) + "\U0001F3B5");
        Assert.Equal(new string('x', 62), w.ToString());
    }

    [Fact]
    public void Set_clears_previous_content()
    {
        var s = CString64.From("a long previous value");
        s.Set("ab");
        Assert.Equal("ab", s.ToString());
        Assert.All(s.AsSpan()[2..].ToArray(), b => Assert.Equal(0, b));
    }

    [Fact]
    public void Unicode_names_are_utf16()
    {
        var w = String128.From("Grüße");
        Assert.Equal("Grüße", w.ToString());
        Assert.Equal('ü', w[2]);
    }
}
