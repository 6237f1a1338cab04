using System.Text;
using AceStep.Engine.Text.Unicode;

namespace AceStep.Engine.Text.Tests.Unicode;

public sealed class NfcNormalizerTests
{
    [Theory]
    [InlineData("e\u0301", "\u00E9")]
    [InlineData("\u212B", "\u00C5")]
    [InlineData("\u1100\u1161\u11A8", "\uAC01")]
    [InlineData("a\u0323\u0302", "\u1EAD")]
    [InlineData("a\u0302\u0323", "\u1EAD")]
    [InlineData("plain ascii", "plain ascii")]
    [InlineData("\u0344", "\u0308\u0301")]
    public void Text_is_composed_the_nfc_way(string input, string expected)
    {
        Assert.Equal(expected, NfcNormalizer.Normalize(input));
    }

    [Fact]
    public void Every_bmp_character_and_random_mark_sequences_match_the_platform_normaliser()
    {
        // Only meaningful where the platform normalises (ICU present, not invariant mode).
        if ("e\u0301".Normalize(NormalizationForm.FormC) != "\u00E9")
        {
            return;
        }

        var mismatches = new List<string>();
        for (var cp = 0; cp < 0x10000; cp++)
        {
            if (cp is >= 0xD800 and <= 0xDFFF)
            {
                continue;
            }

            var text = "a" + (char)cp + "\u0301";
            if (!TryPlatformNfc(text, out var platform))
            {
                continue;
            }

            if (NfcNormalizer.Normalize(text) != platform)
            {
                mismatches.Add($"U+{cp:X4}");
            }
        }

        var random = new Random(7);
        int[] pool = [0x41, 0x61, 0x65, 0x4F, 0x300, 0x301, 0x302, 0x308, 0x323, 0x327, 0x328, 0x345, 0x1100, 0x1161, 0x11A8, 0xAC00, 0x3099, 0x304B, 0x0B47, 0x0B3E, 0x0F71, 0x0F72, 0x0F80];
        for (var trial = 0; trial < 5000; trial++)
        {
            var builder = new StringBuilder();
            for (var i = random.Next(1, 8); i > 0; i--)
            {
                builder.Append((char)pool[random.Next(pool.Length)]);
            }

            var text = builder.ToString();
            if (NfcNormalizer.Normalize(text) != text.Normalize(NormalizationForm.FormC))
            {
                mismatches.Add(string.Join(" ", text.Select(c => $"{(int)c:X4}")));
            }
        }

        // The shipped tables may be a Unicode version or two behind ICU; a handful of newly assigned marks may differ.
        Assert.True(mismatches.Count <= 20, $"{mismatches.Count} mismatches: {string.Join(", ", mismatches.Take(40))}");
    }

    // ICU refuses noncharacters (U+FFFE, U+FDD0, ...); those are skipped.
    private static bool TryPlatformNfc(string text, out string normalized)
    {
        try
        {
            normalized = text.Normalize(NormalizationForm.FormC);
            return true;
        }
        catch (ArgumentException)
        {
            normalized = text;
            return false;
        }
    }
}
