using System.Globalization;
using System.Text;

namespace AceStep.Plugin.Editor;

/// <summary>
/// The text of one field with a caret and a selection: what a text box needs, without drawing. Positions are UTF-16
/// indices that never fall inside a grapheme cluster (a surrogate pair, an accent combined with its letter), so arrows
/// and backspace move over what the producer sees as one character — "é", "中" or an emoji alike.
/// </summary>
internal sealed class TextBuffer
{
    private readonly StringBuilder _text = new();

    public TextBuffer(bool multiline, int maxLength)
    {
        Multiline = multiline;
        MaxLength = maxLength;
    }

    /// <summary>Whether Return inserts a line break (lyrics) or is left to the caller (prompt).</summary>
    public bool Multiline { get; }

    /// <summary>Longest text accepted, in UTF-16 units (the page's maxlength).</summary>
    public int MaxLength { get; }

    public string Text => _text.ToString();

    /// <summary>Where the caret is.</summary>
    public int Caret { get; private set; }

    /// <summary>The other end of the selection; equal to <see cref="Caret"/> when nothing is selected.</summary>
    public int Anchor { get; private set; }

    public bool HasSelection => Caret != Anchor;

    public int SelectionStart => Math.Min(Caret, Anchor);

    public int SelectionEnd => Math.Max(Caret, Anchor);

    public string SelectedText => _text.ToString(SelectionStart, SelectionEnd - SelectionStart);

    /// <summary>Replaces the whole text (an update from the page); keeps the caret where it can.</summary>
    public void SetText(string text)
    {
        if (text == Text)
            return;
        _text.Clear().Append(text.Length > MaxLength ? text[..MaxLength] : text);
        Caret = Snap(Math.Min(Caret, _text.Length));
        Anchor = Snap(Math.Min(Anchor, _text.Length));
    }

    /// <summary>Types <paramref name="input"/> over the selection. Line breaks are dropped from a single-line field.</summary>
    /// <returns>Whether the text changed.</returns>
    public bool Insert(string input)
    {
        if (!Multiline)
            input = input.Replace("\r\n", " ", StringComparison.Ordinal).Replace('\n', ' ').Replace('\r', ' ');
        else
            input = input.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        input = new string([.. input.Where(c => c == '\n' || c == '\t' || !char.IsControl(c))]);
        bool hadSelection = HasSelection;
        DeleteSelection();
        int room = MaxLength - _text.Length;
        if (input.Length > room)
            input = input[..CutPoint(input, room)];
        if (input.Length == 0)
            return hadSelection;
        _text.Insert(Caret, input);
        Caret += input.Length;
        Anchor = Caret;
        return true;
    }

    public bool Backspace(bool word)
    {
        if (DeleteSelection())
            return true;
        if (Caret == 0)
            return false;
        int from = word ? WordLeft(Caret) : Previous(Caret);
        _text.Remove(from, Caret - from);
        Caret = Anchor = from;
        return true;
    }

    public bool Delete(bool word)
    {
        if (DeleteSelection())
            return true;
        if (Caret >= _text.Length)
            return false;
        int to = word ? WordRight(Caret) : Next(Caret);
        _text.Remove(Caret, to - Caret);
        return true;
    }

    public void MoveLeft(bool select, bool word)
    {
        if (!select && HasSelection)
            MoveTo(SelectionStart, false);
        else
            MoveTo(word ? WordLeft(Caret) : Previous(Caret), select);
    }

    public void MoveRight(bool select, bool word)
    {
        if (!select && HasSelection)
            MoveTo(SelectionEnd, false);
        else
            MoveTo(word ? WordRight(Caret) : Next(Caret), select);
    }

    /// <summary>Start of the caret's line (the whole text when <paramref name="wholeText"/>).</summary>
    public void Home(bool select, bool wholeText) => MoveTo(wholeText ? 0 : LineStart(Caret), select);

    public void End(bool select, bool wholeText) => MoveTo(wholeText ? _text.Length : LineEnd(Caret), select);

