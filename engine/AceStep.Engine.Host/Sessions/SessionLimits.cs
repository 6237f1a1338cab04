namespace AceStep.Engine.Host.Sessions;

/// <summary>
/// Bounds of the control-page sessions the engine keeps in memory (docs/control-page.md, "Limits"). Nothing here is
/// written to disk: the plugin owns the takes and its settings; the engine only relays.
/// </summary>
public sealed record SessionLimits
{
    /// <summary>Open plugin instances at once; opening one more refuses it.</summary>
    public int MaxSessions { get; init; } = 64;

    /// <summary>Take audio kept per instance for auditioning; the oldest is dropped first.</summary>
    public int MaxTakesPerSession { get; init; } = 16;

    /// <summary>WAV bytes kept per instance (16-bit WAV: about 3 minutes of stereo 48 kHz per 32 MiB); oldest dropped first.</summary>
    public long MaxTakeBytesPerSession { get; init; } = 96L * 1024 * 1024;

    /// <summary>Commands kept for the plugin to poll; when more arrive before it polls, the oldest are dropped.</summary>
    public int MaxQueuedCommands { get; init; } = 256;

    /// <summary>
    /// An instance that has not talked to the engine (any pipe operation, or a poll in progress) for this long is
    /// closed: its plugin crashed or lost the pipe. A plugin polls every 20 s or so, so two minutes is generous.
    /// </summary>
    public TimeSpan ExpireAfter { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How long the page's view request waits for a new revision before answering the current one.</summary>
    public TimeSpan PageWait { get; init; } = TimeSpan.FromSeconds(25);

    /// <summary>The defaults.</summary>
    public static SessionLimits Default { get; } = new();
}
