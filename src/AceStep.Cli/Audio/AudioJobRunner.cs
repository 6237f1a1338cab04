using System.CommandLine;
using System.Text.Json.Nodes;
using AceStep.Contracts;
using AceStep.Pipes;
using Spectre.Console;

namespace AceStep.Cli.Audio;

/// <summary>
/// Runs one <c>generate</c>, <c>repaint</c> or <c>cover</c>: checks the local files, sends the task with the source
/// as a pipe attachment, shows progress, writes each result to its file and reports (text or <c>--json</c>).
/// Ctrl+C sends a <c>cancel</c> task for it before the command ends with <see cref="ExitCodes.Cancelled"/>.
/// </summary>
public sealed class AudioJobRunner
{
    // A getResponse poll interval for results not ready when the engine's synchronous wait ran out.
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    private readonly GlobalOptions _global;
    private readonly AudioOptions _options;
    private readonly ParseResult _parse;
    private readonly bool _json;

    /// <summary>Creates the runner for one parsed command line.</summary>
    public AudioJobRunner(GlobalOptions global, AudioOptions options, ParseResult parse)
    {
        _global = global ?? throw new ArgumentNullException(nameof(global));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _parse = parse ?? throw new ArgumentNullException(nameof(parse));
        _json = parse.GetValue(global.Json);
    }

    private string Name => _options.Kind.ToString().ToLowerInvariant();

    // Progress and notices: stdout for a person, stderr when stdout carries --json.
    private TextWriter Lines => _json ? Console.Error : Console.Out;

