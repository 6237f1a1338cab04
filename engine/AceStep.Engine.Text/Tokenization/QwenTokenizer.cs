using System.Text;
using AceStep.Engine.Text.Unicode;

namespace AceStep.Engine.Text.Tokenization;

/// <summary>
/// The Qwen2/Qwen3 byte-level BPE tokenizer (Qwen3-Embedding-0.6B and the 5 Hz LM checkpoints), loaded from a
/// checkpoint directory in the Hugging Face layout. Added tokens (<c>&lt;|endoftext|&gt;</c>, <c>&lt;|im_start|&gt;</c>,
/// <c>&lt;think&gt;</c>, <c>&lt;|audio_code_N|&gt;</c>, ...) written in the text become single ids; the rest is NFC-normalised,
/// split by the Qwen pre-tokenizer rules and byte-pair merged. With <c>addSpecialTokens</c> the file's
/// <c>post_processor</c> is applied as Hugging Face's <c>tokenizer(text)</c> does by default (see
/// <see cref="TokenPostProcessor"/>: Qwen3-Embedding appends <c>&lt;|endoftext|&gt;</c>, the LM's file adds nothing);
/// without it nothing is added. Thread-safe after loading.
/// </summary>
/// <remarks>
/// Written here rather than on Microsoft.ML.Tokenizers 2.0.1, whose byte-level <c>BpeTokenizer</c> would otherwise
/// do: its <c>RegexPreTokenizer</c> runs a .NET regex over UTF-16 code units, so <c>\p{L}</c>/<c>\p{N}</c> miss
/// letters and digits outside the BMP and those pieces split differently from the reference; it has no NFC
/// normaliser, and <see cref="string.Normalize()"/> is a no-op under the engine's InvariantGlobalization; and it
/// finds special tokens through one regex alternation, which with the LM's 65 535 audio-code tokens is slow to
/// build and to run. The whole algorithm is small (see <see cref="QwenPreTokenizer"/>, <see cref="BytePairMerger"/>,
/// <see cref="AddedTokenMatcher"/>).
/// </remarks>
public sealed class QwenTokenizer
{
    /// <summary>The pad token when the files name none (Qwen pads with <c>&lt;|endoftext|&gt;</c>).</summary>
    public const string DefaultPadToken = "<|endoftext|>";

    private readonly Dictionary<string, int> _vocabulary;
    private readonly Dictionary<string, int> _addedIds;
    private readonly BytePairMerger _merger;
    private readonly AddedTokenMatcher _addedTokens;
    private readonly string?[] _tokenById;
    private readonly bool[] _isAddedById;
    private readonly HashSet<int> _specialIds;
    private readonly bool _ignoreMerges;
    private readonly bool _normalizeNfc;
    private readonly Dictionary<int, int> _audioCodeById;

    private QwenTokenizer(TokenizerDefinition definition, string directory)
    {
        Directory = directory;
        _vocabulary = definition.Vocabulary;
        _addedIds = definition.AddedTokens;
        _ignoreMerges = definition.IgnoreMerges;
        _normalizeNfc = definition.NormalizeNfc;
        _specialIds = definition.SpecialTokenIds;

        var byteTokenIds = new int[256];
        for (var b = 0; b < 256; b++)
        {
            var text = ByteLevelAlphabet.ToChar((byte)b).ToString();
            if (!_vocabulary.TryGetValue(text, out byteTokenIds[b]))
            {
                throw TokenizerFileException.For(
                    definition.VocabularySource,
                    $"the vocabulary lacks the byte-level token \"{text}\" for byte 0x{b:X2}; it is not a byte-level BPE vocabulary.");
            }
        }

        var merges = new Dictionary<long, (int Rank, int Merged)>(definition.Merges.Count);
        for (var rank = 0; rank < definition.Merges.Count; rank++)
        {
            var (left, right) = definition.Merges[rank];
            if (!_vocabulary.TryGetValue(left, out var leftId) || !_vocabulary.TryGetValue(right, out var rightId)
                || !_vocabulary.TryGetValue(left + right, out var mergedId))
            {
                throw TokenizerFileException.For(
                    definition.MergesSource,
                    $"merge {rank} (\"{left} {right}\") uses or produces a token missing from the vocabulary.");
            }

            // A repeated pair keeps its first (lowest) rank, as the reference does.
            merges.TryAdd(BytePairMerger.PairKey(leftId, rightId), (rank, mergedId));
        }

        _merger = new BytePairMerger(merges, byteTokenIds);
        _addedTokens = new AddedTokenMatcher(definition.AddedTokens);

        var maxId = Math.Max(
            _vocabulary.Count == 0 ? -1 : _vocabulary.Values.Max(),
            definition.AddedTokens.Count == 0 ? -1 : definition.AddedTokens.Values.Max());
        _tokenById = new string?[maxId + 1];
        _isAddedById = new bool[maxId + 1];
        foreach (var (token, id) in _vocabulary)
        {
            _tokenById[id] = token;
        }

        _audioCodeById = [];
        foreach (var (token, id) in definition.AddedTokens)
        {
            _tokenById[id] = token;
            _isAddedById[id] = true;
            if (AddedTokenMatcher.TryParseAudioCode(token, 0, out var code, out var length) && length == token.Length)
            {
                _audioCodeById[id] = code;
            }
        }

        PostProcessor = definition.PostProcessor;
        PadTokenId = ResolveToken(definition.PadToken ?? DefaultPadToken, "pad", directory);
        EosTokenId = definition.EosToken is null ? null : ResolveToken(definition.EosToken, "eos", directory);
    }

