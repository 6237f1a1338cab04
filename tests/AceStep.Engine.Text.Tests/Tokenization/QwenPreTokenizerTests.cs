using AceStep.Engine.Text.Tokenization;

namespace AceStep.Engine.Text.Tests.Tokenization;

public sealed class QwenPreTokenizerTests
{
    public static TheoryData<string, string[]> Pieces => new()
    {
        { "Hello world", ["Hello", " world"] },
        { "it's", ["it", "'s"] },
        { "I'LL we've", ["I", "'LL", " we", "'ve"] },
        { "abc123", ["abc", "1", "2", "3"] },
        { "a  b", ["a", " ", " b"] },
        { "a\n\nb", ["a", "\n\n", "b"] },
        { "a \n b", ["a", " \n", " b"] },
        { "end   ", ["end", "   "] },
        { "!!!hi", ["!!!", "hi"] },
        { "!hi", ["!hi"] },
        { "x ?!\n\ny", ["x", " ?!\n\n", "y"] },
        { "a\tb", ["a", "\tb"] },
        { "hi 😀!", ["hi", " 😀!"] },
        { "中文 歌词", ["中文", " 歌词"] },
        // Letters and digits outside the BMP count as letters and digits (a .NET regex would not see them so).
        { "a𠀀b", ["a𠀀b"] },
        { "𝟘𝟙", ["𝟘", "𝟙"] },
        { " 's", [" '", "s"] },
        // The contraction group is case-insensitive the Unicode way: long s folds to s.
        { "x'\u017Fy", ["x", "'\u017F", "y"] },
        // A bracket directly before letters joins them (the optional non-letter prefix of the letter rule).
        { "[Verse]\nLa la", ["[Verse", "]\n", "La", " la"] },
    };

    [Theory]
    [MemberData(nameof(Pieces))]
    public void Text_splits_like_the_qwen_regex(string text, string[] expected)
    {
        var pieces = new List<(int Start, int Length)>();
        QwenPreTokenizer.Split(text, pieces);
        Assert.Equal(expected, pieces.Select(p => text.Substring(p.Start, p.Length)));
    }
}
