using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AceStep.Contracts.Tests;

/// <summary>Test data and JSON helpers shared by the suites.</summary>
internal static class TestSupport
{
    public static readonly string[] SeedExamples =
    [
        "seed-1-midnight-roller-rink", "seed-2-glasshouse-tango", "seed-3-brass-comet-derby", "seed-4-chrome-elevator-funk",
    ];

    public static string ReadTestData(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", name));

    public static JsonObject SeedRequest(string example) =>
        JsonNode.Parse(ReadTestData(example + ".request.json"))!.AsObject();

    /// <summary>The smallest valid task: everything else takes its default.</summary>
    public static JsonObject MinimalTask() => new()
    {
        ["taskType"] = "audioInference",
        ["taskUUID"] = "3f0b8a0e-6c1d-4e2f-9a3b-5c6d7e8f9a0b",
        ["model"] = "runware:ace-step@v1.5-base",
        ["positivePrompt"] = "warm lo-fi piano with vinyl crackle",
    };

    /// <summary>
    /// Applies patches separated by <c>;;</c>: <c>path=json</c> sets a dotted path (creating objects on the way),
    /// <c>-path</c> removes it.
    /// </summary>
    public static JsonObject Patch(JsonObject task, string patches)
    {
        foreach (var patch in patches.Split(";;", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (patch.StartsWith('-'))
            {
                var (parent, name) = Walk(task, patch[1..]);
                parent.Remove(name);
                continue;
            }
            var equals = patch.IndexOf('=', StringComparison.Ordinal);
            var (target, field) = Walk(task, patch[..equals]);
            var value = patch[(equals + 1)..];
            // "@x*3000": a string of 3000 'x' (long texts stay readable in the test name).
            target[field] = value.StartsWith('@')
                ? JsonValue.Create(string.Concat(Enumerable.Repeat(value[1..value.IndexOf('*', StringComparison.Ordinal)],
                    int.Parse(value[(value.IndexOf('*', StringComparison.Ordinal) + 1)..], CultureInfo.InvariantCulture))))
                : JsonNode.Parse(value);
        }
        return task;
    }

    private static (JsonObject Parent, string Name) Walk(JsonObject root, string path)
    {
        var parts = path.Split('.');
        var current = root;
        foreach (var part in parts[..^1])
        {
            if (current[part] is not JsonObject next)
            {
                next = [];
                current[part] = next;
            }
            current = next;
        }
        return (current, parts[^1]);
    }

    /// <summary>JSON trees equal, numbers compared by value (75 equals 75.0).</summary>
    public static bool JsonEquivalent(JsonNode? a, JsonNode? b)
    {
        switch (a, b)
        {
            case (null, null):
                return true;
            case (JsonObject x, JsonObject y):
                return x.Count == y.Count && x.All(p => y.TryGetPropertyValue(p.Key, out var other) && JsonEquivalent(p.Value, other));
            case (JsonArray x, JsonArray y):
                return x.Count == y.Count && x.Zip(y).All(p => JsonEquivalent(p.First, p.Second));
            case (JsonValue x, JsonValue y):
                var (kx, ky) = (x.GetValueKind(), y.GetValueKind());
                if (kx != ky)
                {
                    return false;
                }
                return kx == JsonValueKind.Number
                    ? decimal.Parse(x.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture) ==
                      decimal.Parse(y.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture)
                    : JsonNode.DeepEquals(x, y);
            default:
                return false;
        }
    }

    public static string Invariant(object? value) => value switch
    {
        null => "null",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
