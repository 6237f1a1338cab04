namespace AceStep.Engine.Host.Delivery;

/// <summary>The engine's own HTTP base address, known once Kestrel has bound; result URLs are built from it.</summary>
public sealed class EngineAddress
{
    private Uri? _httpBase;

    /// <summary>The base address, e.g. <c>http://127.0.0.1:8001/</c>.</summary>
    public Uri HttpBase => _httpBase ?? throw new InvalidOperationException("The HTTP server has not bound yet.");

    internal void Set(Uri address) => _httpBase = address.AbsoluteUri.EndsWith('/') ? address : new Uri(address.AbsoluteUri + "/");
}
