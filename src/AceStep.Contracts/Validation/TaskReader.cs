using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AceStep.Contracts.Validation;

/// <summary>
/// Reads the fields of one raw task and collects every error on the way. Each reader returns null (or false) when the
/// field is absent or wrong; a wrong field has its error recorded. JSON <c>null</c> counts as absent.
/// </summary>
internal sealed class TaskReader
{
    private const int MaxQuotedLength = 48;
    private List<TaskError>? _errors;

    private TaskReader(string taskType, string? taskUuid)
    {
        TaskType = taskType;
        TaskUuid = taskUuid;
    }

    /// <summary>The type echoed in errors.</summary>
    public string TaskType { get; }

    /// <summary>The raw taskUUID echoed in errors, when it is a short string.</summary>
    public string? TaskUuid { get; }

    public bool HasErrors => _errors is not null;

    public IReadOnlyList<TaskError> Errors => _errors ?? (IReadOnlyList<TaskError>)[];

    /// <summary>Starts reading a task of <paramref name="expectedType"/>: checks taskType and notes the raw taskUUID.</summary>
    public static TaskReader Start(JsonObject task, string expectedType, params string[] alsoAllowedTypes)
    {
        var rawType = Get(task, "taskType");
        var typeText = rawType is JsonValue typeValue && TryGetString(typeValue, out var t) ? t : null;
        var uuidText = Get(task, "taskUUID") is JsonValue uuidValue && TryGetString(uuidValue, out var u) &&
                       u.Length <= 64 ? u : null;
        var accepted = typeText is not null &&
                       (typeText == expectedType || Array.IndexOf(alsoAllowedTypes, typeText) >= 0);
        var reader = new TaskReader(accepted ? typeText! : expectedType, uuidText);
        if (rawType is null)
        {
            reader.Add(ErrorCodes.Missing("taskType"), $"The task has no taskType; this one is '{expectedType}'.", "taskType");
        }
        else if (!accepted)
        {
            string[] allowed = [expectedType, .. alsoAllowedTypes];
            reader.Add(ErrorCodes.Invalid("taskType"),
                $"taskType is {Describe(rawType)}, but this task is validated as {string.Join(" or ", allowed.Select(a => $"'{a}'"))}.",
                "taskType", Strings(allowed));
        }
        return reader;
    }

    public void Add(string code, string message, ErrorParameter parameter, JsonNode? allowedValues = null)
    {
        (_errors ??= []).Add(new TaskError
        {
            Code = code,
            Message = message,
            Parameter = parameter,
            TaskType = TaskType,
            TaskUuid = TaskUuid,
            AllowedValues = allowedValues,
        });
    }

    public void Invalid(string path, string message, JsonNode? allowedValues = null) =>
        Add(ErrorCodes.Invalid(path), message, path, allowedValues);

    public void Unsupported(string path, string message, JsonNode? allowedValues = null) =>
        Add(ErrorCodes.Unsupported(path), message, path, allowedValues);

    public void Incompatible(string message, params string[] paths) =>
        Add(ErrorCodes.IncompatibleParameters, message, ErrorParameter.FromPaths(paths));

    /// <summary>The field's node, null when absent or JSON null.</summary>
    public static JsonNode? Get(JsonObject obj, string name) => obj.TryGetPropertyValue(name, out var node) ? node : null;

    /// <summary>Reports every property of <paramref name="obj"/> that <paramref name="known"/> lacks.</summary>
    public void UnknownFields(JsonObject obj, string prefix, HashSet<string> known)
    {
        foreach (var (name, _) in obj)
        {
            if (known.Contains(name))
            {
                continue;
            }
            var path = prefix.Length == 0 ? name : prefix + "." + name;
            string? hint = null;
            foreach (var candidate in known)
            {
                if (string.Equals(candidate, name, StringComparison.OrdinalIgnoreCase))
                {
                    hint = candidate;
                    break;
                }
            }
            var where = prefix.Length == 0 ? $"a {TaskType} task" : $"'{prefix}'";
            var message = hint is not null
                ? $"'{path}' is not a field of {where}; names are case-sensitive: did you mean '{(prefix.Length == 0 ? hint : prefix + "." + hint)}'?"
                : $"'{path}' is not a field of {where}. Allowed: {string.Join(", ", known.Order(StringComparer.Ordinal))}.";
            Add(ErrorCodes.UnknownParameter, message, path, Strings(known.Order(StringComparer.Ordinal)));
        }
    }

    /// <summary>A required field: records <c>missing&lt;Param&gt;</c> when absent.</summary>
    public JsonNode? Required(JsonObject obj, string name, string path, string what)
    {
        var node = Get(obj, name);
        if (node is null)
        {
            Add(ErrorCodes.Missing(path), $"'{path}' is required: {what}.", path);
        }
        return node;
    }

    /// <summary>A string field; records <c>invalid&lt;Param&gt;</c> for any other JSON type.</summary>
    public string? String(JsonNode? node, string path, string what)
    {
        if (node is null)
        {
            return null;
        }
        if (node is JsonValue value && TryGetString(value, out var text))
        {
            return text;
        }
        Invalid(path, $"'{path}' must be a string ({what}), not {Describe(node)}.");
        return null;
    }