    /// <summary>The directory the tokenizer was loaded from.</summary>
    public string Directory { get; }

    /// <summary>The padding id (from <c>tokenizer_config.json</c>'s <c>pad_token</c>; 151643 for Qwen3).</summary>
    public int PadTokenId { get; }

    /// <summary>The end-of-sequence id the files name (<c>eos_token</c>), when they name one.</summary>
    public int? EosTokenId { get; }

    /// <summary>What adding special tokens puts around a sequence (<c>tokenizer.json</c>'s <c>post_processor</c>).</summary>
    public TokenPostProcessor PostProcessor { get; }

    /// <summary>Largest token id + 1 (151 669 for Qwen3-Embedding, 217 204 for the LM checkpoints).</summary>
    public int VocabularySize => _tokenById.Length;

    /// <summary>Number of <c>&lt;|audio_code_N|&gt;</c> tokens (0 for Qwen3-Embedding, 65 535 for the LM).</summary>
    public int AudioCodeCount => _addedTokens.AudioCodeCount;

    /// <summary>
    /// Loads the tokenizer from <paramref name="directory"/>: <c>tokenizer.json</c> when present, otherwise
    /// <c>vocab.json</c> + <c>merges.txt</c> (+ <c>added_tokens.json</c>); the pad and end-of-sequence tokens from
    /// <c>tokenizer_config.json</c> or <c>special_tokens_map.json</c>.
    /// </summary>
    /// <exception cref="TokenizerFileException">A file is missing, malformed or describes an unsupported tokenizer.</exception>
    public static QwenTokenizer Load(string directory)
    {
        var definition = TokenizerFiles.Read(directory);
        return new QwenTokenizer(definition, directory);
    }

    /// <summary>
    /// Token ids of <paramref name="text"/>, at most <paramref name="maxLength"/> of them (right truncation, as
    /// <c>truncation=True, max_length=…</c> does). With <paramref name="addSpecialTokens"/> the
    /// <see cref="PostProcessor"/>'s ids are put around the text's, and the text is truncated to leave room for
    /// them (Hugging Face truncates to <c>max_length − added</c> first, then adds them).
    /// </summary>
    public int[] Encode(string text, int maxLength = int.MaxValue, bool addSpecialTokens = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfNegative(maxLength);
        if (!addSpecialTokens || PostProcessor.AddedCount == 0)
        {
            return EncodeText(text, maxLength);
        }

        var room = maxLength == int.MaxValue ? int.MaxValue : Math.Max(0, maxLength - PostProcessor.AddedCount);
        return PostProcessor.Apply(EncodeText(text, room));
    }

    private int[] EncodeText(string text, int maxLength)
    {
        var ids = new List<int>();
        var pieces = new List<(int Start, int Length)>();
        var position = 0;
        while (position < text.Length && ids.Count < maxLength)
        {
            if (!_addedTokens.TryFindNext(text, position, out var tokenStart, out var tokenLength, out var tokenId))
            {
                tokenStart = text.Length;
            }

            EncodePlain(text[position..tokenStart], ids, pieces, maxLength);
            if (tokenStart < text.Length)
            {
                ids.Add(tokenId);
                position = tokenStart + tokenLength;
            }
            else
            {
                position = text.Length;
            }
        }

        return ids.Count > maxLength ? ids.GetRange(0, maxLength).ToArray() : ids.ToArray();
    }

    /// <summary>Encodes each text (at most <paramref name="maxLength"/> ids, see <see cref="Encode"/>) and right-pads
    /// them with <see cref="PadTokenId"/>.</summary>
    public TokenBatch EncodeBatch(IReadOnlyList<string> texts, int maxLength, bool addSpecialTokens = false)
    {
        ArgumentNullException.ThrowIfNull(texts);
        return TokenBatch.RightPad(texts.Select(t => (IReadOnlyList<int>)Encode(t, maxLength, addSpecialTokens)).ToList(), PadTokenId);
    }

