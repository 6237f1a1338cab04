using System.CommandLine;
using System.Text.Json.Nodes;
using Spectre.Console;
using AceStep.Engine.ModelStore;

namespace AceStep.Cli.Commands.Models;

/// <summary><c>acestep models adopt</c>: record model folders copied in by hand as installed.</summary>
public static class ModelsAdoptCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(GlobalOptions global, ModelsOptions options)
    {
        var names = ModelsOptions.Names("The models whose folders were copied into checkpoints/ by hand.");
        var command = new Command("adopt",
            "Record model files copied in by hand (offline install) as installed: checks the required files, hashes what is there and writes the manifest.");
        command.Arguments.Add(names);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var json = parse.GetValue(global.Json);
            var layout = options.Layout(parse);
            var models = parse.GetValue(names)!.Select(layout.Catalogue.Get).Distinct().ToList();
            var verifier = new ModelVerifier(layout);
            var manifests = await TransferDisplay.RunAsync(TransferDisplay.CanDrawBars(json), json ? Console.Error : Console.Out, async progress =>
            {
                var done = new List<ModelManifest>();
                foreach (var model in models)
                {
                    done.Add(await verifier.AdoptAsync(model.Id, progress, cancellationToken));
                }
                return done;
            });
            var items = new JsonArray();
            foreach (var (model, manifest) in models.Zip(manifests))
            {
                items.Add(new JsonObject
                {
                    ["id"] = model.Id,
                    ["directory"] = layout.DirectoryOf(model),
                    ["files"] = manifest.Files.Count,
                    ["sizeBytes"] = manifest.TotalBytes,
                });
                if (!json)
                {
                    AnsiConsole.MarkupLineInterpolated(
                        $"[green]{model.Id}[/] adopted: {manifest.Files.Count} files, {ByteSize.Format(manifest.TotalBytes)} recorded as found (not compared with the hub).");
                }
            }
            if (json)
            {
                Console.Out.WriteLine(new JsonObject { ["modelsDirectory"] = layout.Root, ["models"] = items }.ToJsonString());
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