    /// <summary>A string of a length between the limits (counted in Unicode characters), not only white space.</summary>
    public string? Text(JsonNode? node, string path, int min, int max, string what)
    {
        var text = String(node, path, what);
        if (text is null)
        {
            return null;
        }
        var length = CountCharacters(text);
        if (length < min || length > max || string.IsNullOrWhiteSpace(text))
        {
            var problem = string.IsNullOrWhiteSpace(text) && length >= min
                ? "is only white space"
                : $"has {length} characters";
            Invalid(path, $"'{path}' {problem}; it must be {what} of {min} to {max} characters.", $"{min} to {max} characters");
            return null;
        }
        return text;
    }

    /// <summary>A boolean field.</summary>
    public bool? Boolean(JsonNode? node, string path)
    {
        if (node is null)
        {
            return null;
        }
        if (node is JsonValue value && value.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetValueKind() == JsonValueKind.True;
        }
        Invalid(path, $"'{path}' must be true or false (a JSON boolean), not {Describe(node)}.", Strings("true", "false"));
        return null;
    }

    /// <summary>An object field.</summary>
    public JsonObject? Object(JsonNode? node, string path, string what)
    {
        if (node is null)
        {
            return null;
        }
        if (node is JsonObject obj)
        {
            return obj;
        }
        Invalid(path, $"'{path}' must be a JSON object ({what}), not {Describe(node)}.");
        return null;
    }

    /// <summary>
    /// A number within [min, max]; with <paramref name="decimals"/>, rounded half away from zero to that grid after
    /// the range check.
    /// </summary>
    public double? Number(JsonNode? node, string path, double min, double max, int? decimals, string unit = "")
    {
        if (node is null)
        {
            return null;
        }
        var range = decimals is { } d
            ? $"{Format(min)} to {Format(max)}{unit}, step {Format(Math.Pow(10, -d))}"
            : $"{Format(min)} to {Format(max)}{unit}";
        if (!TryGetNumber(node, out var number))
        {
            Invalid(path, $"'{path}' must be a number from {range}, not {Describe(node)}.", range);
            return null;
        }
        if (number < min || number > max)
        {
            Invalid(path, $"'{path}' is {Format(number)}; it must be from {range}.", range);
            return null;
        }
        return decimals is { } places ? RoundToGrid(number, places) : number;
    }

    /// <summary>A whole number within [min, max] (a JSON number with no fractional part).</summary>
    public long? Integer(JsonNode? node, string path, long min, long max, string unit = "")
    {
        if (node is null)
        {
            return null;
        }
        var range = max == long.MaxValue || max == int.MaxValue
            ? $"a whole number of at least {min}{unit}"
            : $"a whole number from {min} to {max}{unit}";
        if (!TryGetInteger(node, out var number, out var isNumber))
        {
            Invalid(path, isNumber
                ? $"'{path}' is {node.ToJsonString()}; it must be {range}."
                : $"'{path}' must be {range}, not {Describe(node)}.", range);
            return null;
        }
        if (number < min || number > max)
        {
            Invalid(path, $"'{path}' is {number}; it must be {range}.", range);
            return null;
        }
        return number;
    }

    /// <summary>Any whole number (range checked by the caller); records a type error naming <paramref name="what"/>.</summary>
    public long? WholeNumber(JsonNode? node, string path, string what, JsonNode? allowedValues = null)
    {
        if (node is null)
        {
            return null;
        }
        if (TryGetInteger(node, out var number, out _))
        {
            return number;
        }
        Invalid(path, $"'{path}' must be {what}, not {Describe(node)}.", allowedValues);
        return null;
    }

    /// <summary>An absolute http or https URI.</summary>
    public Uri? HttpUri(JsonNode? node, string path, string what)
    {
        var text = String(node, path, what);
        if (text is null)
        {
            return null;
        }
        if (TryHttpUri(text, out var uri))
        {
            return uri;
        }
        Invalid(path, $"'{path}' is {Quote(text)}; it must be an absolute http:// or https:// URL ({what}).",
            "absolute http(s) URL");
        return null;
    }

    public static bool TryHttpUri(string text, out Uri? uri) => UrlPolicy.TryParse(text, out uri);

    /// <summary>A canonical hyphenated UUID (<c>8-4-4-4-12</c> hex digits).</summary>
    public static bool TryParseUuid(string text, out Guid uuid) =>
        Guid.TryParseExact(text, "D", out uuid);

    /// <summary>A UUID of version 4 with the RFC 4122 variant.</summary>
    public static bool IsUuidV4(string text) =>
        text.Length == 36 && text[14] == '4' && text[19] is '8' or '9' or 'a' or 'b' or 'A' or 'B';