    /// <summary>Runs the command; returns its exit code.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        if (_parse.GetValue(_global.Http))
        {
            throw new CliUsageException($"{Name} talks to the engine over its pipe (the audio travels as attachments); leave out --http.");
        }
        // Everything that can be wrong locally is checked before an engine is looked for or started.
        var output = OutputTarget.Parse(_parse.GetValue(_options.Output)!);
        ReadOnlyMemory<byte>? source = _options.Input is null ? (ReadOnlyMemory<byte>?)null : await ReadInputAsync(_parse.GetValue(_options.Input)!, cancellationToken);
        var timeout = TimeSpan.FromSeconds(Math.Max(0.1, _parse.GetValue(_global.TimeoutSeconds)));
        await using var session = await EngineSession.OpenAsync(_parse.GetValue(_global.Address), timeout,
            mayStart: !_parse.GetValue(_options.NoStart), Console.Error, cancellationToken);
        var client = session.Client;
        var taskUuid = Guid.NewGuid();
        OutgoingAttachment? attachment = null;
        if (source is not null)
        {
            attachment = new OutgoingAttachment(new AttachmentInfo(client.NextAttachmentId(), AttachmentInfo.File), source.Value);
        }
        var task = _options.BuildTask(_parse, taskUuid, output, attachment?.Info.Id);
        var bars = TransferDisplay.CanDrawBars(_json);
        if (!bars)
        {
            await Lines.WriteLineAsync($"{Name}: task {taskUuid} sent to the engine (pipe {session.PipeName})");
        }
        var replies = new List<PipeReply>();
        try
        {
            TaskReply final;
            try
            {
                final = await TaskProgressDisplay.RunAsync(bars, Lines, Name, progress =>
                    ExchangeAsync(client, task, attachment, progress, replies, cancellationToken));
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await CancelAsync(client, taskUuid);
                return ExitCodes.Cancelled;
            }
            return await FinishAsync(taskUuid, output, final, replies, bars, cancellationToken);
        }
        finally
        {
            foreach (var reply in replies)
            {
                reply.Dispose();
            }
        }
    }

    private static async Task<ReadOnlyMemory<byte>> ReadInputAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new CliUsageException($"--in '{path}' does not exist.");
        }
        try
        {
            return await File.ReadAllBytesAsync(path, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliFileException($"--in '{path}' could not be read: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Sends the task and returns the reply that holds its final items. The engine answers a sync task when it is done, or with
    /// <c>status: processing</c> items when its wait limit ran out; those are polled on the same connection, which
    /// is where their attachments arrive.
    /// </summary>
    private static async Task<TaskReply> ExchangeAsync(EnginePipeClient client, JsonObject task,
        OutgoingAttachment? attachment, ProgressHandler progress, List<PipeReply> replies, CancellationToken cancellationToken)
    {
        var reply = await client.SendAsync(new PipeRequest([task], attachment is null ? null : [attachment], progress), cancellationToken);
        replies.Add(reply);
        while (reply.Reply.Data?.Any(IsProcessing) == true)
        {
            await Task.Delay(PollInterval, cancellationToken);
            var poll = new JsonObject { ["taskType"] = TaskTypes.GetResponse, ["taskUUID"] = (string?)task["taskUUID"] };
            reply = await client.SendAsync(new PipeRequest([poll], null, progress), cancellationToken);
            replies.Add(reply);
        }
        return reply.Reply;
    }

    private static bool IsProcessing(JsonObject item) => (string?)item["status"] == "processing";

    private async Task<int> FinishAsync(Guid taskUuid, OutputTarget output, TaskReply final, List<PipeReply> replies, bool bars,
        CancellationToken cancellationToken)
    {
        var errors = (final.Errors ?? []).ToList();
        var results = final.Data ?? [];
        // Attachments arrive with the reply that first reports their item; a later poll only names them.
        var attachments = replies.SelectMany(r => r.Attachments).ToDictionary(p => p.Key, p => p.Value);
        var files = new JsonArray();
        var seeds = new JsonArray();
        // Named by the number asked for, so a script finds OUT-1.ext even when another take failed.
        var count = Math.Max(results.Count, _parse.GetValue(_options.Results) ?? 1);
        for (var i = 0; i < results.Count; i++)
        {
            var item = results[i];
            if (item["audioAttachment"]?.GetValue<uint>() is not { } id || !attachments.TryGetValue(id, out var audio))
            {
                errors.Add(new TaskError { Code = ErrorCodes.InternalError, Message = $"The engine's result {i + 1} came without its audio." });
                continue;
            }
            var path = output.FileFor(i, count);
            await OutputTarget.WriteAsync(path, audio.Bytes, cancellationToken);
            files.Add(path);
            seeds.Add(item["seed"]?.DeepClone());
            if (_json)
            {
                continue;
            }
            if (bars)
            {
                AnsiConsole.MarkupLineInterpolated($"[green]Wrote[/] {path} (seed {item["seed"]?.ToJsonString()})");
            }
            else
            {
                // Not through Spectre: it would wrap a long path at 80 columns in a log.
                await Console.Out.WriteLineAsync($"Wrote {path} (seed {item["seed"]?.ToJsonString()})");
            }
        }
        if (errors.Count > 0)
        {
            TaskErrorReport.Write(errors);
        }
        if (_json)
        {
            var result = new JsonObject { ["files"] = files, ["seeds"] = seeds, ["taskUUID"] = taskUuid.ToString() };
            if (errors.Count > 0)
            {
                var list = new JsonArray();
                foreach (var error in errors)
                {
                    list.Add(ContractsJson.ToJsonObject(error, ContractsJson.Readable.TaskError));
                }
                result["errors"] = list;
            }
            await Console.Out.WriteLineAsync(result.ToJsonString(ContractsJson.Readable.Options));
        }
        return errors.Count == 0 ? ExitCodes.Ok : TaskErrorReport.ExitCode(errors);
    }

    private static async Task CancelAsync(EnginePipeClient client, Guid taskUuid)
    {
        // The command's own token is already cancelled; the cancel task gets a few seconds of its own.
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        var cancelled = false;
        try
        {
            var reply = await client.SendAsync([new JsonObject { ["taskType"] = TaskTypes.Cancel, ["taskUUID"] = taskUuid.ToString() }], limit.Token);
            cancelled = reply.Data is [var item] && item["cancelled"]?.GetValue<bool>() == true;
        }
        catch (Exception ex) when (ex is OperationCanceledException or EngineUnavailableException or PipeProtocolException)
        {
            // The engine is gone or slow; the task stays pollable and can be cancelled from elsewhere.
        }
        await Console.Error.WriteLineAsync(cancelled
            ? $"acestep: cancelled; the engine stopped task {taskUuid}."
            : $"acestep: cancelled; task {taskUuid} could not be stopped (it may have finished already).");
    }
}
