using System.CommandLine;
using System.Text.Json.Nodes;
using Spectre.Console;
using AceStep.Engine.ModelStore;

namespace AceStep.Cli.Commands.Models;

/// <summary><c>acestep models list</c>: every known model and whether it is installed.</summary>
public static class ModelsListCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(GlobalOptions global, ModelsOptions options)
    {
        var command = new Command("list", "Show every known model: installed, partial or missing, with sizes.");
        command.SetAction(parse =>
        {
            var layout = options.Layout(parse);
            var statuses = new ModelInventory(layout).List();
            if (parse.GetValue(global.Json))
            {
                var models = new JsonArray();
                foreach (var status in statuses)
                {
                    models.Add(new JsonObject
                    {
                        ["id"] = status.Model.Id,
                        ["state"] = StateName(status.State),
                        ["repository"] = status.Model.Repository,
                        ["repositoryFolder"] = status.Model.RepositoryFolder,
                        ["directory"] = status.Directory,
                        ["sizeBytes"] = status.SizeBytes,
                        ["bytesOnDisk"] = status.BytesOnDisk,
                        ["revision"] = status.Revision,
                        ["problem"] = status.Problem,
                        ["description"] = status.Model.Description,
                    });
                }
                Console.Out.WriteLine(new JsonObject { ["modelsDirectory"] = layout.Root, ["models"] = models }.ToJsonString());
                return ExitCodes.Ok;
            }
            var table = new Table().AddColumns("model", "state", "size", "on disk", "what");
            foreach (var status in statuses)
            {
                var state = status.State switch
                {
                    InstallState.Installed => "[green]installed[/]",
                    InstallState.Partial => "[yellow]partial[/]",
                    _ => "[grey]missing[/]",
                };
                table.AddRow(Markup.Escape(status.Model.Id), state, ByteSize.Format(status.SizeBytes),
                    status.BytesOnDisk == 0 ? "-" : ByteSize.Format(status.BytesOnDisk), Markup.Escape(status.Model.Description));
            }
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLineInterpolated($"Models directory: {layout.Root}");
            foreach (var partial in statuses.Where(s => s.State == InstallState.Partial))
            {
                AnsiConsole.MarkupLineInterpolated($"[yellow]{partial.Model.Id}[/]: {partial.Problem}; finish it with '{partial.Model.PullCommand}'.");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The lower-case name scripts see.</summary>
    public static string StateName(InstallState state) => state.ToString().ToLowerInvariant();
}
