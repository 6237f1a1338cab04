using System.Text;

namespace AceStep.Engine.Text.Tokenization;

/// <summary>
/// Splits normalised text into the pieces BPE runs on, exactly as the Qwen2/Qwen3 pre-tokenizer regex does:
/// <code>(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+</code>
/// </summary>
/// <remarks>
/// Hand-written rather than a .NET <see cref="System.Text.RegularExpressions.Regex"/>: the reference implementation
/// matches on code points, while .NET regex classes see UTF-16 code units, so <c>\p{L}</c> and <c>\p{N}</c> would
/// miss every letter or digit outside the BMP (CJK Extension B, mathematical alphanumerics, ...). Each branch below
/// mirrors one alternative, tried in order, with the regex's backtracking worked out by hand. Every position matches
/// some alternative, so the pieces cover the text without gaps.
/// </remarks>
internal static class QwenPreTokenizer
{
    /// <summary>The pre-tokenizer pattern as Qwen's <c>tokenizer.json</c> spells it (checked when loading).</summary>
    public const string Pattern = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    /// <summary>Appends the (start, length) of each piece of <paramref name="text"/> to <paramref name="pieces"/>.</summary>
    public static void Split(ReadOnlySpan<char> text, List<(int Start, int Length)> pieces)
    {
        var pos = 0;
        while (pos < text.Length)
        {
            var end = MatchAt(text, pos);
            pieces.Add((pos, end - pos));
            pos = end;
        }
    }

    private static int MatchAt(ReadOnlySpan<char> text, int pos)
    {
        // (?i:'s|'t|'re|'ve|'m|'ll|'d)
        if (text[pos] == '\'' && pos + 1 < text.Length)
        {
            var c1 = FoldCase(text[pos + 1]);
            if (c1 is 's' or 't' or 'm' or 'd')
            {
                return pos + 2;
            }

            if (pos + 2 < text.Length)
            {
                var c2 = FoldCase(text[pos + 2]);
                if ((c1, c2) is ('r', 'e') or ('v', 'e') or ('l', 'l'))
                {
                    return pos + 3;
                }
            }
        }

        var (first, firstLength) = RuneAt(text, pos);
        var firstKind = Classify(first);

        // [^\r\n\p{L}\p{N}]?\p{L}+
        if (firstKind == Kind.Letter)
        {
            return SkipWhile(text, pos, Kind.Letter);
        }

        if (firstKind != Kind.Number && !IsCrLf(first) && pos + firstLength < text.Length
            && Classify(RuneAt(text, pos + firstLength).Rune) == Kind.Letter)
        {
            return SkipWhile(text, pos + firstLength, Kind.Letter);
        }

        // \p{N}
        if (firstKind == Kind.Number)
        {
            return pos + firstLength;
        }

        //  ?[^\s\p{L}\p{N}]+[\r\n]*
        var symbolStart = pos;
        if (text[pos] == ' ' && pos + 1 < text.Length && Classify(RuneAt(text, pos + 1).Rune) == Kind.Other)
        {
            symbolStart = pos + 1;
        }

        if (Classify(RuneAt(text, symbolStart).Rune) == Kind.Other)
        {
            var end = SkipWhile(text, symbolStart, Kind.Other);
            while (end < text.Length && text[end] is '\r' or '\n')
            {
                end++;
            }

            return end;
        }

        // Only whitespace is left here; whitespace is all in the BMP, so chars and code points coincide.
        var runEnd = SkipWhile(text, pos, Kind.Space);

        // \s*[\r\n]+ : backtracking leaves the match ending just after the run's last CR or LF.
        var lastBreak = text[pos..runEnd].LastIndexOfAny('\r', '\n');
        if (lastBreak >= 0)
        {
            return pos + lastBreak + 1;
        }

        // \s+(?!\S) : the whole run at the end of the text, otherwise all but its last character.
        if (runEnd == text.Length || runEnd - 1 > pos)
        {
            return runEnd == text.Length ? runEnd : runEnd - 1;
        }

        // \s+
        return runEnd;
    }

    private enum Kind
    {
        Letter,
        Number,
        Space,
        Other,
    }

    private static Kind Classify(Rune rune) =>
        Rune.IsLetter(rune) ? Kind.Letter
        : Rune.IsNumber(rune) ? Kind.Number
        : Rune.IsWhiteSpace(rune) ? Kind.Space
        : Kind.Other;

    // Case-insensitive as in the reference: ASCII case, plus U+017F LATIN SMALL LETTER LONG S, whose case folding is
    // 's' (no other character folds to s, t, r, e, v, m, l or d).
    private static char FoldCase(char c) => c switch
    {
        >= 'A' and <= 'Z' => (char)(c | 0x20),
        '\u017F' => 's',
        _ => c,
    };

    private static bool IsCrLf(Rune rune) => rune.Value is '\r' or '\n';

    private static (Rune Rune, int Length) RuneAt(ReadOnlySpan<char> text, int pos)
    {
        Rune.DecodeFromUtf16(text[pos..], out var rune, out var length);
        return (rune, length);
    }

    private static int SkipWhile(ReadOnlySpan<char> text, int pos, Kind kind)
    {
        while (pos < text.Length)
        {
            var (rune, length) = RuneAt(text, pos);
            if (Classify(rune) != kind)
            {
                break;
            }

            pos += length;
        }

        return pos;
    }
}
