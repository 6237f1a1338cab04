using System.CommandLine;
using System.Text.Json.Nodes;
using Spectre.Console;
using AceStep.Engine.ModelStore;

namespace AceStep.Cli.Commands.Models;

/// <summary><c>acestep models remove</c>: delete installed models.</summary>
public static class ModelsRemoveCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(GlobalOptions global, ModelsOptions options)
    {
        var names = ModelsOptions.Names("The models to delete.");
        var command = new Command("remove", "Delete models' folders (finished files, part files and manifest).");
        command.Arguments.Add(names);
        command.SetAction(parse =>
        {
            var layout = options.Layout(parse);
            var inventory = new ModelInventory(layout);
            var models = parse.GetValue(names)!.Select(layout.Catalogue.Get).Distinct().ToList();
            var items = new JsonArray();
            foreach (var model in models)
            {
                var removed = inventory.Remove(model.Id);
                items.Add(new JsonObject { ["id"] = model.Id, ["directory"] = layout.DirectoryOf(model), ["removed"] = removed });
                if (parse.GetValue(global.Json))
                {
                    continue;
                }
                if (removed)
                {
                    AnsiConsole.MarkupLineInterpolated($"Removed [green]{model.Id}[/] ({layout.DirectoryOf(model)})");
                }
                else
                {
                    AnsiConsole.MarkupLineInterpolated($"{model.Id} was not installed; nothing to remove.");
                }
            }
            if (parse.GetValue(global.Json))
            {
                Console.Out.WriteLine(new JsonObject { ["modelsDirectory"] = layout.Root, ["models"] = items }.ToJsonString());
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
