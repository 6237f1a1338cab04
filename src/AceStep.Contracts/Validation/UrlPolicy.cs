namespace AceStep.Contracts.Validation;

/// <summary>
/// The one rule for every URL the engine is given or is redirected to (input audio, webhooks, upload endpoints):
/// absolute <c>http</c> or <c>https</c> with a host, nothing else (no <c>file:</c>, <c>ftp:</c>, <c>data:</c> …); a
/// redirect is checked by the same rule, may not go from https down to http, and at most <see cref="MaxRedirects"/>
/// are followed. Size and time limits belong to each fetcher (docs/security.md lists them).
/// </summary>
public static class UrlPolicy
{
    /// <summary>Redirects followed before a fetch is refused.</summary>
    public const int MaxRedirects = 5;

    /// <summary>Why <paramref name="url"/> cannot be used, or null when it can.</summary>
    public static string? Problem(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri)
        {
            return "it is not absolute; it must start with http:// or https://";
        }
        if (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
        {
            return $"its scheme is '{url.Scheme}'; only http:// and https:// URLs can be used";
        }
        return string.IsNullOrEmpty(url.Host) ? "it names no host" : null;
    }

    /// <summary>Why a redirect from <paramref name="from"/> to <paramref name="to"/> cannot be followed, or null.</summary>
    public static string? RedirectProblem(Uri from, Uri to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        if (Problem(to) is { } problem)
        {
            return "the redirect's target cannot be used: " + problem;
        }
        return from.Scheme == Uri.UriSchemeHttps && to.Scheme == Uri.UriSchemeHttp
            ? "it redirects from https down to http"
            : null;
    }

    /// <summary>Parses <paramref name="text"/> (trimmed) as a URL the policy accepts.</summary>
    public static bool TryParse(string text, out Uri? uri)
    {
        ArgumentNullException.ThrowIfNull(text);
        uri = Uri.TryCreate(text.Trim(), UriKind.Absolute, out var parsed) && Problem(parsed) is null ? parsed : null;
        return uri is not null;
    }
}
