using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using AceStep.Cli.Commands.Models;
using AceStep.Contracts;
using AceStep.Engine.ModelStore;
using AceStep.Pipes;
using Spectre.Console;

namespace AceStep.Cli.Commands;

/// <summary><c>acestep status</c>: is the engine up, which version, and which models are installed.</summary>
public static class StatusCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(GlobalOptions global)
    {
        var models = new ModelsOptions();
        var command = new Command("status", "Show whether the engine answers (version, process) and which models are installed; exit 0 only when it is up.");
        command.Options.Add(models.ModelsDirectory);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var connection = global.Connection(parse);
            var probe = await ProbeAsync(connection, cancellationToken);
            var layout = models.Layout(parse);
            var inventory = new ModelInventory(layout).List();
            if (parse.GetValue(global.Json))
            {
                var list = new JsonArray();
                foreach (var status in inventory)
                {
                    list.Add(new JsonObject
                    {
                        ["id"] = status.Model.Id,
                        ["state"] = ModelsListCommand.StateName(status.State),
                        ["sizeBytes"] = status.SizeBytes,
                    });
                }
                Console.Out.WriteLine(new JsonObject
                {
                    ["running"] = probe.Running,
                    ["transport"] = connection.Transport.ToString().ToLowerInvariant(),
                    ["address"] = connection.Address,
                    ["version"] = probe.Identity?.Version,
                    ["pid"] = probe.Identity?.ProcessId,
                    ["milliseconds"] = probe.Running ? Math.Round(probe.Elapsed.TotalMilliseconds, 3) : null,
                    // The engine does not report its queue over the task API yet; null keeps the field's place.
                    ["queue"] = null,
                    ["problem"] = probe.Problem,
                    ["compute"] = probe.Compute?.DeepClone(),
                    ["modelsDirectory"] = layout.Root,
                    ["models"] = list,
                }.ToJsonString(ContractsJson.Readable.Options));
            }
            else
            {
                Write(connection, probe, layout, inventory);
            }
            return probe.ExitCode;
        });
        return command;
    }

    private sealed record Probe(bool Running, EngineIdentity? Identity, TimeSpan Elapsed, string? Problem, int ExitCode, JsonObject? Compute = null);

    // The ping reply's item: pong, and how the engine computes (absent from engines older than this CLI).
    private static (bool Pong, JsonObject? Compute) Pong(TaskReply reply) =>
        reply.Data is [var item] && item["pong"]?.GetValue<bool>() == true ? (true, item["compute"] as JsonObject) : (false, null);

    private static async Task<Probe> ProbeAsync(EngineConnection connection, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        try
        {
            if (connection.Transport == Transport.Pipe)
            {
                // The handshake names the engine's version and process; a ping shows it also runs tasks.
                await using var client = await EnginePipeClient.ConnectAsync(connection.Address, connection.Timeout, cancellationToken);
                var (pong, compute) = Pong(await client.SendAsync(PingTask(), cancellationToken));
                return new Probe(pong, client.Engine, stopwatch.Elapsed, pong ? null : "the engine did not answer ping with pong",
                    pong ? ExitCodes.Ok : ExitCodes.TaskFailed, compute);
            }
            var (ok, computeOverHttp) = Pong(await connection.SendAsync(PingTask(), cancellationToken));
            return new Probe(ok, null, stopwatch.Elapsed, ok ? null : "the engine did not answer ping with pong", ok ? ExitCodes.Ok : ExitCodes.TaskFailed,
                computeOverHttp);
        }
        catch (EngineUnavailableException ex)
        {
            return new Probe(false, null, stopwatch.Elapsed, ex.Message, ExitCodes.EngineUnavailable);
        }
        catch (PipeProtocolException ex)
        {
            return new Probe(false, null, stopwatch.Elapsed, $"{ex.Code}: {ex.Message}", ExitCodes.ProtocolError);
        }
    }

    // Not a collection expression: that calls the generic JsonArray.Add<T>, which NativeAOT rejects.
    private static JsonArray PingTask() => new(new JsonObject { ["taskType"] = TaskTypes.Ping, ["ping"] = true });

    private static void Write(EngineConnection connection, Probe probe, ModelLayout layout, IReadOnlyList<ModelStatus> inventory)
    {
        var transport = connection.Transport.ToString().ToLowerInvariant();
        if (probe.Running)
        {
            var who = probe.Identity is { } identity ? $"version {identity.Version}, pid {identity.ProcessId}" : "version not reported over http";
            AnsiConsole.MarkupLineInterpolated(
                $"Engine: [green]running[/] on {transport} {connection.Address} ({who}; answered in {probe.Elapsed.TotalMilliseconds:0.0} ms)");
        }
        else
        {
            AnsiConsole.MarkupLineInterpolated($"Engine: [red]not running[/] on {transport} {connection.Address}: {probe.Problem}");
        }
        if (probe.Compute is { } compute)
        {
            AnsiConsole.MarkupLineInterpolated(
                $"Compute: device {Text(compute, "device")}, CPU {Text(compute, "cpu")}, memory mode {Text(compute, "memoryMode")}");
            AnsiConsole.MarkupLineInterpolated($"  LM planner: {Text(compute, "lm")}");
            AnsiConsole.MarkupLineInterpolated($"  DiT and text encoder: {Text(compute, "models")}");
        }
        AnsiConsole.MarkupLineInterpolated($"Models ({layout.Root}):");
        foreach (var status in inventory)
        {
            var state = status.State switch
            {
                InstallState.Installed => "[green]installed[/]",
                InstallState.Partial => "[yellow]partial[/]",
                _ => "[grey]missing[/]",
            };
            AnsiConsole.MarkupLine($"  {Markup.Escape(status.Model.Id)}: {state}");
        }
    }

    private static string Text(JsonObject node, string name) => node[name]?.GetValue<string>() ?? "?";
}
