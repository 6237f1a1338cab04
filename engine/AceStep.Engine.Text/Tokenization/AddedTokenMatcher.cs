using System.Buffers;
using System.Globalization;

namespace AceStep.Engine.Text.Tokenization;

/// <summary>
/// Finds added tokens (<c>&lt;|endoftext|&gt;</c>, <c>&lt;think&gt;</c>, <c>&lt;|audio_code_N|&gt;</c>, ...) in raw
/// text, leftmost first and longest at a position, the way the reference tokenizer splits them out before
/// normalisation and BPE.
/// </summary>
/// <remarks>
/// The LM checkpoints add 65 535 audio-code tokens; they are recognised by parsing <c>&lt;|audio_code_</c>, the
/// digits and <c>|&gt;</c> and looking the number up in an array, so neither loading nor matching grows with their
/// count. The few remaining tokens are grouped by first character and tried longest first.
/// </remarks>
internal sealed class AddedTokenMatcher
{
    /// <summary>Text that opens every audio-code token.</summary>
    public const string AudioCodePrefix = "<|audio_code_";

    /// <summary>Text that closes every audio-code token.</summary>
    public const string AudioCodeSuffix = "|>";

    // Audio codes above this are kept with the generic tokens rather than sizing the lookup array after them.
    private const int MaxIndexedAudioCode = 1 << 20;

    private readonly Dictionary<char, string[]> _byFirstChar;
    private readonly Dictionary<string, int> _ids;
    private readonly int[] _audioCodeIds;
    private readonly SearchValues<char> _firstChars;

    /// <summary>Creates the matcher over the added tokens (content → id).</summary>
    public AddedTokenMatcher(IReadOnlyDictionary<string, int> addedTokens)
    {
        ArgumentNullException.ThrowIfNull(addedTokens);
        var audio = new Dictionary<int, int>();
        _ids = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (content, id) in addedTokens)
        {
            if (TryParseAudioCode(content, 0, out var code, out var length) && length == content.Length && code < MaxIndexedAudioCode)
            {
                audio[code] = id;
            }
            else if (content.Length > 0)
            {
                _ids[content] = id;
            }
        }

        _audioCodeIds = new int[audio.Count == 0 ? 0 : audio.Keys.Max() + 1];
        Array.Fill(_audioCodeIds, -1);
        foreach (var (code, id) in audio)
        {
            _audioCodeIds[code] = id;
        }

        _byFirstChar = _ids.Keys
            .GroupBy(k => k[0])
            .ToDictionary(g => g.Key, g => g.OrderByDescending(k => k.Length).ToArray());
        var firstChars = _byFirstChar.Keys.ToList();
        if (_audioCodeIds.Length > 0 && !firstChars.Contains(AudioCodePrefix[0]))
        {
            firstChars.Add(AudioCodePrefix[0]);
        }

        _firstChars = SearchValues.Create(firstChars.ToArray());
    }

    /// <summary>Number of audio-code tokens (the largest code + 1; 0 when the tokenizer has none).</summary>
    public int AudioCodeCount => _audioCodeIds.Length;

    /// <summary>The id of <c>&lt;|audio_code_<paramref name="code"/>|&gt;</c>, or -1 when the tokenizer lacks it.</summary>
    public int AudioCodeId(int code) => (uint)code < (uint)_audioCodeIds.Length ? _audioCodeIds[code] : -1;

    /// <summary>
    /// Finds the first added token in <paramref name="text"/> at or after <paramref name="start"/>.
    /// </summary>
    /// <returns>True with its position, length and id; false when the rest of the text holds none.</returns>
    public bool TryFindNext(string text, int start, out int position, out int length, out int id)
    {
        var searchFrom = start;
        while (searchFrom < text.Length)
        {
            var offset = text.AsSpan(searchFrom).IndexOfAny(_firstChars);
            if (offset < 0)
            {
                break;
            }

            position = searchFrom + offset;
            if (TryMatchAt(text, position, out length, out id))
            {
                return true;
            }

            searchFrom = position + 1;
        }

        position = length = id = 0;
        return false;
    }

    private bool TryMatchAt(string text, int position, out int length, out int id)
    {
        length = 0;
        id = -1;
        if (_audioCodeIds.Length > 0 && TryParseAudioCode(text, position, out var code, out var codeLength)
            && AudioCodeId(code) is var codeId and >= 0)
        {
            length = codeLength;
            id = codeId;
        }

        if (_byFirstChar.TryGetValue(text[position], out var candidates))
        {
            var rest = text.AsSpan(position);
            foreach (var candidate in candidates)
            {
                if (candidate.Length <= length)
                {
                    break;
                }

                if (rest.StartsWith(candidate, StringComparison.Ordinal))
                {
                    length = candidate.Length;
                    id = _ids[candidate];
                    break;
                }
            }
        }

        return id >= 0;
    }

    /// <summary>
    /// Parses <c>&lt;|audio_code_N|&gt;</c> at <paramref name="position"/> with N written the canonical way (decimal,
    /// no sign, no leading zeros), which is how the tokenizer files spell every one of them.
    /// </summary>
    internal static bool TryParseAudioCode(string text, int position, out int code, out int length)
    {
        code = length = 0;
        var rest = text.AsSpan(position);
        if (!rest.StartsWith(AudioCodePrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var digits = rest[AudioCodePrefix.Length..];
        var digitCount = 0;
        while (digitCount < digits.Length && digitCount < 9 && char.IsAsciiDigit(digits[digitCount]))
        {
            digitCount++;
        }

        if (digitCount == 0 || (digitCount > 1 && digits[0] == '0')
            || !digits[digitCount..].StartsWith(AudioCodeSuffix, StringComparison.Ordinal))
        {
            return false;
        }

        code = int.Parse(digits[..digitCount], NumberStyles.None, CultureInfo.InvariantCulture);
        length = AudioCodePrefix.Length + digitCount + AudioCodeSuffix.Length;
        return true;
    }
}
