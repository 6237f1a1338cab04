using System.Globalization;
using AceStep.Pipes;
using Spectre.Console;

namespace AceStep.Cli.Audio;

/// <summary>
/// Shows the engine's progress events for one task: a Spectre bar when a person watches a terminal, plain lines
/// (each stage, every tenth) otherwise, where redrawn bars would be noise in a log or a script's pipe.
/// </summary>
public static class TaskProgressDisplay
{
    /// <summary>
    /// Runs <paramref name="work"/> with a progress handler: a bar when <paramref name="bars"/>, else lines on
    /// <paramref name="lines"/>.
    /// </summary>
    public static async Task<T> RunAsync<T>(bool bars, TextWriter lines, string label, Func<ProgressHandler, Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (!bars)
        {
            return await work(new LineProgress(lines, label).Report);
        }
        return await AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var bar = context.AddTask(Markup.Escape(label) + " [grey](queued)[/]", maxValue: 100);
                var result = await work((_, progress, stage) =>
                {
                    // Called on the connection's reader thread; ProgressTask locks internally.
                    bar.Description = Markup.Escape(label) + " [grey](" + Markup.Escape(stage) + ")[/]";
                    bar.Value = Math.Clamp(progress, 0, 100);
                });
                bar.Value = 100;
                return result;
            });
    }

    /// <summary>One line per stage and per tenth of the way.</summary>
    private sealed class LineProgress(TextWriter output, string label)
    {
        private readonly Lock _gate = new();
        private string? _stage;
        private int _tenth = -1;

        public void Report(string taskUuid, double progress, string stage)
        {
            lock (_gate)
            {
                var tenth = (int)Math.Clamp(progress / 10, 0, 10);
                if (stage == _stage && tenth <= _tenth)
                {
                    return;
                }
                _stage = stage;
                _tenth = tenth;
                output.WriteLine($"{label}: {stage} {progress.ToString("0", CultureInfo.InvariantCulture)}%");
            }
        }
    }
}