    /// <summary>Up or down one line, keeping the column (in characters) where the line is long enough.</summary>
    public void MoveLine(int delta, bool select)
    {
        int start = LineStart(Caret);
        int column = Caret - start;
        int target;
        if (delta < 0)
        {
            if (start == 0)
            {
                MoveTo(0, select);
                return;
            }

            int previousStart = LineStart(start - 1);
            target = Math.Min(previousStart + column, start - 1);
        }
        else
        {
            int end = LineEnd(Caret);
            if (end >= _text.Length)
            {
                MoveTo(_text.Length, select);
                return;
            }

            target = Math.Min(end + 1 + column, LineEnd(end + 1));
        }

        MoveTo(Snap(target), select);
    }

    public void SelectAll()
    {
        Anchor = 0;
        Caret = _text.Length;
    }

    /// <summary>Puts the caret at <paramref name="index"/> (snapped to a character boundary); extends the selection when <paramref name="select"/>.</summary>
    public void MoveTo(int index, bool select)
    {
        Caret = Snap(Math.Clamp(index, 0, _text.Length));
        if (!select)
            Anchor = Caret;
    }

    /// <summary>Selects the word around <paramref name="index"/> (double click).</summary>
    public void SelectWord(int index)
    {
        index = Snap(Math.Clamp(index, 0, _text.Length));
        int start = index;
        while (start > 0 && IsWordChar(_text[start - 1]))
            start--;
        int end = index;
        while (end < _text.Length && IsWordChar(_text[end]))
            end++;
        Anchor = start;
        Caret = end;
    }

    /// <summary>Character boundaries (grapheme clusters) of the text, from 0 to its length.</summary>
    public static List<int> Boundaries(string text)
    {
        var result = new List<int> { 0 };
        int i = 0;
        while (i < text.Length)
        {
            i += Math.Max(1, StringInfo.GetNextTextElementLength(text, i));
            result.Add(Math.Min(i, text.Length));
        }

        return result;
    }

    private bool DeleteSelection()
    {
        if (!HasSelection)
            return false;
        int start = SelectionStart;
        _text.Remove(start, SelectionEnd - start);
        Caret = Anchor = start;
        return true;
    }

    private int Previous(int index)
    {
        int previous = 0;
        foreach (int b in Boundaries(Text))
        {
            if (b >= index)
                break;
            previous = b;
        }

        return previous;
    }

    private int Next(int index)
    {
        foreach (int b in Boundaries(Text))
        {
            if (b > index)
                return b;
        }

        return _text.Length;
    }

    private int Snap(int index)
    {
        if (index <= 0 || index >= _text.Length)
            return Math.Clamp(index, 0, _text.Length);
        int snapped = 0;
        foreach (int b in Boundaries(Text))
        {
            if (b > index)
                break;
            snapped = b;
        }

        return snapped;
    }

    private int WordLeft(int index)
    {
        int i = index;
        while (i > 0 && !IsWordChar(_text[i - 1]))
            i--;
        while (i > 0 && IsWordChar(_text[i - 1]))
            i--;
        return Snap(i);
    }

    private int WordRight(int index)
    {
        int i = index;
        while (i < _text.Length && !IsWordChar(_text[i]))
            i++;
        while (i < _text.Length && IsWordChar(_text[i]))
            i++;
        return Snap(i);
    }

    private int LineStart(int index)
    {
        int i = Math.Min(index, _text.Length);
        while (i > 0 && _text[i - 1] != '\n')
            i--;
        return i;
    }

    private int LineEnd(int index)
    {
        int i = index;
        while (i < _text.Length && _text[i] != '\n')
            i++;
        return i;
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '\'' || char.IsSurrogate(c) || c > 0x2E80;

    // The longest prefix of at most `room` units that does not split a character.
    private static int CutPoint(string input, int room)
    {
        int cut = 0;
        foreach (int b in Boundaries(input))
        {
            if (b > room)
                break;
            cut = b;
        }

        return cut;
    }
}
