namespace AceStep.Contracts;

/// <summary>The <c>taskType</c> values the engine understands.</summary>
public static class TaskTypes
{
    /// <summary>Music generation (text-to-music, repaint, cover).</summary>
    public const string AudioInference = "audioInference";

    /// <summary>Poll an asynchronous task.</summary>
    public const string GetResponse = "getResponse";

    /// <summary>Upload or delete stored input media.</summary>
    public const string MediaStorage = "mediaStorage";

    /// <summary>Liveness check.</summary>
    public const string Ping = "ping";

    /// <summary>API key check.</summary>
    public const string Authentication = "authentication";

    /// <summary>Engine extension: stop a queued or running task.</summary>
    public const string Cancel = "cancel";

    /// <summary>Engine extension: estimate the key and tempo of an input audio.</summary>
    public const string AudioAnalysis = "audioAnalysis";

    /// <summary>Engine extension (pipe only): a plugin instance publishes its control page's view and collects its commands.</summary>
    public const string PluginSession = "pluginSession";
}
