namespace AceStep.Engine.ModelStore;

/// <summary>Which Hugging Face endpoint to download from, and the token to show it.</summary>
public sealed record HubOptions
{
    /// <summary>Environment variable for <see cref="Endpoint"/>, the same one the official Hugging Face tools read (mirrors).</summary>
    public const string EndpointVariable = "HF_ENDPOINT";

    /// <summary>Environment variable for <see cref="Token"/>, the same one the official Hugging Face tools read.</summary>
    public const string TokenVariable = "HF_TOKEN";

    /// <summary>The public hub.</summary>
    public static readonly Uri DefaultEndpoint = new("https://huggingface.co/");

    /// <summary>Base address of the hub or a mirror of it.</summary>
    public Uri Endpoint { get; init; } = DefaultEndpoint;

    /// <summary>Access token sent as a Bearer header; the official repositories are public and need none.</summary>
    public string? Token { get; init; }

    /// <summary>Defaults overridden by <see cref="EndpointVariable"/> and <see cref="TokenVariable"/>.</summary>
    public static HubOptions FromEnvironment()
    {
        var endpoint = Environment.GetEnvironmentVariable(EndpointVariable);
        return new HubOptions
        {
            Endpoint = string.IsNullOrWhiteSpace(endpoint) ? DefaultEndpoint : ParseEndpoint(endpoint, EndpointVariable),
            Token = Environment.GetEnvironmentVariable(TokenVariable) is { Length: > 0 } token ? token.Trim() : null,
        };
    }

    /// <summary>Parses an absolute http(s) address; throws <see cref="ModelStoreException"/> naming <paramref name="source"/> otherwise.</summary>
    public static Uri ParseEndpoint(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            // A trailing slash makes relative paths append to the base instead of replacing its last segment (mirrors
            // often live under a path).
            return uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
        }
        throw new ModelStoreException($"{source} must be an http(s) address such as https://huggingface.co, not '{text}'.");
    }
}

/// <summary>How hard downloads try. The defaults suit multi-gigabyte files on an ordinary connection.</summary>
public sealed record DownloadOptions
{
    /// <summary>Attempts per request without progress before giving up; an attempt that moved bytes resets the count.</summary>
    public int MaxAttempts { get; init; } = 6;

    /// <summary>Pause before the first retry; doubles each time up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest pause between retries.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A response body that sends nothing for this long is treated as a dropped connection.</summary>
    public TimeSpan ReadIdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The pause before retry number <paramref name="retry"/> (1 for the first).</summary>
    public TimeSpan RetryDelay(int retry)
    {
        var factor = Math.Pow(2, Math.Clamp(retry - 1, 0, 20));
        var delay = TimeSpan.FromTicks((long)Math.Min(FirstRetryDelay.Ticks * factor, MaxRetryDelay.Ticks));
        return delay;
    }
}
