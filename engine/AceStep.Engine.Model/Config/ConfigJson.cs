using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AceStep.Engine.Model.Config;

/// <summary>Typed reads from a Hugging Face <c>config.json</c> with errors that name the file and key, so a wrong or
/// truncated download is reported as such rather than as a shape mismatch later.</summary>
internal sealed class ConfigJson
{
    private readonly JsonObject _root;

    private ConfigJson(string path, JsonObject root)
    {
        Path = path;
        _root = root;
    }

    public string Path { get; }

    public static ConfigJson Read(string path)
    {
        if (!File.Exists(path))
            throw new ModelConfigException($"Model configuration '{path}' does not exist.");
        try
        {
            using var stream = File.OpenRead(path);
            return JsonNode.Parse(stream) is JsonObject root
                ? new ConfigJson(path, root)
                : throw new ModelConfigException($"Model configuration '{path}' is not a JSON object.");
        }
        catch (JsonException e)
        {
            throw new ModelConfigException($"Model configuration '{path}' is not valid JSON: {e.Message}", e);
        }
    }

    public long Long(string key, long fallback) => TryGet(key) is { } node ? AsLong(key, node) : fallback;

    public int Int(string key, int fallback) => checked((int)Long(key, fallback));

    public double Double(string key, double fallback)
    {
        if (TryGet(key) is not { } node)
            return fallback;
        try
        {
            return node.GetValue<double>();
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException)
        {
            throw Invalid(key, "a number");
        }
    }

    public bool Bool(string key, bool fallback)
    {
        if (TryGet(key) is not { } node)
            return fallback;
        try
        {
            return node.GetValue<bool>();
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException)
        {
            throw Invalid(key, "true or false");
        }
    }

    public string? String(string key)
    {
        if (TryGet(key) is not { } node)
            return null;
        try
        {
            return node.GetValue<string>();
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException)
        {
            throw Invalid(key, "a string");
        }
    }

    public IReadOnlyList<long>? LongArray(string key)
    {
        if (TryGet(key) is not { } node)
            return null;
        if (node is not JsonArray array)
            throw Invalid(key, "an array of integers");
        return array.Select(item => item is null ? throw Invalid(key, "an array of integers") : AsLong(key, item)).ToArray();
    }

    public IReadOnlyList<string>? StringArray(string key)
    {
        if (TryGet(key) is not { } node)
            return null;
        if (node is not JsonArray array)
            throw Invalid(key, "an array of strings");
        return array.Select(item => item?.GetValueKind() == JsonValueKind.String ? item.GetValue<string>() : throw Invalid(key, "an array of strings")).ToArray();
    }

    public ModelConfigException Unsupported(string key, string what) =>
        new($"Model configuration '{Path}': {key} {what}; this engine runs the ACE-Step v1.5 architecture only.");

    private JsonNode? TryGet(string key) => _root.TryGetPropertyValue(key, out var node) ? node : null;

    private long AsLong(string key, JsonNode node)
    {
        try
        {
            if (node.GetValueKind() == JsonValueKind.Number)
            {
                var value = node.GetValue<double>();
                if (value == Math.Floor(value))
                    return (long)value;
            }
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException)
        {
        }

        throw Invalid(key, "an integer");
    }

    private ModelConfigException Invalid(string key, string expected) =>
        new(string.Create(CultureInfo.InvariantCulture, $"Model configuration '{Path}': {key} must be {expected}."));
}
