using System.Globalization;
using System.Reflection;
using System.Text;

namespace AceStep.Engine.Text.Unicode;

/// <summary>
/// Unicode Normalization Form C (canonical decomposition, canonical ordering, canonical composition), as the Qwen
/// tokenizer's <c>NFC</c> normalizer applies before pre-tokenization.
/// </summary>
/// <remarks>
/// The engine runs with <c>InvariantGlobalization</c>, where <see cref="string.Normalize(NormalizationForm)"/>
/// silently returns its input unchanged, so the tables ship with the assembly (<c>nfc-data.txt</c>, written by
/// <c>generate_nfc_data.py</c> from Python's <c>unicodedata</c>). That also makes tokenization independent of
/// whichever ICU a machine happens to have.
/// </remarks>
internal static class NfcNormalizer
{
    private const int HangulSBase = 0xAC00;
    private const int HangulLBase = 0x1100;
    private const int HangulVBase = 0x1161;
    private const int HangulTBase = 0x11A7;
    private const int HangulLCount = 19;
    private const int HangulVCount = 21;
    private const int HangulTCount = 28;
    private const int HangulNCount = HangulVCount * HangulTCount;
    private const int HangulSCount = HangulLCount * HangulNCount;

    // Every code point below U+0300 has combining class 0, no decomposition and never composes with a
    // following code point, so a string made only of them is already NFC.
    private const char FirstCharNeedingWork = '\u0300';

    private static readonly Lazy<Tables> s_tables = new(Tables.Load);

    /// <summary>The Unicode version of the shipped tables.</summary>
    public static string UnicodeVersion => s_tables.Value.Version;

    /// <summary>Returns <paramref name="text"/> in NFC. Unpaired surrogates become U+FFFD.</summary>
    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.AsSpan().ContainsAnyExceptInRange('\0', (char)(FirstCharNeedingWork - 1)))
        {
            return text;
        }

        var tables = s_tables.Value;
        var decomposed = new List<int>(text.Length + 8);
        foreach (var rune in text.EnumerateRunes())
        {
            Decompose(rune.Value, tables, decomposed);
        }

        ReorderCanonically(decomposed, tables);
        Compose(decomposed, tables);

        var builder = new StringBuilder(decomposed.Count);
        foreach (var cp in decomposed)
        {
            builder.Append(new Rune(cp).ToString());
        }

        return builder.ToString();
    }

    private static void Decompose(int cp, Tables tables, List<int> output)
    {
        var sIndex = cp - HangulSBase;
        if (sIndex is >= 0 and < HangulSCount)
        {
            output.Add(HangulLBase + (sIndex / HangulNCount));
            output.Add(HangulVBase + (sIndex % HangulNCount / HangulTCount));
            var t = sIndex % HangulTCount;
            if (t != 0)
            {
                output.Add(HangulTBase + t);
            }

            return;
        }

        if (tables.Decompositions.TryGetValue(cp, out var full))
        {
            output.AddRange(full);
        }
        else
        {
            output.Add(cp);
        }
    }

    // Stable sort of every run of non-starters by combining class (insertion sort: runs are short).
    private static void ReorderCanonically(List<int> cps, Tables tables)
    {
        for (var i = 1; i < cps.Count; i++)
        {
            var ccc = tables.CombiningClass(cps[i]);
            if (ccc == 0)
            {
                continue;
            }

            var j = i;
            var cp = cps[i];
            while (j > 0 && tables.CombiningClass(cps[j - 1]) > ccc)
            {
                cps[j] = cps[j - 1];
                j--;
            }

            cps[j] = cp;
        }
    }

    // Canonical composition (UAX #15 §3.11): a character composes with the last starter when nothing between
    // them blocks it (an intervening character with a combining class equal to or above its own, or a starter).
    private static void Compose(List<int> cps, Tables tables)
    {
        if (cps.Count == 0)
        {
            return;
        }

        var starterPos = 0;
        var starter = cps[0];
        var lastClass = tables.CombiningClass(starter) == 0 ? 0 : 256;
        var write = 1;
        for (var read = 1; read < cps.Count; read++)
        {
            var cp = cps[read];
            var ccc = tables.CombiningClass(cp);
            var composite = ComposePair(starter, cp, tables);
            if (composite >= 0 && (lastClass < ccc || lastClass == 0))
            {
                cps[starterPos] = composite;
                starter = composite;
                continue;
            }

            if (ccc == 0)
            {
                starterPos = write;
                starter = cp;
            }

            lastClass = ccc;
            cps[write++] = cp;
        }

        cps.RemoveRange(write, cps.Count - write);
    }

    private static int ComposePair(int first, int second, Tables tables)
    {
        var lIndex = first - HangulLBase;
        if (lIndex is >= 0 and < HangulLCount)
        {
            var vIndex = second - HangulVBase;
            return vIndex is >= 0 and < HangulVCount
                ? HangulSBase + (((lIndex * HangulVCount) + vIndex) * HangulTCount)
                : -1;
        }

        var sIndex = first - HangulSBase;
        if (sIndex is >= 0 and < HangulSCount && sIndex % HangulTCount == 0)
        {
            var tIndex = second - HangulTBase;
            return tIndex is > 0 and < HangulTCount ? first + tIndex : -1;
        }

        return tables.Compositions.TryGetValue(PairKey(first, second), out var composite) ? composite : -1;
    }

    private static long PairKey(int first, int second) => ((long)first << 21) | (uint)second;

    private sealed class Tables
    {
        private Tables(string version, Dictionary<int, byte> classes, Dictionary<int, int[]> decompositions, Dictionary<long, int> compositions)
        {
            Version = version;
            Classes = classes;
            Decompositions = decompositions;
            Compositions = compositions;
        }

        public string Version { get; }

        public Dictionary<int, byte> Classes { get; }

        public Dictionary<int, int[]> Decompositions { get; }

        public Dictionary<long, int> Compositions { get; }

        public int CombiningClass(int cp) => cp < FirstCharNeedingWork ? 0 : Classes.GetValueOrDefault(cp);

        public static Tables Load()
        {
            const string ResourceName = "AceStep.Engine.Text.nfc-data.txt";
            using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourceName)
                ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing from the build.");
            using var reader = new StreamReader(stream, Encoding.ASCII);

            var version = "unknown";
            var classes = new Dictionary<int, byte>();
            var decompositions = new Dictionary<int, int[]>();
            var compositions = new Dictionary<long, int>();
            while (reader.ReadLine() is { } line)
            {
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                switch (parts[0])
                {
                    case "V":
                        version = parts[1];
                        break;
                    case "C":
                        var ccc = byte.Parse(parts[3], CultureInfo.InvariantCulture);
                        for (int cp = Hex(parts[1]), last = Hex(parts[2]); cp <= last; cp++)
                        {
                            classes[cp] = ccc;
                        }

                        break;
                    case "D":
                        decompositions[Hex(parts[1])] = parts.Skip(2).Select(Hex).ToArray();
                        break;
                    case "P":
                        compositions[PairKey(Hex(parts[1]), Hex(parts[2]))] = Hex(parts[3]);
                        break;
                    default:
                        throw new InvalidOperationException($"Unrecognised line in {ResourceName}: {line}");
                }
            }

            return new Tables(version, classes, decompositions, compositions);
        }

        private static int Hex(string text) => int.Parse(text, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    }
}
