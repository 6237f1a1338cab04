using System.Globalization;
using AceStep.Contracts.Sessions;

namespace AceStep.Plugin.Editor;

/// <summary>How bad a status is (its colour).</summary>
internal enum StatusTone
{
    Quiet,
    Working,
    Good,
    Bad,
}

/// <summary>The engine's and the job's state in words, for the status pill and the line under the progress bar.</summary>
/// <param name="Headline">Short: "Not running", "Starting the engine…", "Busy · diffusion 40%".</param>
/// <param name="Detail">What to do about it, e.g. the command that installs a missing model; may be empty.</param>
/// <param name="Tone">Colour.</param>
internal sealed record EngineStatus(string Headline, string Detail, StatusTone Tone)
{
    public static EngineStatus From(EditorSnapshot snapshot)
    {
        if (!snapshot.Running || snapshot.View is null)
            return new(snapshot.Running ? "Waiting for the plugin…" : "Not running", snapshot.Unavailable, StatusTone.Quiet);
        return From(snapshot.View.Job);
    }

    public static EngineStatus From(SessionJob job)
    {
        double progress = Math.Clamp(job.Progress, 0, 100);
        string stage = job.Stage.Replace('-', ' ');
        switch (job.State)
        {
            case "connecting":
                return new("Starting the engine…", "The first take starts the engine; loading the model takes a while.", StatusTone.Working);
            case "running" when stage.Contains("download", StringComparison.OrdinalIgnoreCase):
                return new(Invariant($"Downloading the model · {progress:0}%"), "", StatusTone.Working);
            case "running":
                return new(Invariant($"Busy · {(stage.Length > 0 ? Capitalize(stage) : "working")} {progress:0}%"), "", StatusTone.Working);
            case "done":
                return new("Done: the take is ready", "", StatusTone.Good);
            case "cancelled":
                return new("Cancelled", "", StatusTone.Quiet);
            case "failed":
                return Failure(job.Message);
            default:
                return new("Idle", "Ready: the engine starts with the first take.", StatusTone.Quiet);
        }
    }

    private static EngineStatus Failure(string message)
    {
        int install = message.IndexOf("Install with:", StringComparison.OrdinalIgnoreCase);
        if (install >= 0 || message.Contains("not installed", StringComparison.OrdinalIgnoreCase))
        {
            string command = install >= 0 ? message[(install + "Install with:".Length)..].Trim() : "acestep models pull <model>";
            return new("Model not installed", "Install it with: " + command, StatusTone.Bad);
        }

        if (message.Contains("engine", StringComparison.OrdinalIgnoreCase)
            && (message.Contains("not reach", StringComparison.OrdinalIgnoreCase) || message.Contains("could not", StringComparison.OrdinalIgnoreCase)
                || message.Contains("did not start", StringComparison.OrdinalIgnoreCase)))
            return new("Engine not running", message, StatusTone.Bad);
        return new("Error", message.Length > 0 ? message : "The take failed; the plugin gave no reason.", StatusTone.Bad);
    }

    private static string Capitalize(string text) => char.ToUpperInvariant(text[0]) + text[1..];

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
