using System.Net;

namespace AceStep.Engine.ModelStore;

/// <summary>The network failed in a way that another try may fix (dropped connection, stalled body, wrong resume offset).</summary>
internal sealed class TransientNetworkException : Exception
{
    public TransientNetworkException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}

/// <summary>Which failures are worth another attempt. Disk errors are not: retrying a full disk only wastes time.</summary>
internal static class Transient
{
    public static bool Is(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        TransientNetworkException => true,
        // A timeout, not the caller giving up.
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        HttpRequestException http => http.StatusCode is null or HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests
            || (int)http.StatusCode >= 500,
        _ => false,
    };

    /// <summary>Throws for a response that is not a success: transient statuses as <see cref="HttpRequestException"/>,
    /// the rest as <see cref="ModelSourceException"/> with a hint.</summary>
    public static void ThrowUnlessSuccess(HttpResponseMessage response, string what)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }
        var status = response.StatusCode;
        var code = (int)status;
        if (code >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests)
        {
            throw new HttpRequestException($"{what} answered HTTP {code}.", null, status);
        }
        var hint = status switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden =>
                $" The hub refused access; if the repository needs a login, set {HubOptions.TokenVariable} to a Hugging Face access token.",
            HttpStatusCode.NotFound => " The repository or file is not there; check the name, and the hub address if you set " +
                HubOptions.EndpointVariable + ".",
            _ => "",
        };
        throw new ModelSourceException($"{what} answered HTTP {code} ({response.ReasonPhrase}).{hint}");
    }
}
