using System.CommandLine;
using System.Text.Json.Nodes;
using Spectre.Console;
using AceStep.Engine.ModelStore;

namespace AceStep.Cli.Commands.Models;

/// <summary><c>acestep models verify</c>: re-hash installed files against their manifests.</summary>
public static class ModelsVerifyCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(GlobalOptions global, ModelsOptions options)
    {
        var names = new Argument<string[]>("name")
        {
            Description = "The models to check; all installed or partial ones when none is named.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var command = new Command("verify", "Check installed models' files (sizes and SHA-256) against their manifests; reports each bad file.");
        command.Arguments.Add(names);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var json = parse.GetValue(global.Json);
            var layout = options.Layout(parse);
            var requested = parse.GetValue(names) ?? [];
            var ids = requested.Length > 0
                ? requested.Select(n => layout.Catalogue.Get(n).Id).Distinct().ToList()
                : new ModelInventory(layout).List().Where(s => s.State != InstallState.Missing).Select(s => s.Model.Id).ToList();
            var verifier = new ModelVerifier(layout);
            var results = await TransferDisplay.RunAsync(TransferDisplay.CanDrawBars(json), json ? Console.Error : Console.Out, async progress =>
            {
                var done = new List<VerifyResult>();
                foreach (var id in ids)
                {
                    done.Add(await verifier.VerifyAsync(id, progress, cancellationToken));
                }
                return done;
            });
            if (json)
            {
                var items = new JsonArray();
                foreach (var result in results)
                {
                    var problems = new JsonArray();
                    foreach (var problem in result.Problems)
                    {
                        problems.Add(new JsonObject { ["path"] = problem.Path, ["kind"] = KindName(problem.Kind), ["detail"] = problem.Detail });
                    }
                    items.Add(new JsonObject
                    {
                        ["id"] = result.Model.Id,
                        ["directory"] = result.Directory,
                        ["installed"] = result.Manifest is not null,
                        ["valid"] = result.IsValid,
                        ["problems"] = problems,
                    });
                }
                Console.Out.WriteLine(new JsonObject { ["modelsDirectory"] = layout.Root, ["models"] = items }.ToJsonString());
            }
            else
            {
                if (results.Count == 0)
                {
                    AnsiConsole.MarkupLineInterpolated($"No models are installed in {layout.Root}.");
                }
                foreach (var result in results)
                {
                    Write(result);
                }
            }
            return results.All(r => r.IsValid) ? ExitCodes.Ok : ExitCodes.ModelInvalid;
        });
        return command;
    }

    private static void Write(VerifyResult result)
    {
        if (result.Manifest is null)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]{result.Model.Id}[/]: not installed in {result.Directory} (no manifest). Install it with '{result.Model.PullCommand}'.");
            return;
        }
        if (result.IsValid)
        {
            AnsiConsole.MarkupLineInterpolated($"[green]{result.Model.Id}[/]: ok ({result.Manifest.Files.Count} files, {ByteSize.Format(result.Manifest.TotalBytes)})");
            return;
        }
        AnsiConsole.MarkupLineInterpolated($"[red]{result.Model.Id}[/]: {result.Problems.Count} bad file(s); repair with '{result.Model.PullCommand}'");
        foreach (var problem in result.Problems)
        {
            AnsiConsole.MarkupLineInterpolated($"  {KindName(problem.Kind)} {problem.Path}: {problem.Detail}");
        }
    }

    /// <summary>The kebab-case name scripts see, e.g. <c>wrong-hash</c>.</summary>
    public static string KindName(FileProblemKind kind) => kind switch
    {
        FileProblemKind.Missing => "missing",
        FileProblemKind.WrongSize => "wrong-size",
        FileProblemKind.WrongHash => "wrong-hash",
        _ => "required-missing",
    };
}
