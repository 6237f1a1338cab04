using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace AceStep.Contracts.Tests;

/// <summary>
/// The reader of every untrusted JSON body (issue 17): generated and mutated inputs (FsCheck, a bounded number of
/// cases per run) and a kept corpus of hostile inputs. The oracle is System.Text.Json itself, asked the slow way: a
/// text is acceptable when it is valid UTF-8, parses, has no duplicate name in an object, and every string and name in
/// it can be read as a .NET string.
/// </summary>
public sealed class StrictJsonTests
{
    private static bool Oracle(byte[] utf8)
    {
        if (!Utf8.IsValid(utf8))
        {
            return false;
        }
        try
        {
            using var document = JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = StrictJson.MaxDepth, AllowDuplicateProperties = false });
            Walk(document.RootElement);
            return true;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return false;
        }
    }

    private static void Walk(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    _ = property.Name;
                    Walk(property.Value);
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Walk(item);
                }
                break;
            case JsonValueKind.String:
                _ = element.GetString();
                break;
        }
    }

    /// <summary>True when StrictJson accepts; any exception other than its own fails the test.</summary>
    private static bool Accepts(byte[] utf8)
    {
        JsonNode? node;
        try
        {
            node = StrictJson.Parse(utf8);
        }
        catch (InvalidJsonTextException ex)
        {
            Assert.False(string.IsNullOrWhiteSpace(ex.Message));
            return false;
        }
        // Whatever was accepted can be read to the last string without surprises.
        _ = node?.ToJsonString();
        return true;
    }

    // Pieces hostile JSON is made of: names that repeat, escapes that pair or do not, bytes that are not UTF-8.
    private static readonly string[] s_names = ["taskType", "a", "task\\u0054ype", "\\ud800", "\\ud83c\\udfb5", "é", ""];
    private static readonly string[] s_strings =
        ["ping", "", "\\ud800", "\\udc00", "\\ud83c\\udfb5", "\\ud800\\ud800", "x\\ud800\\n", "\\u0041\\n\\\"", "日本", "\\uDBFF\\uDFFF"];

    private static Gen<string> Value(int depth) => depth <= 0
        ? Scalar
        : Gen.Frequency(new (int, Gen<string>)[]
        {
            (4, Scalar),
            (1, UpTo4(Value(depth - 1)).Select(items => "[" + string.Join(",", items) + "]")),
            (2, UpTo4(Gen.Elements(s_names).SelectMany(n => Value(depth - 1), (n, v) => $"\"{n}\":{v}"))
                .Select(members => "{" + string.Join(",", members) + "}")),
        });

    private static Gen<List<string>> UpTo4(Gen<string> item) => Gen.Choose(0, 4).SelectMany(n => Gen.ListOf(item, n));

    private static readonly Gen<string> Scalar = Gen.OneOf(
        Gen.Elements(s_strings).Select(s => $"\"{s}\""),
        Gen.Choose(-1000, 1000).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        Gen.Elements("true", "false", "null", "1e400", "-0.5"));

    private static readonly Gen<byte[]> s_texts = Value(3).Select(text => Encoding.UTF8.GetBytes("[" + text + "]"));

    /// <summary>Valid-looking texts, then one mutation: a raw byte (often not UTF-8) written over or put in, or a cut.</summary>
    private static readonly Gen<byte[]> s_mutated = s_texts.SelectMany(
        bytes => Gen.Zip(Gen.Choose(0, 2), Gen.Zip(Gen.Choose(0, Math.Max(0, bytes.Length - 1)), Gen.Choose(0, 255))),
        (bytes, m) =>
        {
            var (kind, (at, value)) = m;
            return kind switch
            {
                0 => [.. bytes[..at], (byte)value, .. bytes[(at + 1)..]],
                1 => [.. bytes[..at], (byte)value, .. bytes[at..]],
                _ => bytes[..at],
            };
        });

    [Property(MaxTest = 300)]
    public Property Generated_texts_are_accepted_exactly_when_the_slow_oracle_accepts_them() =>
        Prop.ForAll(s_texts.ToArbitrary(), bytes => Accepts(bytes) == Oracle(bytes));

    [Property(MaxTest = 300)]
    public Property Mutated_texts_never_throw_anything_but_the_readers_own_error() =>
        Prop.ForAll(s_mutated.ToArbitrary(), bytes => Accepts(bytes) == Oracle(bytes));

    [Property(MaxTest = 200)]
    public Property Arbitrary_bytes_are_refused_with_a_reason_not_a_crash() =>
        Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), bytes => Accepts(bytes) == Oracle(bytes));

    public static TheoryData<string> Corpus() =>
        [.. Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "TestData", "json-corpus")).Select(p => Path.GetFileName(p)).Order()];

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Kept_inputs_are_answered_as_their_name_says(string file)
    {
        var bytes = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "json-corpus", file));
        var expected = file.StartsWith("accept-", StringComparison.Ordinal);
        Assert.Equal(expected, Accepts(bytes));
        Assert.Equal(expected, Oracle(bytes));
    }

    [Theory]
    [InlineData("""[{"a":1,"a":2}]""", "'a' appears twice")]
    [InlineData("""["\ud800"]""", "lone UTF-16 surrogate")]
    [InlineData("""[1,]""", "not valid JSON")]
    public void The_refusal_says_what_is_wrong(string text, string reason)
    {
        var ex = Assert.Throws<InvalidJsonTextException>(() => StrictJson.Parse(Encoding.UTF8.GetBytes(text)));
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }
}
