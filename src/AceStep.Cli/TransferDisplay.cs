using AceStep.Engine.ModelStore;
using Spectre.Console;

namespace AceStep.Cli;

/// <summary>
/// Shows the progress of a pull or a verify: bars when a person watches a terminal, plain throttled lines otherwise
/// (logs, CI, <c>--json</c>, where redrawn bars would be noise).
/// </summary>
public static class TransferDisplay
{
    /// <summary>True when progress bars can be drawn on standard output.</summary>
    public static bool CanDrawBars(bool json) =>
        !json && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    /// <summary>
    /// Runs <paramref name="work"/> with a progress sink: Spectre bars when <paramref name="bars"/>, else lines on
    /// <paramref name="lines"/>.
    /// </summary>
    public static async Task<T> RunAsync<T>(bool bars, TextWriter lines, Func<IProgress<FileProgress>, Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (!bars)
        {
            return await work(new LineProgress(lines));
        }
        return await AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(),
                new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(context => work(new BarProgress(context)));
    }

    /// <summary>One bar for the model and one per file being worked on; reported synchronously from the download loop.</summary>
    private sealed class BarProgress : IProgress<FileProgress>
    {
        private readonly ProgressContext _context;
        private readonly Dictionary<string, ProgressTask> _tasks = [];
        private readonly Dictionary<string, ProgressTask> _models = [];

        public BarProgress(ProgressContext context) => _context = context;

        public void Report(FileProgress value)
        {
            lock (_tasks)
            {
                if (!_models.TryGetValue(value.ModelId, out var model))
                {
                    model = _context.AddTask(Markup.Escape(value.ModelId), maxValue: Math.Max(1, value.BytesTotal));
                    _models[value.ModelId] = model;
                }
                model.Value = value.BytesDone;
                var key = value.ModelId + "/" + value.Path;
                if (!_tasks.TryGetValue(key, out var file))
                {
                    file = _context.AddTask("  " + Markup.Escape(value.Path), maxValue: Math.Max(1, value.FileBytesTotal));
                    _tasks[key] = file;
                }
                file.Description = "  " + Markup.Escape(value.Path) + (value.Stage == ProgressStage.Hashing ? " (checking)" : "");
                file.Value = value.FileBytesDone;
                if (value.Stage == ProgressStage.Done)
                {
                    file.Value = file.MaxValue;
                    file.StopTask();
                }
                if (value.BytesDone >= value.BytesTotal)
                {
                    model.Value = model.MaxValue;
                    model.StopTask();
                }
            }
        }
    }

    /// <summary>A line when a file starts, at every tenth of a big file, and when it is done.</summary>
    private sealed class LineProgress : IProgress<FileProgress>
    {
        private readonly TextWriter _out;
        private string? _file;
        private ProgressStage _stage;
        private long _tenth;

        public LineProgress(TextWriter output) => _out = output;

        public void Report(FileProgress value)
        {
            var key = value.ModelId + "/" + value.Path;
            if (key != _file || value.Stage != _stage)
            {
                _file = key;
                _stage = value.Stage;
                _tenth = 0;
                if (value.Stage != ProgressStage.Done)
                {
                    var what = value.Stage == ProgressStage.Hashing ? "checking" : "downloading";
                    _out.WriteLine($"{value.ModelId}: {what} {value.Path} ({ByteSize.Format(value.FileBytesTotal)})");
                }
            }
            if (value.Stage == ProgressStage.Done)
            {
                _out.WriteLine($"{value.ModelId}: {value.Path} ok; {Percent(value.BytesDone, value.BytesTotal)}% of the model ({ByteSize.Format(value.BytesDone)} of {ByteSize.Format(value.BytesTotal)})");
                return;
            }
            var tenth = value.FileBytesTotal <= 0 ? 0 : value.FileBytesDone * 10 / value.FileBytesTotal;
            if (value.FileBytesTotal >= 50_000_000 && tenth > _tenth && tenth < 10)
            {
                _tenth = tenth;
                _out.WriteLine($"{value.ModelId}:   {value.Path} {tenth * 10}% ({ByteSize.Format(value.FileBytesDone)} of {ByteSize.Format(value.FileBytesTotal)})");
            }
        }

        private static long Percent(long done, long total) => total <= 0 ? 100 : done * 100 / total;
    }
}
