namespace AceStep.Contracts.Validation;

/// <summary>Which transport a task came over; some extensions exist on the named pipe only.</summary>
public enum TransportKind
{
    /// <summary>HTTP (<c>POST /v1</c>): the seed document's API.</summary>
    Http,

    /// <summary>
    /// The per-user named pipe: also accepts outputType <c>attachment</c>, outputFormat <c>PCM_F32</c> and
    /// <c>attachment:&lt;n&gt;</c> references to binary attachments.
    /// </summary>
    Pipe,
}
