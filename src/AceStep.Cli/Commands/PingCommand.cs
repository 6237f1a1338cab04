using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using AceStep.Contracts;
using Spectre.Console;

namespace AceStep.Cli.Commands;

/// <summary><c>acestep ping</c>: is the engine there, and how fast does it answer?</summary>
public static class PingCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(GlobalOptions global)
    {
        var command = new Command("ping", "Check that the engine answers (over the pipe by default, or --http).");
        command.SetAction(async (parse, cancellationToken) =>
        {
            var connection = global.Connection(parse);
            var stopwatch = Stopwatch.StartNew();
            var reply = await connection.SendAsync([new JsonObject { ["taskType"] = TaskTypes.Ping, ["ping"] = true }], cancellationToken);
            var elapsed = stopwatch.Elapsed;
            var pong = reply.Data is [var item] && item["pong"]?.GetValue<bool>() == true;
            if (parse.GetValue(global.Json))
            {
                var result = new JsonObject
                {
                    ["pong"] = pong,
                    ["transport"] = connection.Transport.ToString().ToLowerInvariant(),
                    ["address"] = connection.Address,
                    ["milliseconds"] = Math.Round(elapsed.TotalMilliseconds, 3),
                };
                Console.Out.WriteLine(result.ToJsonString());
            }
            else if (pong)
            {
                AnsiConsole.MarkupLineInterpolated(
                    $"[green]pong[/] from the engine over {connection.Transport.ToString().ToLowerInvariant()} ({connection.Address}) in {elapsed.TotalMilliseconds:0.0} ms");
            }
            else
            {
                ErrorReport.Write(reply);
            }
            return pong ? ExitCodes.Ok : ExitCodes.TaskFailed;
        });
        return command;
    }
}