    /// <summary>The task's own taskUUID: required or optional, always a UUID v4 when given.</summary>
    public Guid? TaskUuidV4(JsonObject task, bool required)
    {
        var node = required
            ? Required(task, "taskUUID", "taskUUID", "a UUID v4 that identifies this task, e.g. 'db9ad4da-7608-4fe2-9111-a9b0e6bc94a7'")
            : Get(task, "taskUUID");
        var text = String(node, "taskUUID", "a UUID v4");
        if (text is null)
        {
            return null;
        }
        if (TryParseUuid(text, out var uuid) && IsUuidV4(text))
        {
            return uuid;
        }
        var problem = TryParseUuid(text, out _) ? $"a UUID of version {text[14]}, not 4" : "not a UUID";
        Invalid("taskUUID",
            $"taskUUID {Quote(text)} is {problem}; send a random UUID v4 (xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx) unique per task.",
            "UUID v4");
        return null;
    }

    public static bool TryGetString(JsonValue value, out string text)
    {
        if (value.TryGetValue<string>(out var s))
        {
            text = s;
            return true;
        }
        if (value.TryGetValue<JsonElement>(out var element) && element.ValueKind == JsonValueKind.String)
        {
            text = element.GetString()!;
            return true;
        }
        if (value.GetValueKind() == JsonValueKind.String)
        {
            // A typed value written as a string (Guid, DateTime, char…): its JSON text without the quotes.
            using var document = JsonDocument.Parse(value.ToJsonString());
            text = document.RootElement.GetString()!;
            return true;
        }
        text = "";
        return false;
    }

    public static bool TryGetNumber(JsonNode node, out double number)
    {
        number = 0;
        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.Number)
        {
            return false;
        }
        if (value.TryGetValue<JsonElement>(out var element))
        {
            return element.TryGetDouble(out number) && double.IsFinite(number);
        }
        if (value.TryGetValue(out double d)) { number = d; }
        else if (value.TryGetValue(out int i)) { number = i; }
        else if (value.TryGetValue(out long l)) { number = l; }
        else if (value.TryGetValue(out float f)) { number = f; }
        else if (value.TryGetValue(out decimal m)) { number = (double)m; }
        else if (value.TryGetValue(out short s)) { number = s; }
        else if (value.TryGetValue(out byte b)) { number = b; }
        else if (value.TryGetValue(out uint ui)) { number = ui; }
        else if (value.TryGetValue(out ulong ul)) { number = ul; }
        else
        {
            // Any other numeric primitive: read its JSON text.
            return double.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out number) &&
                   double.IsFinite(number);
        }
        return double.IsFinite(number);
    }

    /// <summary>A whole number; <paramref name="isNumber"/> tells a fractional number from another JSON type.</summary>
    public static bool TryGetInteger(JsonNode node, out long number, out bool isNumber)
    {
        number = 0;
        isNumber = false;
        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.Number)
        {
            return false;
        }
        isNumber = true;
        if (value.TryGetValue<JsonElement>(out var element) && element.TryGetInt64(out number))
        {
            return true;
        }
        if (value.TryGetValue(out int i))
        {
            number = i;
            return true;
        }
        if (value.TryGetValue(out long l))
        {
            number = l;
            return true;
        }
        // 120.0 or 1e2: accepted when the value is whole and fits.
        if (TryGetNumber(node, out var d) && d == Math.Floor(d) && d >= long.MinValue && d <= long.MaxValue)
        {
            number = (long)d;
            return true;
        }
        return false;
    }

    /// <summary>Rounds half away from zero to <paramref name="decimals"/> places (decimal arithmetic: 8.505 → 8.51).</summary>
    public static double RoundToGrid(double value, int decimals) =>
        (double)Math.Round((decimal)value, decimals, MidpointRounding.AwayFromZero);

    /// <summary>Unicode characters (scalar values): a surrogate pair counts once.</summary>
    public static int CountCharacters(string text)
    {
        var count = text.Length;
        foreach (var c in text)
        {
            if (char.IsLowSurrogate(c))
            {
                count--;
            }
        }
        return count;
    }

    /// <summary>A short description of a JSON value for messages: <c>the string "abc"</c>, <c>the number 5</c>…</summary>
    public static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "an object",
        JsonArray => "an array",
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.String => "the string " + Quote(TryGetString(value, out var s) ? s : ""),
            JsonValueKind.Number => "the number " + value.ToJsonString(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => "null",
        },
        _ => "an unexpected value",
    };

    /// <summary>Quotes a user value for a message, shortened when long.</summary>
    public static string Quote(string text) =>
        text.Length <= MaxQuotedLength ? $"'{text}'" : $"'{text[..MaxQuotedLength]}…' ({text.Length} characters)";

    public static string Format(double value) => value.ToString("0.##########", CultureInfo.InvariantCulture);

    public static JsonArray Strings(params IEnumerable<string> values)
    {
        var array = new JsonArray();
        foreach (var value in values)
        {
            array.Add((JsonNode?)JsonValue.Create(value));
        }
        return array;
    }

    public static JsonArray Numbers(IEnumerable<int> values)
    {
        var array = new JsonArray();
        foreach (var value in values)
        {
            array.Add((JsonNode?)JsonValue.Create(value));
        }
        return array;
    }
}
