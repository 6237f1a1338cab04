namespace AceStep.Engine.Host.Delivery.Outbound;

/// <summary>How an outbound delivery ended.</summary>
/// <param name="Delivered">True when an attempt got a 2xx answer.</param>
/// <param name="Attempts">How many attempts were made (1 to <see cref="RetryOptions.MaxAttempts"/>).</param>
/// <param name="LastStatus">The HTTP status of the last attempt; null when it got no response (timeout, network).</param>
/// <param name="LastError">
/// Why the last attempt failed, for people: "HTTP 500 Internal Server Error", "timed out after 30 s",
/// "connection refused"; null when delivered.
/// </param>
public sealed record DeliveryResult(bool Delivered, int Attempts, int? LastStatus, string? LastError);
