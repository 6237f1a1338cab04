using System.Text.Json;
using System.Text.Json.Serialization;

namespace AceStep.Contracts;

/// <summary>
/// The <c>parameter</c> of an error item: one dotted path (<c>"settings.keyScale"</c>), written as a JSON string, or
/// several paths for a rule spanning fields (<c>["settings.repaintingStart","inputs.audio"]</c>), written as an array.
/// A string converts implicitly, so <c>Parameter = "taskType"</c> reads as before.
/// </summary>
[JsonConverter(typeof(ErrorParameterJsonConverter))]
public sealed class ErrorParameter : IEquatable<ErrorParameter>
{
    private readonly string[] _paths;

    private ErrorParameter(string[] paths) => _paths = paths;

    /// <summary>The paths, at least one; one for a single field.</summary>
    public IReadOnlyList<string> Paths => _paths;

    /// <summary>True when the error names more than one field (written as a JSON array).</summary>
    public bool IsCompound => _paths.Length > 1;

    /// <summary>The first (for a single field: the only) path.</summary>
    public string Path => _paths[0];

    /// <summary>One field.</summary>
    public static ErrorParameter FromPath(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new ErrorParameter([path]);
    }

    /// <summary>Several fields (a cross-field rule); one path gives a single-field parameter.</summary>
    public static ErrorParameter FromPaths(params IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var array = paths.ToArray();
        if (array.Length == 0 || array.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException("Give at least one non-empty path.", nameof(paths));
        }
        return new ErrorParameter(array);
    }

    /// <summary>Converts one dotted path.</summary>
    public static implicit operator ErrorParameter(string path) => FromPath(path);

    /// <summary>Equality by paths, in order.</summary>
    public static bool operator ==(ErrorParameter? left, ErrorParameter? right) =>
        left is null ? right is null : left.Equals(right);

    /// <summary>Inequality by paths.</summary>
    public static bool operator !=(ErrorParameter? left, ErrorParameter? right) => !(left == right);

    /// <inheritdoc />
    public bool Equals(ErrorParameter? other) =>
        other is not null && _paths.AsSpan().SequenceEqual(other._paths, StringComparer.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ErrorParameter other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var path in _paths)
        {
            hash.Add(path, StringComparer.Ordinal);
        }
        return hash.ToHashCode();
    }

    /// <summary>The path, or the paths joined by <c>", "</c>.</summary>
    public override string ToString() => string.Join(", ", _paths);
}

/// <summary>Writes <see cref="ErrorParameter"/> as a string or an array of strings, and reads either.</summary>
public sealed class ErrorParameterJsonConverter : JsonConverter<ErrorParameter>
{
    /// <inheritdoc />
    public override ErrorParameter? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                return ErrorParameter.FromPath(reader.GetString()!);
            case JsonTokenType.StartArray:
                var paths = new List<string>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.String)
                    {
                        throw new JsonException("An error's parameter array holds strings only.");
                    }
                    paths.Add(reader.GetString()!);
                }
                return paths.Count == 0 ? null : ErrorParameter.FromPaths(paths);
            default:
                throw new JsonException("An error's parameter is a string or an array of strings.");
        }
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, ErrorParameter value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        if (!value.IsCompound)
        {
            writer.WriteStringValue(value.Path);
            return;
        }
        writer.WriteStartArray();
        foreach (var path in value.Paths)
        {
            writer.WriteStringValue(path);
        }
        writer.WriteEndArray();
    }
}
