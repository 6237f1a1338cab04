namespace AceStep.Engine.Host.Queue;

/// <summary>Where one result item of a task stands; <c>getResponse</c> reports it.</summary>
public enum ItemStatus
{
    /// <summary>Waiting in the queue or being generated.</summary>
    Processing,

    /// <summary>Done; the item has its result.</summary>
    Success,

    /// <summary>Failed or cancelled; the item has its error.</summary>
    Error,
}