    /// <summary>Right-pads already encoded sequences with <see cref="PadTokenId"/> (mask 0 on padding).</summary>
    public TokenBatch Pad(IReadOnlyList<IReadOnlyList<int>> sequences) => TokenBatch.RightPad(sequences, PadTokenId);

    /// <summary>
    /// The text of <paramref name="ids"/>: bytes of BPE tokens joined and read as UTF-8 (an incomplete sequence
    /// becomes U+FFFD), added tokens as their text unless <paramref name="skipSpecialTokens"/> drops the special ones.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An id is not in the vocabulary.</exception>
    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = false)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var bytes = new List<byte>();
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var id in ids)
        {
            var token = (uint)id < (uint)_tokenById.Length ? _tokenById[id] : null;
            if (token is null)
            {
                throw new ArgumentOutOfRangeException(nameof(ids), id, $"Token id {id} is not in the vocabulary of {Directory}.");
            }

            if (_isAddedById[id])
            {
                if (!(skipSpecialTokens && _specialIds.Contains(id)))
                {
                    bytes.AddRange(Encoding.UTF8.GetBytes(token));
                }

                continue;
            }

            foreach (var rune in token.EnumerateRunes())
            {
                if (rune.IsBmp && ByteLevelAlphabet.TryGetByte((char)rune.Value, out var b))
                {
                    bytes.Add(b);
                }
                else
                {
                    // Not a byte-level character: keep it as text (cannot come from a well-formed vocabulary).
                    var count = rune.EncodeToUtf8(utf8);
                    bytes.AddRange(utf8[..count]);
                }
            }
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    /// <summary>The id of a vocabulary or added token written exactly as in the files.</summary>
    public bool TryGetTokenId(string token, out int id)
    {
        ArgumentNullException.ThrowIfNull(token);
        return _addedIds.TryGetValue(token, out id) || _vocabulary.TryGetValue(token, out id);
    }

    /// <summary>The token text of <paramref name="id"/> as the files write it (byte-level characters for BPE tokens); null when unknown.</summary>
    public string? IdToToken(int id) => (uint)id < (uint)_tokenById.Length ? _tokenById[id] : null;

    /// <summary>Whether <paramref name="id"/> is an added token (special or not) rather than a BPE token.</summary>
    public bool IsAddedToken(int id) => (uint)id < (uint)_isAddedById.Length && _isAddedById[id];

    /// <summary>The id of <c>&lt;|audio_code_<paramref name="code"/>|&gt;</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">This tokenizer has no such audio-code token.</exception>
    public int AudioCodeTokenId(int code)
    {
        var id = _addedTokens.AudioCodeId(code);
        return id >= 0
            ? id
            : throw new ArgumentOutOfRangeException(nameof(code), code, $"The tokenizer in {Directory} has no <|audio_code_{code}|> token ({AudioCodeCount} audio codes).");
    }

    /// <summary>The audio code N when <paramref name="tokenId"/> is <c>&lt;|audio_code_N|&gt;</c>.</summary>
    public bool TryGetAudioCode(int tokenId, out int code) => _audioCodeById.TryGetValue(tokenId, out code);

    private void EncodePlain(string segment, List<int> ids, List<(int Start, int Length)> pieces, int maxLength)
    {
        if (segment.Length == 0)
        {
            return;
        }

        var text = _normalizeNfc ? NfcNormalizer.Normalize(segment) : segment;
        pieces.Clear();
        QwenPreTokenizer.Split(text, pieces);
        byte[] buffer = [];
        foreach (var (start, length) in pieces)
        {
            if (ids.Count >= maxLength)
            {
                return;
            }

            var piece = text.AsSpan(start, length);
            var byteCount = Encoding.UTF8.GetByteCount(piece);
            if (buffer.Length < byteCount)
            {
                buffer = new byte[Math.Max(byteCount, 64)];
            }

            var bytes = buffer.AsSpan(0, Encoding.UTF8.GetBytes(piece, buffer));
            if (_ignoreMerges && _vocabulary.TryGetValue(ToByteLevel(bytes), out var whole))
            {
                ids.Add(whole);
                continue;
            }

            _merger.Merge(bytes, ids);
        }
    }

    private static string ToByteLevel(ReadOnlySpan<byte> bytes)
    {
        var chars = new char[bytes.Length];
        for (var i = 0; i < bytes.Length; i++)
        {
            chars[i] = ByteLevelAlphabet.ToChar(bytes[i]);
        }

        return new string(chars);
    }

    private int ResolveToken(string token, string role, string directory)
    {
        return TryGetTokenId(token, out var id)
            ? id
            : throw new TokenizerFileException(
                $"Tokenizer directory {directory}: the {role} token \"{token}\" named in {TokenizerFiles.TokenizerConfigJson} or {TokenizerFiles.SpecialTokensMapJson} is not in the vocabulary.")
            { FilePath = Path.Combine(directory, TokenizerFiles.TokenizerConfigJson) };
    }
}
